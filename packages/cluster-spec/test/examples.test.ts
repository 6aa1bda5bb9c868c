import { exampleNames, exampleText } from '@k8sm/testkit-fixtures';
import test from 'ava';
import { formatFinding, loadSpec, type SpecReport } from '../src/index.js';

const files = exampleNames();

const loadExample = (file: string): SpecReport => loadSpec(exampleText(file), file);

test('the examples directory holds JSON and YAML specs', (t) => {
  t.true(files.length >= 5, files.join(', '));
  t.true(files.some((f) => f.endsWith('.json')));
  t.true(files.some((f) => /\.ya?ml$/.test(f)));
});

for (const file of files)
  test(`example ${file} loads without an error and plans`, (t) => {
    const report = loadExample(file);
    const errors = report.findings.filter((f) => f.severity === 'error');
    t.deepEqual(
      errors.map((f) => formatFinding(f, file)),
      [],
    );
    t.truthy(report.spec);
    t.truthy(report.plan);
    t.is(report.plan?.hosts.length, report.spec?.hosts.length);
  });

test('the Kubernetes-on-Mesos HA example plans what the guide should have computed', (t) => {
  const plan = loadExample('k8s-on-mesos-ha.yaml').plan;
  t.is(plan?.zookeeper?.members.length, 3);
  t.deepEqual(
    plan?.zookeeper?.members.map((m) => m.id),
    [1, 2, 3],
  );
  t.is(plan?.mesos?.quorumValue, 2, 'the guide’s max(1, size/2) gives 1');
  t.is(plan?.mesos?.zkUrl, 'zk://192.168.33.21:2181,192.168.33.22:2181,192.168.33.23:2181/mesos');
  t.is(plan?.etcd?.clientUrls.length, 3);
  for (const url of plan?.etcd?.clientUrls ?? []) t.regex(url, /^https?:\/\/192\.168\.33\.2\d:\d+$/, url);
  t.deepEqual(plan?.kubernetes?.etcdServers, plan?.etcd?.clientUrls);
  t.is(plan?.kubernetes?.storageBackend, 'etcd2', 'etcd 2.2.1');
});
