import test from 'ava';
import { APISERVER_ETCD_CLIENT, pkiSetsOf } from '../src/index.js';
import { k8s, load, show, threeMasters } from './helpers.js';

const planOf = (spec: unknown) => {
  const report = load(spec);
  if (!report.plan) throw new Error(show(report));
  return report.plan;
};

test('a standalone control plane on a TLS etcd: two PKI sets, the apiserver’s etcd client pair in etcd’s', (t) => {
  const spec = k8s();
  spec.etcd = { version: '3.5.16', tls: { client: true, pkiDir: 'etcd-pki' } };
  const sets = pkiSetsOf(planOf(spec));
  t.deepEqual(
    sets.map((s) => [s.field, s.pkiDir]),
    [
      ['etcd.tls.pkiDir', 'etcd-pki'],
      ['kubernetes.pkiDir', 'pki'],
    ],
  );
  t.true(sets[0]?.filesToRender.includes(`${APISERVER_ETCD_CLIENT}.key`));
  t.true(sets[1]?.filesToRender.includes('kubernetes/ca.crt'));
  t.false(sets[1]?.filesToRender.includes('kubernetes/ca.key'), 'the CA key stays in the PKI dir');
});

test('etcd without TLS: its set has no dir and nothing to render; Mesos-only specs have none', (t) => {
  const spec = k8s();
  const [etcd, ...rest] = pkiSetsOf(planOf(spec));
  t.is(etcd?.field, 'etcd.tls.pkiDir');
  t.is(etcd?.pkiDir, undefined);
  t.deepEqual(etcd?.filesToRender, []);
  t.true((etcd?.requests.certificates.length ?? 0) > 0, 'pki -o still issues it');
  t.deepEqual(
    rest.map((s) => s.field),
    ['kubernetes.pkiDir'],
  );
  t.deepEqual(pkiSetsOf(planOf(threeMasters())), []);
});
