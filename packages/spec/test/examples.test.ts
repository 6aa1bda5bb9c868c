import { readdirSync, readFileSync } from 'node:fs';
import test from 'ava';
import { loadSpec } from '../src/index.js';

const dir = new URL('../../../../examples/', import.meta.url);
const files = readdirSync(dir).filter((f) => /\.(json|ya?ml)$/.test(f));

test('there is an example per seed system', (t) => {
  t.true(files.length >= 5);
});

for (const file of files)
  test(`example ${file} validates and plans`, (t) => {
    const report = loadSpec(readFileSync(new URL(file, dir), 'utf8'), file);
    t.deepEqual(report.findings, []);
    t.truthy(report.plan);
  });

test('the Kubernetes-on-Mesos HA example plans what the guide computed by hand', (t) => {
  const plan = loadSpec(
    readFileSync(new URL('k8s-on-mesos-ha.yaml', dir), 'utf8'),
    'k8s-on-mesos-ha.yaml',
  ).plan;
  t.is(plan?.zookeeper?.members.length, 3);
  t.is(plan?.mesos?.quorumValue, 2, 'the guide’s max(1, size/2) would give 1');
  t.is(plan?.mesos?.zkUrl, 'zk://192.168.33.21:2181,192.168.33.22:2181,192.168.33.23:2181/mesos');
  t.true(
    plan?.etcd?.clientUrls.every((u) => u.startsWith('http://')),
    'the guide’s list dropped the scheme',
  );
  t.is(plan?.kubernetes?.storageBackend, 'etcd2');
});
