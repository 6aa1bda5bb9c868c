import { hostScripts, planOf, scriptInjectionProblems, writableCopy } from '@k8sm/testkit';
import test from 'ava';
import { renderHaproxy } from '../src/index.js';

const base = planOf({
  name: 'lb',
  hosts: [
    { name: 'm1', address: '10.0.0.1', roles: ['etcd', 'k8s-master'] },
    { name: 'lb', address: '10.0.0.10', roles: ['haproxy'] },
  ],
  etcd: { version: '3.5.16' },
  kubernetes: { flavor: 'standalone', version: '1.6.0', pkiDir: 'pki' },
  haproxy: {
    version: '2.6',
    runtime: 'docker',
    stats: { port: 9000, user: 'admin', password: { env: 'STATS_PASSWORD' } },
  },
});

// The image and the variable's name are refused by the spec's grammar; the renderer must quote
// them all the same.
test('docker: payloads in the image and the password variable reach docker as words and never run', (t) => {
  const render = (payload: string) => {
    const p = writableCopy(base);
    if (!p.haproxy) throw new Error('no haproxy in the plan');
    p.haproxy.image = `haproxy${payload}`;
    if (p.haproxy.stats) p.haproxy.stats.password = { env: `PW${payload}` };
    return renderHaproxy(p);
  };
  t.deepEqual(scriptInjectionProblems(render, hostScripts('lb')), []);
});
