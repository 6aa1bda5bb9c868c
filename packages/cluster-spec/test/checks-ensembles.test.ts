import test from 'ava';
import { checks, find, host, hosts, load, paths, show, threeMasters } from './helpers.js';

// ensembles ------------------------------------------------------------------------------------------

const ensembles = (n: number) => ({
  name: 'e',
  hosts: hosts(n, ['zookeeper', 'etcd', 'mesos-master']),
  zookeeper: { version: '3.8.4' },
  etcd: { version: '3.5.16' },
  mesos: { version: '1.11.0' },
});

for (const n of [2, 4])
  test(`ensembles of ${n} warn with the failures they tolerate, and still plan`, (t) => {
    const report = load(ensembles(n));
    t.deepEqual(checks(report), ['even-ensemble', 'even-ensemble', 'even-ensemble'], show(report));
    t.deepEqual(paths(report, 'even-ensemble'), ['zookeeper', 'etcd', 'mesos']);
    for (const f of report.findings) {
      t.is(f.severity, 'warning');
      t.regex(
        f.message,
        new RegExp(`has ${n} members: majority ${n / 2 + 1}, tolerates ${n / 2 - 1} failure`),
      );
      t.regex(f.fix ?? '', new RegExp(`run ${n - 1} or ${n + 1} members`));
    }
    t.truthy(report.plan, 'a warning blocks nothing');
    t.truthy(report.spec);
  });

test('odd ensembles draw no warning', (t) => {
  for (const n of [3, 5]) t.deepEqual(load(ensembles(n)).findings, [], String(n));
});

test('one-member ensembles warn that they have no redundancy', (t) => {
  const report = load(ensembles(1));
  t.deepEqual(checks(report), ['no-redundancy', 'no-redundancy', 'no-redundancy']);
  t.deepEqual(paths(report, 'no-redundancy'), ['zookeeper', 'etcd', 'mesos']);
  t.true(report.findings.every((f) => f.severity === 'warning' && /tolerates no failure/.test(f.message)));
  t.truthy(report.plan);
});

// ZooKeeper ids ----------------------------------------------------------------------------------------

test('ZooKeeper ids 0 and 256 are shape errors', (t) => {
  for (const id of [0, 256, 1.5]) {
    const spec = threeMasters();
    host(spec, 1).zookeeper = { id };
    const report = load(spec);
    t.deepEqual(
      report.findings.map((f) => [f.check, f.path.join('.')]),
      [['schema', 'hosts.1.zookeeper.id']],
      String(id),
    );
  }
});

test('ZooKeeper ids 1 and 255 are fine', (t) => {
  const spec = threeMasters();
  host(spec, 0).zookeeper = { id: 255 };
  host(spec, 1).zookeeper = { id: 1 };
  t.deepEqual(load(spec).findings, []);
});

test('two hosts with one explicit ZooKeeper id are an error at the second', (t) => {
  const spec = threeMasters();
  host(spec, 0).zookeeper = { id: 2 };
  host(spec, 1).zookeeper = { id: 2 };
  const report = load(spec);
  t.deepEqual(checks(report), ['zookeeper-id']);
  const f = find(report, 'zookeeper-id')[0];
  t.deepEqual(f?.path, ['hosts', 1, 'zookeeper', 'id']);
  t.regex(f?.message ?? '', /id 2 of host "m2" is already the id of host "m1"/);
});

test('with the docker runtime the ids must be 1..n', (t) => {
  const spec = threeMasters({ zookeeper: { version: '3.4.6', runtime: 'docker' } });
  spec.hosts = hosts(3, ['zookeeper']);
  delete spec.mesos;
  delete spec.marathon;
  host(spec, 1).zookeeper = { id: 3 };
  host(spec, 2).zookeeper = { id: 4 };
  const report = load(spec);
  t.deepEqual(checks(report), ['zookeeper-docker-ids']);
  t.regex(find(report, 'zookeeper-docker-ids')[0]?.message ?? '', /ids must be 1\.\.3; got 1, 3, 4/);
  t.deepEqual(find(report, 'zookeeper-docker-ids')[0]?.path, ['hosts', 2, 'zookeeper', 'id']);
  t.regex(find(report, 'zookeeper-docker-ids')[0]?.message ?? '', /host "[^"]+" has 4\)/);
});

test('ids 1 and 3 of a two-member docker ensemble are refused; 1..n in any host order are fine', (t) => {
  const two = {
    name: 'z',
    hosts: hosts(2, ['zookeeper']),
    zookeeper: { version: '3.4.6', runtime: 'docker' },
  };
  host(two, 1).zookeeper = { id: 3 };
  t.true(checks(load(two)).includes('zookeeper-docker-ids'));
  const shuffled = { ...two, hosts: hosts(3, ['zookeeper']) };
  host(shuffled, 0).zookeeper = { id: 3 };
  host(shuffled, 2).zookeeper = { id: 1 };
  t.deepEqual(load(shuffled).findings, []);
  const pkg = { ...two, zookeeper: { version: '3.4.6' } };
  t.deepEqual(checks(load(pkg)), ['even-ensemble'], 'the package runtime takes any ids');
});

test('the docker image cannot move the ZooKeeper ports', (t) => {
  const spec = {
    name: 'z',
    hosts: hosts(3, ['zookeeper']),
    zookeeper: { version: '3.4.6', runtime: 'docker' },
  };
  host(spec, 1).zookeeper = { clientPort: 2182 };
  const report = load(spec);
  t.deepEqual(paths(report, 'zookeeper-docker-ports'), ['hosts.1.zookeeper.clientPort']);
});

// Mesos quorum ----------------------------------------------------------------------------------------

const mesosQuorum = (q: number) => load(threeMasters({ mesos: { version: '1.11.0', quorum: q } }));

test('a Mesos quorum below a majority of the masters is an error', (t) => {
  const report = mesosQuorum(1);
  t.deepEqual(checks(report), ['quorum-not-majority']);
  const f = find(report, 'quorum-not-majority')[0];
  t.is(f?.severity, 'error');
  t.deepEqual(f?.path, ['mesos', 'quorum']);
  t.regex(f?.fix ?? '', /^use 2 /);
  t.falsy(report.plan);
});

test('a Mesos quorum above the number of masters is unreachable', (t) => {
  const report = mesosQuorum(4);
  t.deepEqual(checks(report), ['quorum-unreachable']);
  t.is(report.findings[0]?.severity, 'error');
});

test('a Mesos quorum of all masters is allowed with a warning', (t) => {
  const report = mesosQuorum(3);
  t.deepEqual(checks(report), ['quorum-above-majority']);
  t.is(report.findings[0]?.severity, 'warning');
  t.regex(report.findings[0]?.message ?? '', /tolerates 0 failure.*majority 2 tolerates 1/);
  t.is(report.plan?.mesos?.quorumValue, 3);
});

test('a Mesos quorum equal to the majority draws no finding', (t) => {
  const report = mesosQuorum(2);
  t.deepEqual(report.findings, []);
  t.is(report.plan?.mesos?.quorumValue, 2);
});
