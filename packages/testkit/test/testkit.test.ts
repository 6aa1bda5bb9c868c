import test from 'ava';
import { ensemble, exampleNames, examplePlan, fakePki, planOf, threeMasters } from '../src/index.js';

test('planOf throws with every finding of an invalid spec, check id and path included', (t) => {
  const bad = threeMasters({ mesos: { version: '1.11.0', quorum: 1 } });
  const error = t.throws(() => planOf(bad, 'bad.json'));
  t.regex(error?.message ?? '', /^bad\.json has no plan:/);
  t.regex(error?.message ?? '', /\[quorum-not-majority\] mesos\.quorum:/);
});

test('planOf takes a spec object or its text, and both give the same plan', (t) => {
  const spec = threeMasters();
  t.deepEqual(planOf(JSON.stringify(spec)), planOf(spec));
  t.deepEqual(
    planOf(spec).hosts.map((h) => h.name),
    ['m1', 'm2', 'm3', 'a1'],
  );
});

test('every example has a plan, and the examples are the spec files of examples/', (t) => {
  const names = exampleNames();
  t.true(names.includes('mesosphere-3-masters.json'));
  t.true(names.every((n) => /\.(json|ya?ml)$/.test(n)));
  for (const name of names) t.truthy(examplePlan(name).name, name);
});

test('ensemble: three members of one role, host extras on their own host', (t) => {
  const spec = ensemble({ name: 'zk-test', component: 'zookeeper', prefix: 'zk' }, { version: '3.8.4' }, [
    {},
    { zookeeper: { id: 9 } },
  ]);
  const zk = planOf(spec).zookeeper;
  t.deepEqual(zk?.members.map((m) => `${m.host}@${m.address}`).sort(), [
    'zk1@10.0.0.1',
    'zk2@10.0.0.2',
    'zk3@10.0.0.3',
  ]);
  t.is(zk?.members.find((m) => m.host === 'zk2')?.id, 9);
});

test('fakePki names every PKI file a TLS plan needs', (t) => {
  const pki = fakePki(examplePlan('kubernetes-1.30-ha.yaml'));
  t.true(Object.keys(pki).length > 0);
  for (const [path, pem] of Object.entries(pki)) t.is(pem, `pem of ${path}\n`);
});
