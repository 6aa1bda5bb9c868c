import { DEFAULTS } from '@k8sm/spec';
import { contentOf, fileOf, planOf } from '@k8sm/testkit';
import test from 'ava';
import { HaproxyConfigError, lintHaproxyConfig, renderHaproxy } from '../src/index.js';

const plan = (kubernetes: Record<string, unknown>, haproxy: Record<string, unknown> = {}) =>
  planOf({
    name: 'lb',
    hosts: [
      { name: 'm1', address: '10.0.0.1', roles: ['etcd', 'k8s-master'] },
      { name: 'm2', address: '10.0.0.2', roles: ['etcd', 'k8s-master'] },
      { name: 'm3', address: '10.0.0.3', roles: ['etcd', 'k8s-master'] },
      { name: 'lb', address: '10.0.0.10', roles: ['haproxy'] },
    ],
    etcd: { version: '3.5.16' },
    kubernetes: { flavor: 'standalone', pkiDir: 'pki', ...kubernetes },
    haproxy: { version: '2.6', ...haproxy },
  });
/** The load balancer host's haproxy.cfg. */
const cfgOf = (out: Parameters<typeof contentOf>[0]) => contentOf(out, 'lb', '/etc/haproxy/haproxy.cfg');
const pki = { 'kubernetes/ca.crt': 'CA PEM\n' };

test('TLS apiservers: tcp mode, http-check send on /readyz, verified against the cluster CA', (t) => {
  const out = renderHaproxy(plan({ version: '1.30.8' }), { pki });
  const cfg = cfgOf(out);
  t.regex(cfg, /^ {4}bind \*:6443$/m);
  t.regex(cfg, /^ {4}mode tcp$/m);
  t.regex(
    cfg,
    /^ {4}option httpchk\n {4}http-check send meth GET uri \/readyz\n {4}http-check expect status 200$/m,
  );
  t.regex(
    cfg,
    /^ {4}server m2 10\.0\.0\.2:6443 check check-ssl verify required ca-file \/etc\/haproxy\/kubernetes-ca\.crt$/m,
  );
  t.is(fileOf(out, 'lb', '/etc/haproxy/kubernetes-ca.crt')?.content, pki['kubernetes/ca.crt']);
  t.regex(cfg, /^# stats: off/m, 'no credentials, no stats');
  t.deepEqual(lintHaproxyConfig(cfg, '2.6'), []);
});

test('older versions: /healthz before Kubernetes 1.16, option httpchk GET before HAProxy 2.2, verify none without a CA', (t) => {
  // RBAC: the check needs no credentials (AlwaysAllow, the default, wants the client certificate)
  const cfg = cfgOf(
    renderHaproxy(plan({ version: '1.10.13', authorization: ['RBAC'] }, { version: '1.8' }), {}),
  );
  t.regex(cfg, /^ {4}option httpchk GET \/healthz$/m);
  t.notRegex(cfg, /http-check send/);
  t.regex(cfg, /# no cluster CA in the spec: the checks do not verify/);
  t.regex(cfg, /check check-ssl verify none$/m);
});

test('stats: credentials from an env reference or a file, never literally in the config', (t) => {
  const env = cfgOf(
    renderHaproxy(
      plan({ version: '1.30.8' }, { stats: { port: 1936, user: 'ops', password: { env: 'LB_PASS' } } }),
    ),
  );
  t.regex(env, /^ {4}stats auth "ops:\$\{LB_PASS\}"$/m);
  const out = renderHaproxy(
    plan({ version: '1.30.8' }, { stats: { port: 1936, user: 'ops', password: { file: 'pw' } } }),
    {
      statsPassword: 's3cret',
    },
  );
  t.regex(cfgOf(out), /stats auth "ops:\$\{K8SM_HAPROXY_STATS_PASSWORD\}"/);
  t.notRegex(cfgOf(out), /s3cret/);
  const secret = fileOf(out, 'lb', '/etc/haproxy/k8sm-stats.env');
  t.is(secret?.mode, 0o600);
  t.is(secret?.content, 'K8SM_HAPROXY_STATS_PASSWORD=s3cret\n');
  t.truthy(fileOf(out, 'lb', '/etc/systemd/system/haproxy.service.d/k8sm-stats.conf'));
});

test('stats listen on the plan’s address: the default loopback one, or the spec’s', (t) => {
  const stats = { port: 1936, user: 'ops', password: { env: 'LB_PASS' } };
  const loopback = plan({ version: '1.30.8' }, { stats });
  t.is(loopback.haproxy?.stats?.address, DEFAULTS.haproxy.stats.address);
  t.regex(cfgOf(renderHaproxy(loopback)), /^ {4}bind 127\.0\.0\.1:1936$/m);
  const open = cfgOf(
    renderHaproxy(plan({ version: '1.30.8' }, { stats: { ...stats, address: '10.0.0.10' } })),
  );
  t.regex(open, /^ {4}bind 10\.0\.0\.10:1936$/m);
});

test('the balance algorithm and check interval come from the spec', (t) => {
  const cfg = cfgOf(
    renderHaproxy(plan({ version: '1.30.8' }, { balance: 'leastconn', checkInterval: '500ms' }), {}),
  );
  t.regex(cfg, /^ {4}balance leastconn$/m);
  t.regex(cfg, /^ {4}default-server inter 500ms fall 3 rise 2$/m);
});

test('the lint finds deprecated and removed forms, and missing timeouts', (t) => {
  const bad = [
    'defaults',
    '    contimeout 5s',
    'backend b',
    '    option httpchk HEAD / HTTP/1.1\\r\\nHost:localhost',
    '    option ssl-hello-chk',
    '    reqadd X-Foo:\\ bar',
  ].join('\n');
  const messages = lintHaproxyConfig(bad, '2.6').map((p) => `${p.line}: ${p.message}`);
  t.true(messages.some((m) => m.startsWith('2: `contimeout` was removed')));
  t.true(messages.some((m) => m.startsWith('4: headers in `option httpchk`')));
  t.true(messages.some((m) => m.startsWith('3: `option ssl-hello-chk` and `option httpchk`')));
  t.true(messages.some((m) => m.startsWith('6: `reqadd` was removed')));
  t.true(messages.some((m) => m.includes('no `timeout client`')));
  t.true(
    lintHaproxyConfig('    http-check send meth GET uri /', '1.8').some((p) =>
      p.message.includes('needs HAProxy 2.2'),
    ),
  );
});

test('a user template is rendered with the same view and refused when the lint finds a problem', (t) => {
  const p = plan({ version: '1.30.8' });
  const good =
    'defaults\n    timeout connect 5s\n    timeout client 1m\n    timeout server 1m\n{{#servers}}# {{{name}}} {{{address}}}\n{{/servers}}';
  t.regex(cfgOf(renderHaproxy(p, { template: good })), /^# m3 10\.0\.0\.3$/m);
  const error = t.throws(() => renderHaproxy(p, { template: 'defaults\n    clitimeout 5s\n' }), {
    instanceOf: HaproxyConfigError,
  });
  t.regex(error?.message ?? '', /line 2: `clitimeout` was removed/);
});

test('docker runtime: the guide’s docker run with the config dir read-only and host networking', (t) => {
  const out = renderHaproxy(plan({ version: '1.30.8' }, { runtime: 'docker', image: 'haproxy:2.6' }), {
    pki,
  });
  const run = out.find((a) => a.kind === 'command' && a.command.startsWith('docker run'));
  t.regex(
    run?.kind === 'command' ? run.command : '',
    /--net host .*\n.*-v \/etc\/haproxy:\/usr\/local\/etc\/haproxy:ro/s,
  );
  t.regex(
    cfgOf(out),
    /ca-file \/usr\/local\/etc\/haproxy\/kubernetes-ca\.crt/,
    'the path inside the container',
  );
});
