import { hostScripts, planOf, SHELL_PAYLOADS, scriptInjectionProblems, writableCopy } from '@k8sm/testkit';
import test from 'ava';
import { HaproxyConfigError, renderHaproxy } from '../src/index.js';

const base = planOf({
  name: 'lb',
  hosts: [
    { name: 'm1', address: '10.0.0.1', roles: ['etcd', 'k8s-master'] },
    { name: 'lb', address: '10.0.0.10', roles: ['haproxy'] },
  ],
  etcd: { version: '3.5.16' },
  kubernetes: { flavor: 'standalone', version: '1.6.0', pkiDir: 'pki', authorization: ['RBAC'] },
  haproxy: {
    version: '2.6',
    runtime: 'docker',
    stats: { port: 9000, user: 'admin', password: { env: 'STATS_PASSWORD' } },
  },
});

// The image is refused by the spec's grammar; the renderer must quote it all the same.
test('docker: payloads in the image reach docker as words and never run', (t) => {
  const render = (payload: string) => {
    const p = writableCopy(base);
    if (!p.haproxy) throw new Error('no haproxy in the plan');
    p.haproxy.image = `haproxy${payload}`;
    return renderHaproxy(p);
  };
  const withPassword = (artifacts: Parameters<ReturnType<typeof hostScripts>>[0]) =>
    hostScripts('lb')(artifacts).map((s) => ({ ...s, env: { STATS_PASSWORD: 'pw' } }));
  t.deepEqual(scriptInjectionProblems(render, withPassword), []);
});

// The variable's name is refused by the spec's grammar; the renderer refuses it too, as the
// script's password check names it to the shell.
test('a password variable that is no shell identifier is refused by the renderer', (t) => {
  for (const payload of SHELL_PAYLOADS) {
    const p = writableCopy(base);
    if (p.haproxy?.stats) p.haproxy.stats.password = { env: `PW${payload}` };
    t.throws(() => renderHaproxy(p), {
      instanceOf: HaproxyConfigError,
      message: /haproxy\.stats\.password\.env/,
    });
  }
});
