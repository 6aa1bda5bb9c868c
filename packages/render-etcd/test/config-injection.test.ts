import { ConfigValueError } from '@k8sm/spec';
import { ensemble, fileOf, planOf } from '@k8sm/testkit';
import test from 'ava';
import { renderEtcd } from '../src/index.js';

const base = planOf(ensemble({ name: 'etcd-test', component: 'etcd', prefix: 'e' }, { version: '3.5.17' }));

const withToken = (token: string) => {
  const plan = structuredClone(base);
  if (!plan.etcd) throw new Error('no etcd');
  (plan.etcd as { token: string }).token = token;
  return plan;
};

test('issue 13: a newline in the etcd token cannot add a variable to etcd.conf', (t) => {
  const error = t.throws(() => renderEtcd(withToken('tok\nETCD_NAME=evil')), {
    instanceOf: ConfigValueError,
  });
  t.regex(
    error?.message ?? '',
    /^\/etc\/etcd\/etcd\.conf: the value of ETCD_INITIAL_CLUSTER_TOKEN holds the control character U\+000A/,
  );
});

test('a token with quotes, `$` and backquotes is double-quoted and escaped for systemd and the shell', (t) => {
  const env = fileOf(renderEtcd(withToken('a"b$c`d')), 'e1', '/etc/etcd/etcd.conf')?.content ?? '';
  t.regex(env, /^ETCD_INITIAL_CLUSTER_TOKEN="a\\"b\\\$c\\`d"$/m);
});
