import test from 'ava';
import { checks, find, hosts, load, threeMasters } from './helpers.js';

const k8s = (extra: Record<string, unknown> = {}, kubernetes: Record<string, unknown> = {}) => ({
  name: 'k',
  hosts: [
    { name: 'master', address: '192.168.0.7', roles: ['etcd', 'k8s-master'] },
    { name: 'n1', address: '192.168.0.3', roles: ['k8s-node'], kubernetes: { podCidr: '10.0.1.0/24' } },
    { name: 'n2', address: '192.168.0.6', roles: ['k8s-node'], kubernetes: { podCidr: '10.0.2.0/24' } },
  ],
  etcd: { version: '3.5.16' },
  kubernetes: {
    version: '1.28.15',
    flavor: 'standalone',
    serviceClusterIpRange: '10.254.0.0/16',
    ...kubernetes,
  },
  waive: { 'no-redundancy': 'lab' },
  ...extra,
});

test('duplicate host names are found without regard to case', (t) => {
  const spec = threeMasters();
  spec.hosts[2] = { ...spec.hosts[2], name: 'M1' } as (typeof spec.hosts)[number];
  const f = find(load(spec), 'duplicate-host-name')[0];
  t.deepEqual(f?.path, ['hosts', 2, 'name']);
});

test('two hosts of one role on one address clash, unless one moves its ports', (t) => {
  const spec = threeMasters();
  spec.hosts.push({ name: 'zk4', address: '10.16.40.3', roles: ['zookeeper'] });
  spec.hosts.push({ name: 'zk5', address: '10.16.40.21', roles: ['zookeeper'] });
  const f = find(load(spec), 'duplicate-address');
  t.is(f.length, 1);
  t.regex(f[0]?.message ?? '', /"m3" and "zk4" both run zookeeper on 10\.16\.40\.3/);
  (spec.hosts[4] as Record<string, unknown>).zookeeper = {
    clientPort: 2182,
    peerPort: 2889,
    electionPort: 3889,
  };
  t.deepEqual(find(load(spec), 'duplicate-address'), []);
});

test('ZooKeeper 3.5–3.9 AdminServer clashes with Marathon on 8080, naming both', (t) => {
  const clash = find(load(threeMasters({ zookeeper: { version: '3.5.9' } })), 'port-clash');
  t.is(clash.length, 1, 'one finding for the cluster-wide setting');
  t.regex(clash[0]?.message ?? '', /port 8080 .*"m1", "m2", "m3".*AdminServer.*Marathon/);
  t.regex(clash[0]?.fix ?? '', /adminServer\.enabled: false/);
  for (const zookeeper of [
    { version: '3.4.6' },
    { version: '3.10.0' },
    { version: '3.8.4', adminServer: { port: 8081 } },
  ])
    t.deepEqual(find(load(threeMasters({ zookeeper })), 'port-clash'), [], JSON.stringify(zookeeper));
});

test('HAProxy on an apiserver host clashes on 6443', (t) => {
  const spec = k8s();
  spec.hosts[0]?.roles.push('haproxy');
  const f = find(load({ ...spec, haproxy: { version: '2.6' } }), 'port-clash');
  t.regex(f[0]?.message ?? '', /port 6443 .*kube-apiserver secure port.*HAProxy frontend/);
});

test('sections and roles must come together, with their dependencies', (t) => {
  const noSection = threeMasters();
  delete (noSection as Partial<typeof noSection>).marathon;
  t.true(checks(load(noSection)).includes('missing-section'));
  t.true(checks(load(threeMasters({ etcd: { version: '3.5.16' } }))).includes('empty-ensemble'));
  const noZk = threeMasters();
  for (const h of noZk.hosts) h.roles = h.roles.filter((r) => r !== 'zookeeper');
  delete (noZk as Partial<typeof noZk>).zookeeper;
  const deps = find(load(noZk), 'missing-dependency').map((f) => f.message);
  t.true(deps.some((m) => /Mesos masters needs at least one "zookeeper" host/.test(m)));
  t.true(find(load(noZk), 'missing-dependency').some((f) => /mesos\.externalZookeeper/.test(f.fix ?? '')));
  const both = threeMasters({ mesos: { version: '1.11.0', externalZookeeper: '10.9.0.1:2181' } });
  t.deepEqual(find(load(both), 'missing-dependency')[0]?.path, ['mesos', 'externalZookeeper']);
  const bad = load(
    threeMasters({ mesos: { version: '1.11.0', externalZookeeper: 'zk://10.9.0.1:2181/mesos' } }),
  );
  t.regex(bad.findings[0]?.message ?? '', /connect string/);
});

test('even ensembles warn with the tolerated failures and still plan', (t) => {
  for (const n of [2, 4]) {
    const report = load({
      name: 'e',
      hosts: hosts(n, ['zookeeper', 'etcd']),
      zookeeper: { version: '3.8.4' },
      etcd: { version: '3.5.16' },
    });
    const even = find(report, 'even-ensemble');
    t.is(even.length, 2);
    t.true(even.every((f) => f.severity === 'warning'));
    t.regex(even[0]?.message ?? '', new RegExp(`tolerates ${n === 2 ? 0 : 1} failure`));
    t.truthy(report.plan);
  }
  const one = load({ name: 'e', hosts: hosts(1, ['etcd']), etcd: { version: '3.5.16' } });
  t.deepEqual(checks(one), ['no-redundancy']);
});

test('ZooKeeper ids must be unique, and 1..n with the docker image', (t) => {
  const dup = threeMasters();
  (dup.hosts[0] as Record<string, unknown>).zookeeper = { id: 2 };
  (dup.hosts[1] as Record<string, unknown>).zookeeper = { id: 2 };
  t.deepEqual(find(load(dup), 'zookeeper-id')[0]?.path, ['hosts', 1, 'zookeeper', 'id']);
  const docker = threeMasters({ zookeeper: { version: '3.4.6', runtime: 'docker' } });
  (docker.hosts[2] as Record<string, unknown>).zookeeper = { id: 9 };
  t.regex(find(load(docker), 'zookeeper-docker-ids')[0]?.message ?? '', /ids must be 1\.\.3; got 1, 2, 9/);
  const ports = threeMasters({ zookeeper: { version: '3.4.6', runtime: 'docker', peerPort: 2889 } });
  (ports.hosts[1] as Record<string, unknown>).zookeeper = { clientPort: 2182 };
  t.deepEqual(
    find(load(ports), 'zookeeper-docker-ports').map((f) => f.path.join('.')),
    ['zookeeper.peerPort', 'hosts.1.zookeeper.clientPort', 'zookeeper.peerPort', 'zookeeper.peerPort'],
  );
  const pkg = threeMasters();
  (pkg.hosts[2] as Record<string, unknown>).zookeeper = { id: 9 };
  t.deepEqual(checks(load(pkg)), []);
});

test('a Mesos quorum override must be a reachable majority of the masters', (t) => {
  const quorum = (q: number) => load(threeMasters({ mesos: { version: '1.11.0', quorum: q } }));
  t.deepEqual(checks(quorum(1)), ['quorum-not-majority']);
  t.regex(find(quorum(1), 'quorum-not-majority')[0]?.fix ?? '', /use 2/);
  t.deepEqual(checks(quorum(4)), ['quorum-unreachable']);
  t.deepEqual(checks(quorum(3), 'warning'), ['quorum-above-majority']);
  t.deepEqual(checks(quorum(2)), []);
});

test('CIDRs: host bits, overlaps, ranges outside the cluster range, hosts inside ranges', (t) => {
  const hostBits = k8s();
  (hostBits.hosts[1] as Record<string, unknown>).kubernetes = { podCidr: '10.0.1.1/24' };
  t.regex(find(load(hostBits), 'cidr-host-bits')[0]?.fix ?? '', /write 10\.0\.1\.0\/24/);

  const same = k8s();
  (same.hosts[2] as Record<string, unknown>).kubernetes = { podCidr: '10.0.1.0/24' };
  t.deepEqual(find(load(same), 'cidr-overlap')[0]?.path, ['hosts', 2, 'kubernetes', 'podCidr']);

  const intoServices = load(k8s({}, { serviceClusterIpRange: '10.0.0.0/16' }));
  t.is(find(intoServices, 'cidr-overlap').length, 2);

  const hostInRange = load(k8s({}, { serviceClusterIpRange: '192.168.0.0/16' }));
  t.deepEqual(
    find(hostInRange, 'cidr-overlap').map((f) => f.path.join('.')),
    ['hosts.0.address', 'hosts.1.address', 'hosts.2.address'],
  );

  t.deepEqual(checks(load(k8s({}, { clusterCidr: '10.0.0.0/16' }))), []);
  t.regex(
    find(load(k8s({}, { clusterCidr: '10.1.0.0/16' })), 'cidr-overlap')[0]?.message ?? '',
    /outside the cluster pod range/,
  );
});

test('the cluster DNS address must be a usable service address', (t) => {
  t.deepEqual(checks(load(k8s({}, { clusterDns: '10.254.0.10' }))), []);
  t.regex(
    find(load(k8s({}, { clusterDns: '10.99.0.10' })), 'cluster-dns')[0]?.message ?? '',
    /outside the service range/,
  );
  t.regex(
    find(load(k8s({}, { clusterDns: '10.254.0.1' })), 'cluster-dns')[0]?.message ?? '',
    /first service address/,
  );
});

const onMesos = (etcdVersion: string, kubernetesVersion = '1.1.3') => ({
  name: 'om',
  hosts: [
    ...hosts(3, ['zookeeper', 'etcd', 'mesos-master', 'k8s-master'], '192.168.33.2'),
    { name: 'agent', address: '192.168.33.31', roles: ['mesos-agent'] },
  ],
  zookeeper: { version: '3.4.6' },
  mesos: { version: '0.24.1' },
  etcd: { version: etcdVersion },
  kubernetes: {
    version: kubernetesVersion,
    flavor: 'mesos',
    apiserver: { securePort: 0, insecurePort: 8888 },
  },
});

test('Kubernetes on Mesos needs the etcd v2 API', (t) => {
  t.deepEqual(checks(load(onMesos('3.6.0'))), ['etcd-v2-api']);
  t.is(load(onMesos('3.5.16')).plan?.etcd?.enableV2, true);
  t.is(load(onMesos('3.3.0')).plan?.etcd?.enableV2, false, 'no --enable-v2 before 3.4: v2 is always on');
  const off = onMesos('3.5.16');
  (off.etcd as Record<string, unknown>).enableV2 = false;
  t.deepEqual(find(load(off), 'etcd-v2-api')[0]?.path, ['etcd', 'enableV2']);
});

test('the storage backend follows the etcd and Kubernetes versions', (t) => {
  t.is(load(onMesos('2.2.1', '1.6.0')).plan?.kubernetes?.storageBackend, 'etcd2');
  t.is(load(onMesos('3.1.0', '1.6.0')).plan?.kubernetes?.storageBackend, 'etcd3');
  t.deepEqual(checks(load(onMesos('2.2.1', '1.13.0'))), ['storage-backend']);
});

test('the insecure apiserver port is refused from 1.20', (t) => {
  t.deepEqual(find(load(k8s({}, { apiserver: { insecurePort: 8080 } })), 'apiserver-ports')[0]?.path, [
    'kubernetes',
    'apiserver',
    'insecurePort',
  ]);
});

test('a host cannot override a component it does not run', (t) => {
  const spec = threeMasters();
  (spec.hosts[3] as Record<string, unknown>).zookeeper = { dataDir: '/data' };
  t.deepEqual(find(load(spec), 'override-without-role')[0]?.path, ['hosts', 3, 'zookeeper']);
});

test('waivers silence one check, are recorded with the reason, and cannot excuse what cannot work', (t) => {
  const four = threeMasters({ waive: { 'even-ensemble': 'adding a 4th before removing one' } });
  four.hosts.push({ name: 'zk4', address: '10.16.40.4', roles: ['zookeeper'] });
  const report = load(four);
  t.deepEqual(checks(report), []);
  t.is(report.waived[0]?.check, 'even-ensemble');
  t.is(report.waived[0]?.reason, 'adding a 4th before removing one');
  t.is(report.waived[0]?.findings.length, 1);

  const forbidden = load(
    threeMasters({ mesos: { version: '1.11.0', quorum: 1 }, waive: { 'quorum-not-majority': 'yolo' } }),
  );
  t.true(
    forbidden.findings.some(
      (f) => f.path.join('.') === 'waive.quorum-not-majority' && /cannot be waived/.test(f.message),
    ),
  );
  t.true(checks(forbidden).includes('quorum-not-majority'));

  const unused = load(threeMasters({ waive: { 'even-ensemble': 'nothing to waive' } }));
  t.regex(unused.findings[0]?.message ?? '', /matches nothing/);
  t.is(unused.findings[0]?.severity, 'warning');
});

test('extra flags cannot replace what k8sm derives and checks', (t) => {
  const report = load(
    threeMasters({
      mesos: {
        version: '1.11.0',
        master: { flags: { quorum: 1, max_agent_ping_timeouts: 5 } },
        agent: { flags: { master: 'x' } },
      },
    }),
  );
  t.deepEqual(
    find(report, 'derived-flag').map((f) => f.path.join('.')),
    ['mesos.master.flags.quorum', 'mesos.agent.flags.master'],
  );
  t.regex(find(report, 'derived-flag')[0]?.fix ?? '', /set mesos\.quorum instead/);
});
