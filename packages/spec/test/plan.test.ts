import test from 'ava';
import { hosts, load, threeMasters } from './helpers.js';

test('ZooKeeper ids: host order, own ids kept, the rest take the lowest free ids; members in id order', (t) => {
  const spec = threeMasters();
  (spec.hosts[0] as Record<string, unknown>).zookeeper = { id: 2, clientPort: 2182 };
  const plan = load(spec).plan;
  t.deepEqual(
    plan?.zookeeper?.members.map((m) => [m.host, m.id]),
    [
      ['m2', 1],
      ['m1', 2],
      ['m3', 3],
    ],
  );
  t.is(plan?.zookeeper?.connectString, '10.16.40.2:2181,10.16.40.1:2182,10.16.40.3:2181');
});

test('Mesos and Marathon ZooKeeper URLs come from the one connect string', (t) => {
  const plan = load(threeMasters()).plan;
  const zk = '10.16.40.1:2181,10.16.40.2:2181,10.16.40.3:2181';
  t.is(plan?.mesos?.zkUrl, `zk://${zk}/mesos`);
  t.is(plan?.marathon?.zkUrl, `zk://${zk}/marathon`);
  t.is(plan?.marathon?.masterUrl, plan?.mesos?.zkUrl);
});

test('the Mesos quorum is a majority of the masters, not of the ZooKeeper hosts', (t) => {
  const expected: Record<number, number> = { 1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 7: 4 };
  for (const [masters, q] of Object.entries(expected)) {
    const spec = {
      name: 'q',
      hosts: [...hosts(5, ['zookeeper'], '10.1.0.'), ...hosts(Number(masters), ['mesos-master'], '10.2.0.')],
      zookeeper: { version: '3.4.6' },
      mesos: { version: '1.11.0' },
      waive: { 'even-ensemble': 'test', 'no-redundancy': 'test' },
    };
    t.is(load(spec).plan?.mesos?.quorumValue, q, `${masters} masters`);
  }
});

const etcdSpec = (etcd: Record<string, unknown>) => ({
  name: 'e',
  hosts: hosts(3, ['etcd', 'k8s-master']),
  etcd: { version: '3.5.16', ...etcd },
  kubernetes: { version: '1.31.4', flavor: 'standalone', apiserver: { securePort: 6443 } },
});

test('etcd URLs all carry their scheme, and consumers get the same list', (t) => {
  const plan = load(etcdSpec({})).plan;
  t.deepEqual(plan?.etcd?.clientUrls, [
    'http://10.0.0.1:2379',
    'http://10.0.0.2:2379',
    'http://10.0.0.3:2379',
  ]);
  t.is(
    plan?.etcd?.initialCluster,
    'etcd-1=http://10.0.0.1:2380,etcd-2=http://10.0.0.2:2380,etcd-3=http://10.0.0.3:2380',
  );
  t.deepEqual(plan?.kubernetes?.etcdServers, plan?.etcd?.clientUrls);
  const tls = load(etcdSpec({ tls: { client: true } })).plan;
  t.true(tls?.etcd?.clientUrls.every((u) => u.startsWith('https://')));
  t.true(tls?.etcd?.initialCluster.includes('=http://'), 'peer TLS is separate');
  const legacy = load({
    ...etcdSpec({ version: '2.2.1', legacyPorts: true }),
    kubernetes: { version: '1.6.0', flavor: 'standalone' },
  }).plan;
  t.deepEqual(legacy?.etcd?.members[0]?.clientUrls, ['http://10.0.0.1:2379', 'http://10.0.0.1:4001']);
});

test('apiserver URL lists and the kubernetes service address', (t) => {
  const plan = load(etcdSpec({})).plan;
  t.deepEqual(plan?.kubernetes?.apiserverUrls, [
    'https://10.0.0.1:6443',
    'https://10.0.0.2:6443',
    'https://10.0.0.3:6443',
  ]);
  t.deepEqual(plan?.kubernetes?.insecureApiserverUrls, []);
  t.is(plan?.kubernetes?.kubernetesServiceIp, '10.96.0.1');
  const old = {
    ...etcdSpec({ version: '2.2.1' }),
    kubernetes: {
      version: '1.1.3',
      flavor: 'standalone',
      serviceClusterIpRange: '10.10.10.0/24',
      apiserver: { securePort: 0, insecurePort: 8888 },
    },
  };
  const oldPlan = load(old).plan;
  t.deepEqual(oldPlan?.kubernetes?.apiserverUrls, []);
  t.is(oldPlan?.kubernetes?.insecureApiserverUrls[2], 'http://10.0.0.3:8888');
  t.is(oldPlan?.kubernetes?.kubernetesServiceIp, '10.10.10.1');
});

test('host roles come in canonical order whatever the spec order', (t) => {
  const spec = threeMasters();
  spec.hosts[0] = {
    ...spec.hosts[0],
    roles: ['marathon', 'mesos-master', 'zookeeper'],
  } as (typeof spec.hosts)[number];
  t.deepEqual(load(spec).plan?.hosts[0]?.roles, ['zookeeper', 'mesos-master', 'marathon']);
});

test('the AdminServer is on by default only for ZooKeeper 3.5–3.9', (t) => {
  const enabled = (version: string) =>
    load(threeMasters({ zookeeper: { version, adminServer: { port: 8081 } } })).plan?.zookeeper?.members[0]
      ?.adminServer.enabled;
  t.false(enabled('3.4.6'));
  t.true(enabled('3.5.9'));
  t.true(enabled('3.9.2'));
  t.false(enabled('3.10.0'));
});

test('an external ZooKeeper ensemble feeds the Mesos and Marathon URLs', (t) => {
  const spec = threeMasters({
    mesos: { version: '1.11.0', externalZookeeper: '10.9.0.1:2181,10.9.0.2:2181,10.9.0.3:2181' },
  });
  for (const h of spec.hosts) h.roles = h.roles.filter((r) => r !== 'zookeeper');
  delete (spec as Partial<typeof spec>).zookeeper;
  const plan = load(spec).plan;
  t.is(plan?.mesos?.zkUrl, 'zk://10.9.0.1:2181,10.9.0.2:2181,10.9.0.3:2181/mesos');
  t.is(plan?.marathon?.zkUrl, 'zk://10.9.0.1:2181,10.9.0.2:2181,10.9.0.3:2181/marathon');
  t.is(plan?.zookeeper, undefined);
});
