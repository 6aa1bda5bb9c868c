import { majorities } from '@k8sm/testkit-fixtures';
import test from 'ava';
import type { ClusterPlan } from '../src/index.js';
import { host, hosts, load, show, threeMasters } from './helpers.js';

/** The plan of a spec that must load without an error. */
const planOf = (spec: unknown): ClusterPlan => {
  const report = load(spec);
  if (!report.plan) throw new Error(`no plan:\n${show(report)}`);
  return report.plan;
};

// ZooKeeper -------------------------------------------------------------------------------------------

test('ZooKeeper ids are 1..n in host order when the spec gives none', (t) => {
  const zk = planOf(threeMasters()).zookeeper;
  t.deepEqual(
    zk?.members.map((m) => [m.host, m.id, m.idFromSpec]),
    [
      ['m1', 1, false],
      ['m2', 2, false],
      ['m3', 3, false],
    ],
  );
  t.is(zk?.quorum.majority, 2);
});

test('a host’s own id is kept, the others take the lowest free ids, and members come in id order', (t) => {
  const spec = threeMasters();
  host(spec, 0).zookeeper = { id: 2 };
  const zk = planOf(spec).zookeeper;
  t.deepEqual(
    zk?.members.map((m) => [m.host, m.id, m.idFromSpec]),
    [
      ['m2', 1, false],
      ['m1', 2, true],
      ['m3', 3, false],
    ],
  );
  t.is(zk?.connectString, '10.16.40.2:2181,10.16.40.1:2181,10.16.40.3:2181', 'in id order');
});

test('ids may leave gaps with the package runtime', (t) => {
  const spec = threeMasters();
  host(spec, 1).zookeeper = { id: 7 };
  host(spec, 2).zookeeper = { id: 1 };
  t.deepEqual(
    planOf(spec).zookeeper?.members.map((m) => [m.host, m.id]),
    [
      ['m3', 1],
      ['m1', 2],
      ['m2', 7],
    ],
  );
});

test('the connect string lists every member at its client port', (t) => {
  t.is(planOf(threeMasters()).zookeeper?.connectString, '10.16.40.1:2181,10.16.40.2:2181,10.16.40.3:2181');
  const spec = threeMasters({ zookeeper: { version: '3.4.6', clientPort: 2191 } });
  host(spec, 1).zookeeper = { clientPort: 2182 };
  const zk = planOf(spec).zookeeper;
  t.is(zk?.connectString, '10.16.40.1:2191,10.16.40.2:2182,10.16.40.3:2191');
  t.deepEqual(
    zk?.members.map((m) => m.clientPort),
    [2191, 2182, 2191],
  );
});

test('host settings override the cluster section, which overrides the defaults', (t) => {
  const spec = threeMasters({ zookeeper: { version: '3.4.6', dataDir: '/srv/zk', peerPort: 2999 } });
  host(spec, 2).zookeeper = { dataDir: '/data/zk' };
  const members = planOf(spec).zookeeper?.members;
  t.deepEqual(
    members?.map((m) => [m.dataDir, m.peerPort, m.electionPort]),
    [
      ['/srv/zk', 2999, 3888],
      ['/srv/zk', 2999, 3888],
      ['/data/zk', 2999, 3888],
    ],
  );
});

test('the AdminServer is on by default only for ZooKeeper 3.5 to 3.9', (t) => {
  const enabled = (version: string, adminServer: Record<string, unknown> = { port: 8081 }) =>
    // 3.10 is not released yet (apache/zookeeper master): waived as newer than the table of releases
    planOf(
      threeMasters({
        zookeeper: { version, adminServer },
        ...(version === '3.10.0'
          ? { waive: { 'unknown-version': 'ZooKeeper 3.10 is not released yet' } }
          : {}),
      }),
    ).zookeeper?.members.map((m) => m.adminServer.enabled);
  t.deepEqual(enabled('3.4.6'), [false, false, false], '3.4 has no AdminServer');
  t.deepEqual(enabled('3.4.6', { enabled: true }), [false, false, false], 'not even when asked for');
  t.deepEqual(enabled('3.5.9'), [true, true, true]);
  t.deepEqual(enabled('3.9.2'), [true, true, true]);
  t.deepEqual(enabled('3.10.0'), [false, false, false]);
  t.deepEqual(enabled('3.10.0', { enabled: true, port: 8081 }), [true, true, true]);
  t.is(
    planOf(threeMasters({ zookeeper: { version: '3.5.9', adminServer: { port: 8081 } } })).zookeeper
      ?.members[0]?.adminServer.port,
    8081,
  );
});

// Mesos and Marathon ------------------------------------------------------------------------------------

test('Mesos and Marathon ZooKeeper URLs come from the one connect string', (t) => {
  const plan = planOf(threeMasters());
  const zk = '10.16.40.1:2181,10.16.40.2:2181,10.16.40.3:2181';
  t.is(plan.mesos?.zookeeper, zk);
  t.is(plan.mesos?.zkUrl, `zk://${zk}/mesos`);
  t.is(plan.marathon?.zkUrl, `zk://${zk}/marathon`);
  t.is(plan.marathon?.masterUrl, plan.mesos?.zkUrl);
  t.deepEqual(plan.mesos?.masterUrls, [
    'http://10.16.40.1:5050',
    'http://10.16.40.2:5050',
    'http://10.16.40.3:5050',
  ]);
  t.deepEqual(plan.marathon?.urls, [
    'http://10.16.40.1:8080',
    'http://10.16.40.2:8080',
    'http://10.16.40.3:8080',
  ]);
});

test('the ZooKeeper paths and a client port override show in the URLs', (t) => {
  const spec = threeMasters({
    mesos: { version: '1.11.0', zkPath: '/prod/mesos' },
    marathon: { version: '1.11.24', zkPath: '/prod/marathon' },
  });
  host(spec, 2).zookeeper = { clientPort: 2182 };
  const plan = planOf(spec);
  const zk = '10.16.40.1:2181,10.16.40.2:2181,10.16.40.3:2182';
  t.is(plan.mesos?.zkUrl, `zk://${zk}/prod/mesos`);
  t.is(plan.marathon?.zkUrl, `zk://${zk}/prod/marathon`);
  t.is(plan.marathon?.masterUrl, `zk://${zk}/prod/mesos`);
});

test('an external ZooKeeper ensemble feeds the Mesos and Marathon URLs', (t) => {
  const external = '10.9.0.1:2181,10.9.0.2:2181,10.9.0.3:2181';
  const spec = threeMasters({ mesos: { version: '1.11.0', externalZookeeper: external } });
  for (const h of spec.hosts) h.roles = h.roles.filter((r) => r !== 'zookeeper');
  delete spec.zookeeper;
  const plan = planOf(spec);
  t.is(plan.mesos?.zkUrl, `zk://${external}/mesos`);
  t.is(plan.marathon?.zkUrl, `zk://${external}/marathon`);
  t.is(plan.zookeeper, undefined);
});

for (const [masters, q] of majorities)
  test(`the Mesos quorum of ${masters} master(s) is ${q}`, (t) => {
    const spec = {
      name: 'q',
      hosts: [...hosts(3, ['zookeeper'], '10.1.0.'), ...hosts(masters, ['mesos-master'], '10.2.0.')],
      zookeeper: { version: '3.4.6' },
      mesos: { version: '1.11.0' },
    };
    // one or an even number of masters draw a warning, which blocks no plan
    const plan = planOf(spec);
    t.is(plan.mesos?.quorumValue, q);
    t.is(plan.mesos?.quorum.members, masters);
  });

test('the Mesos quorum counts the masters, not the ZooKeeper hosts', (t) => {
  const spec = {
    name: 'q',
    hosts: [...hosts(5, ['zookeeper'], '10.1.0.'), ...hosts(3, ['mesos-master'], '10.2.0.')],
    zookeeper: { version: '3.4.6' },
    mesos: { version: '1.11.0' },
  };
  const plan = planOf(spec);
  t.is(plan.zookeeper?.quorum.majority, 3);
  t.is(plan.mesos?.quorumValue, 2);
});

test('a Mesos quorum override that passes the checks is what the plan uses', (t) => {
  t.is(planOf(threeMasters({ mesos: { version: '1.11.0', quorum: 3 } })).mesos?.quorumValue, 3);
});

// etcd and Kubernetes ----------------------------------------------------------------------------------

const etcdSpec = (etcd: Record<string, unknown> = {}, kubernetes: Record<string, unknown> = {}) => ({
  name: 'e',
  hosts: hosts(3, ['etcd', 'k8s-master']),
  etcd: { version: '3.5.16', ...etcd },
  kubernetes: { version: '1.31.4', flavor: 'standalone', pkiDir: 'pki', ...kubernetes },
});

test('etcd client URLs all carry their scheme, and the apiservers get the same list', (t) => {
  const plan = planOf(etcdSpec());
  t.deepEqual(plan.etcd?.clientUrls, [
    'http://10.0.0.1:2379',
    'http://10.0.0.2:2379',
    'http://10.0.0.3:2379',
  ]);
  t.deepEqual(plan.kubernetes?.etcdServers, plan.etcd?.clientUrls);
  t.is(plan.etcd?.clientScheme, 'http');
});

test('etcd client TLS turns every client URL to https', (t) => {
  const plan = planOf(etcdSpec({ tls: { client: true, pkiDir: 'pki' } }));
  t.deepEqual(plan.etcd?.clientUrls, [
    'https://10.0.0.1:2379',
    'https://10.0.0.2:2379',
    'https://10.0.0.3:2379',
  ]);
  t.deepEqual(plan.kubernetes?.etcdServers, plan.etcd?.clientUrls);
  t.regex(plan.etcd?.initialCluster ?? '', /^etcd-1=http:\/\//, 'peer TLS is a separate switch');
});

test('the initial cluster names every member with its peer URL', (t) => {
  t.is(
    planOf(etcdSpec()).etcd?.initialCluster,
    'etcd-1=http://10.0.0.1:2380,etcd-2=http://10.0.0.2:2380,etcd-3=http://10.0.0.3:2380',
  );
  t.is(
    planOf(etcdSpec({ peerPort: 12380, tls: { peer: true, pkiDir: 'pki' } })).etcd?.initialCluster,
    'etcd-1=https://10.0.0.1:12380,etcd-2=https://10.0.0.2:12380,etcd-3=https://10.0.0.3:12380',
  );
});

test('legacy ports add the 4001 client and 7001 peer URL to each member', (t) => {
  const etcd = planOf(etcdSpec({ version: '2.2.1', legacyPorts: true }, { version: '1.6.0' })).etcd;
  t.deepEqual(
    etcd?.members.map((m) => m.clientUrls),
    [1, 2, 3].map((i) => [`http://10.0.0.${i}:2379`, `http://10.0.0.${i}:4001`]),
  );
  t.deepEqual(
    etcd?.members.map((m) => m.peerUrls),
    [1, 2, 3].map((i) => [`http://10.0.0.${i}:2380`, `http://10.0.0.${i}:7001`]),
  );
  t.true(
    etcd?.clientUrls.every((u) => /^http:\/\/10\.0\.0\.\d:2379$/.test(u)),
    'one URL per member',
  );
  const plain = planOf(etcdSpec()).etcd;
  t.true(plain?.members.every((m) => m.clientUrls.length === 1 && m.peerUrls.length === 1));
});

test('the etcd token defaults to one derived from the cluster name', (t) => {
  t.is(planOf(etcdSpec()).etcd?.token, 'e-etcd');
  t.is(planOf(etcdSpec({ token: 'abc' })).etcd?.token, 'abc');
});

test('apiserver URLs use the secure port over https', (t) => {
  const k8s = planOf(etcdSpec()).kubernetes;
  t.deepEqual(k8s?.apiserverUrls, [
    'https://10.0.0.1:6443',
    'https://10.0.0.2:6443',
    'https://10.0.0.3:6443',
  ]);
  t.deepEqual(k8s?.insecureApiserverUrls, []);
  const moved = planOf(etcdSpec({}, { apiserver: { securePort: 8443 } })).kubernetes;
  t.is(moved?.apiserverUrls[0], 'https://10.0.0.1:8443');
});

test('an insecure port gets its own http URL list', (t) => {
  const k8s = planOf(
    etcdSpec({ version: '2.2.1' }, { version: '1.1.3', apiserver: { securePort: 0, insecurePort: 8888 } }),
  ).kubernetes;
  t.deepEqual(k8s?.apiserverUrls, [], 'securePort 0 turns the TLS port off');
  t.deepEqual(k8s?.insecureApiserverUrls, [
    'http://10.0.0.1:8888',
    'http://10.0.0.2:8888',
    'http://10.0.0.3:8888',
  ]);
  const both = planOf(etcdSpec({}, { version: '1.19.16', apiserver: { insecurePort: 8888 } })).kubernetes;
  t.is(both?.apiserverUrls.length, 3);
  t.is(both?.insecureApiserverUrls[1], 'http://10.0.0.2:8888');
});

test('the kubernetes service address is the first address of the service range', (t) => {
  t.is(planOf(etcdSpec()).kubernetes?.kubernetesServiceIp, '10.96.0.1', 'the default range 10.96.0.0/12');
  t.is(
    planOf(etcdSpec({}, { serviceClusterIpRange: '10.10.10.0/24' })).kubernetes?.kubernetesServiceIp,
    '10.10.10.1',
  );
  t.is(
    planOf(etcdSpec({}, { serviceClusterIpRange: '172.30.0.0/16' })).kubernetes?.kubernetesServiceIp,
    '172.30.0.1',
  );
});

test('HAProxy balances the apiservers at their secure port', (t) => {
  const spec = etcdSpec();
  spec.hosts.push({ name: 'lb', address: '10.0.0.100', roles: ['haproxy'] });
  const plan = planOf({ ...spec, haproxy: { version: '2.6' } });
  t.deepEqual(
    plan.haproxy?.apiservers.map((a) => `${a.scheme}://${a.address}:${a.port}`),
    ['https://10.0.0.1:6443', 'https://10.0.0.2:6443', 'https://10.0.0.3:6443'],
  );
});

// hosts ----------------------------------------------------------------------------------------------

test('host roles come in canonical order whatever the spec order', (t) => {
  const spec = threeMasters();
  host(spec, 0).roles = ['marathon', 'mesos-master', 'zookeeper'];
  host(spec, 1).roles = ['mesos-master', 'zookeeper', 'marathon'];
  const plan = planOf(spec);
  t.deepEqual(plan.hosts[0]?.roles, ['zookeeper', 'mesos-master', 'marathon']);
  t.deepEqual(plan.hosts[1]?.roles, ['zookeeper', 'mesos-master', 'marathon']);
  t.deepEqual(
    plan.hosts.map((h) => h.name),
    ['m1', 'm2', 'm3', 'a1'],
    'hosts stay in spec order',
  );
});
