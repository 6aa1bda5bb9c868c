import test from 'ava';
import { checks, find, load, show, threeMasters } from './helpers.js';

const bound = (zookeeper: Record<string, unknown>, own?: Record<string, unknown>) => {
  const spec = threeMasters({ zookeeper: { version: '3.4.6', ...zookeeper } });
  if (own) spec.hosts[1] = { ...(spec.hosts[1] as (typeof spec.hosts)[number]), zookeeper: own };
  return load(spec);
};

test('each member carries its client endpoint; the connect string, /etc/mesos/zk and Marathon read it', (t) => {
  const report = bound({}, { clientPortAddress: '10.16.40.2', clientPort: 2182 });
  const plan = report.plan;
  t.truthy(plan, show(report));
  t.deepEqual(
    plan?.zookeeper?.members.map((m) => m.clientEndpoint),
    ['10.16.40.1:2181', '10.16.40.2:2182', '10.16.40.3:2181'],
  );
  t.is(plan?.zookeeper?.connectString, '10.16.40.1:2181,10.16.40.2:2182,10.16.40.3:2181');
  t.is(plan?.mesos?.zkUrl, 'zk://10.16.40.1:2181,10.16.40.2:2182,10.16.40.3:2181/mesos');
  t.is(plan?.marathon?.zkUrl, 'zk://10.16.40.1:2181,10.16.40.2:2182,10.16.40.3:2181/marathon');
});

test('clientPortAddress 0.0.0.0 binds every address: clients use the host address', (t) => {
  const report = bound({ clientPortAddress: '0.0.0.0' });
  t.deepEqual(report.findings, [], show(report));
  t.deepEqual(
    report.plan?.zookeeper?.members.map((m) => m.clientEndpoint),
    ['10.16.40.1:2181', '10.16.40.2:2181', '10.16.40.3:2181'],
  );
});

test('a loopback clientPortAddress is a waivable warning, and the endpoints say where ZooKeeper listens', (t) => {
  const report = bound({ clientPortAddress: '127.0.0.1' });
  t.deepEqual(checks(report, 'warning'), Array(3).fill('zookeeper-client-loopback'));
  const f = find(report, 'zookeeper-client-loopback')[0];
  t.deepEqual(f?.path, ['zookeeper', 'clientPortAddress']);
  t.regex(
    f?.message ?? '',
    /host "m1".*remote clients — Mesos, Marathon, the other hosts' probes — cannot reach/,
  );
  t.is(report.plan?.zookeeper?.connectString, '127.0.0.1:2181,127.0.0.1:2181,127.0.0.1:2181');
  const waived = load({
    ...threeMasters({ zookeeper: { version: '3.4.6', clientPortAddress: '127.0.0.1' } }),
    waive: { 'zookeeper-client-loopback': 'one machine' },
  });
  t.deepEqual(waived.findings, [], show(waived));
});

test('a clientPortAddress that is not the host’s own is an error naming the host’s setting', (t) => {
  const report = bound({}, { clientPortAddress: '10.16.40.9' });
  t.deepEqual(checks(report), ['zookeeper-client-address'], show(report));
  const f = find(report, 'zookeeper-client-address')[0];
  t.deepEqual(f?.path, ['hosts', 1, 'zookeeper', 'clientPortAddress']);
  t.regex(
    f?.message ?? '',
    /host "m2": zookeeper\.clientPortAddress 10\.16\.40\.9 is not the host's address 10\.16\.40\.2/,
  );
  t.falsy(report.plan);
});
