import test from 'ava';
import { CHECKS } from '../src/index.js';
import {
  checks,
  errors,
  find,
  host,
  hosts,
  k8s,
  load,
  paths,
  type SpecIn,
  show,
  threeMasters,
} from './helpers.js';

test('the base specs of these tests have no finding at all', (t) => {
  for (const [what, spec] of [
    ['threeMasters', threeMasters()],
    ['k8s', k8s()],
  ] as const) {
    const report = load(spec);
    t.deepEqual(report.findings, [], `${what}: ${show(report)}`);
    t.truthy(report.plan, what);
  }
});

// hosts and addresses ------------------------------------------------------------------------------

test('duplicate host names are found without regard to case', (t) => {
  const spec = threeMasters();
  host(spec, 2).name = 'M1';
  const report = load(spec);
  const f = find(report, 'duplicate-host-name');
  t.is(f.length, 1);
  t.deepEqual(f[0]?.path, ['hosts', 2, 'name']);
  t.is(f[0]?.severity, 'error');
  t.regex(f[0]?.message ?? '', /"M1" is already used by hosts\[0\]/);
  t.falsy(report.plan);
});

/** threeMasters plus a fifth ZooKeeper host sharing m3's address (five keeps the ensemble odd). */
const sharedAddress = (own?: Record<string, unknown>): SpecIn => {
  const spec = threeMasters();
  spec.hosts.push({
    name: 'zk4',
    address: '10.16.40.3',
    roles: ['zookeeper'],
    ...(own ? { zookeeper: own } : {}),
  });
  spec.hosts.push({ name: 'zk5', address: '10.16.40.21', roles: ['zookeeper'] });
  return spec;
};

test('two hosts running one role on one address clash', (t) => {
  const report = load(sharedAddress());
  t.deepEqual(checks(report), ['duplicate-address'], show(report));
  const f = find(report, 'duplicate-address')[0];
  t.deepEqual(f?.path, ['hosts', 4, 'address']);
  t.regex(
    f?.message ?? '',
    /"m3" and "zk4" both run zookeeper on 10\.16\.40\.3, on the same ports \(2181, 2888, 3888\)/,
  );
  t.falsy(report.plan);
});

test('moving only some ports leaves the others clashing', (t) => {
  const f = find(load(sharedAddress({ clientPort: 2182 })), 'duplicate-address');
  t.is(f.length, 1);
  t.regex(f[0]?.message ?? '', /same ports \(2888, 3888\)/);
});

test('no clash when one host’s own section moves all its ports', (t) => {
  const report = load(sharedAddress({ clientPort: 2182, peerPort: 2889, electionPort: 3889 }));
  t.deepEqual(report.findings, [], show(report));
  t.truthy(report.plan);
});

test('hosts of different roles may share an address when their ports differ', (t) => {
  const spec = threeMasters({ etcd: { version: '3.5.16' } });
  spec.hosts.push(...hosts(3, ['etcd'], '10.16.40.'));
  t.deepEqual(load(spec).findings, []);
});

// ports ---------------------------------------------------------------------------------------------

test('ZooKeeper 3.5’s AdminServer clashes with Marathon on 8080, naming both, once for the cluster', (t) => {
  const report = load(threeMasters({ zookeeper: { version: '3.5.9' } }));
  const clash = find(report, 'port-clash');
  t.is(clash.length, 1, show(report));
  t.is(clash[0]?.severity, 'error');
  t.regex(clash[0]?.message ?? '', /^port 8080 is claimed twice on hosts "m1", "m2", "m3": /);
  t.regex(clash[0]?.message ?? '', /AdminServer/);
  t.regex(clash[0]?.message ?? '', /Marathon/);
  t.regex(clash[0]?.fix ?? '', /zookeeper\.adminServer\.enabled: false/);
  t.falsy(report.plan);
});

test('no AdminServer clash with 3.4 (none), 3.10 (off by default), or when it is moved or off', (t) => {
  for (const zookeeper of [
    { version: '3.4.6' },
    { version: '3.10.0' },
    { version: '3.5.9', adminServer: { port: 8081 } },
    { version: '3.5.9', adminServer: { enabled: false } },
  ]) {
    const report = load(threeMasters({ zookeeper }));
    t.deepEqual(report.findings, [], `${JSON.stringify(zookeeper)}: ${show(report)}`);
  }
});

test('turning the AdminServer on in 3.10 brings the clash back', (t) => {
  const report = load(threeMasters({ zookeeper: { version: '3.10.0', adminServer: { enabled: true } } }));
  t.deepEqual(checks(report), ['port-clash']);
});

test('moving Marathon on one host leaves the clash on the others', (t) => {
  const spec = threeMasters({ zookeeper: { version: '3.5.9' } });
  host(spec, 1).marathon = { httpPort: 8090 };
  const f = find(load(spec), 'port-clash');
  t.is(f.length, 1);
  t.regex(f[0]?.message ?? '', /on hosts "m1", "m3":/);
});

test('HAProxy’s 6443 frontend on an apiserver host clashes with the apiserver', (t) => {
  const spec = k8s();
  host(spec, 0).roles.push('haproxy');
  spec.haproxy = { version: '2.6' };
  const f = find(load(spec), 'port-clash');
  t.is(f.length, 1);
  t.deepEqual(f[0]?.path, ['haproxy', 'frontendPort']);
  t.regex(f[0]?.message ?? '', /port 6443 .*kube-apiserver secure port.*HAProxy frontend/);
  spec.haproxy = { version: '2.6', frontendPort: 8443 };
  t.deepEqual(load(spec).findings, []);
});

test('HAProxy’s frontend on its own host does not clash', (t) => {
  const spec = k8s();
  spec.hosts.push({ name: 'lb', address: '192.168.0.100', roles: ['haproxy'] });
  spec.haproxy = { version: '2.6' };
  t.deepEqual(load(spec).findings, []);
});

// sections, roles and dependencies ------------------------------------------------------------------

test('a role without its section is reported once, at the first host that has it', (t) => {
  const spec = threeMasters();
  delete spec.marathon;
  const f = find(load(spec), 'missing-section');
  t.is(f.length, 1);
  t.deepEqual(f[0]?.path, ['hosts', 0, 'roles', 2]);
  t.regex(f[0]?.message ?? '', /role "marathon" but the spec has no "marathon" section/);
});

test('a section without any host of its role is an empty ensemble', (t) => {
  const report = load(threeMasters({ etcd: { version: '3.5.16' } }));
  t.deepEqual(checks(report), ['empty-ensemble']);
  t.deepEqual(find(report, 'empty-ensemble')[0]?.path, ['etcd']);
});

test('Mesos masters without ZooKeeper hosts miss a dependency', (t) => {
  const spec = threeMasters();
  for (const h of spec.hosts) h.roles = h.roles.filter((r) => r !== 'zookeeper');
  delete spec.zookeeper;
  const report = load(spec);
  t.true(
    errors(report).every((f) => f.check === 'missing-dependency'),
    show(report),
  );
  const f = find(report, 'missing-dependency').find((x) => /Mesos masters/.test(x.message));
  t.deepEqual(f?.path, ['mesos']);
  t.regex(f?.message ?? '', /needs at least one "zookeeper" host/);
  t.regex(f?.fix ?? '', /mesos\.externalZookeeper/);
  t.truthy(find(report, 'missing-dependency').find((x) => /^Marathon/.test(x.message)));
  t.falsy(report.plan);
});

test('an external ZooKeeper ensemble satisfies the dependency, but not next to managed ZooKeeper hosts', (t) => {
  const external = threeMasters({ mesos: { version: '1.11.0', externalZookeeper: '10.9.0.1:2181' } });
  t.deepEqual(paths(load(external), 'missing-dependency'), ['mesos.externalZookeeper']);
  for (const h of external.hosts) h.roles = h.roles.filter((r) => r !== 'zookeeper');
  delete external.zookeeper;
  t.deepEqual(load(external).findings, []);
});

test('Kubernetes nodes without masters, and Kubernetes without etcd, miss a dependency', (t) => {
  const spec = k8s();
  host(spec, 0).roles = ['etcd'];
  t.true(find(load(spec), 'missing-dependency').some((f) => /Kubernetes nodes/.test(f.message)));
  const noEtcd = k8s();
  host(noEtcd, 0).roles = ['k8s-master'];
  delete noEtcd.etcd;
  t.true(
    find(load(noEtcd), 'missing-dependency').some((f) =>
      /apiserver stores everything in etcd/.test(f.message),
    ),
  );
});

test('a host cannot override a component it does not run', (t) => {
  const spec = threeMasters();
  host(spec, 3).zookeeper = { dataDir: '/data' };
  const report = load(spec);
  t.deepEqual(checks(report), ['override-without-role']);
  t.deepEqual(find(report, 'override-without-role')[0]?.path, ['hosts', 3, 'zookeeper']);
});

test('a mesos section on an agent is an override of a role it has', (t) => {
  const spec = threeMasters();
  host(spec, 3).mesos = { agent: { port: 5052 } };
  t.deepEqual(load(spec).findings, []);
});

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

// address ranges --------------------------------------------------------------------------------------

test('a pod range with host bits set is reported with the range it means', (t) => {
  const report = load(k8s({}, ['10.0.1.1/24', '10.0.2.0/24']));
  t.deepEqual(checks(report), ['cidr-host-bits']);
  const f = find(report, 'cidr-host-bits')[0];
  t.deepEqual(f?.path, ['hosts', 1, 'kubernetes', 'podCidr']);
  t.is(f?.fix, 'write 10.0.1.0/24');
});

test('a service range with host bits set is reported at its key', (t) => {
  const f = find(load(k8s({ serviceClusterIpRange: '10.254.3.0/16' })), 'cidr-host-bits')[0];
  t.deepEqual(f?.path, ['kubernetes', 'serviceClusterIpRange']);
  t.is(f?.fix, 'write 10.254.0.0/16');
});

test('overlapping node pod ranges are reported', (t) => {
  for (const podCidrs of [
    ['10.0.1.0/24', '10.0.1.0/24'],
    ['10.0.1.0/24', '10.0.1.128/25'],
    ['10.0.1.128/25', '10.0.0.0/16'],
  ]) {
    const report = load(k8s({}, podCidrs));
    t.deepEqual(checks(report), ['cidr-overlap'], podCidrs.join(' '));
    t.regex(
      report.findings[0]?.message ?? '',
      /the pod range of host "n\d" .* overlaps the pod range of host "n\d"/,
    );
  }
});

test('adjacent pod ranges do not overlap', (t) => {
  t.deepEqual(load(k8s({}, ['10.0.1.0/25', '10.0.1.128/25'])).findings, []);
});

test('a pod range inside the service range is reported', (t) => {
  const report = load(k8s({ serviceClusterIpRange: '10.0.0.0/16' }));
  t.deepEqual(paths(report, 'cidr-overlap'), ['hosts.1.kubernetes.podCidr', 'hosts.2.kubernetes.podCidr']);
  t.regex(report.findings[0]?.message ?? '', /overlaps the service range 10\.0\.0\.0\/16/);
});

test('a host address inside the service range is reported at the host', (t) => {
  const report = load(k8s({ serviceClusterIpRange: '192.168.0.0/28' }));
  t.deepEqual(paths(report, 'cidr-overlap'), ['hosts.0.address', 'hosts.1.address', 'hosts.2.address']);
  t.regex(
    report.findings[0]?.message ?? '',
    /host "master" \(192\.168\.0\.7\) lies inside the service range/,
  );
  const narrow = load(k8s({ serviceClusterIpRange: '192.168.0.8/29' }));
  t.deepEqual(paths(narrow, 'cidr-overlap'), ['hosts.1.address', 'hosts.2.address'], '.7 is outside .8/29');
});

test('a pod range outside the cluster pod range is reported', (t) => {
  const report = load(k8s({ clusterCidr: '10.0.0.0/23' }));
  t.deepEqual(paths(report, 'cidr-overlap'), ['hosts.2.kubernetes.podCidr']);
  t.regex(
    report.findings[0]?.message ?? '',
    /10\.0\.2\.0\/24 is outside the cluster pod range 10\.0\.0\.0\/23/,
  );
});

test('pod ranges inside the cluster pod range are fine', (t) => {
  const report = load(k8s({ clusterCidr: '10.0.0.0/16' }));
  t.deepEqual(report.findings, []);
  t.is(report.plan?.kubernetes?.clusterCidr, '10.0.0.0/16');
});

test('a cluster pod range overlapping the service range is reported', (t) => {
  const report = load(k8s({ clusterCidr: '10.0.0.0/8' }));
  t.deepEqual(paths(report, 'cidr-overlap'), ['kubernetes.serviceClusterIpRange']);
});

test('the cluster DNS address must be a usable service address', (t) => {
  t.deepEqual(load(k8s({ clusterDns: '10.254.0.10' })).findings, []);
  const cases: [string, RegExp][] = [
    ['10.99.0.10', /outside the service range 10\.254\.0\.0\/16/],
    ['10.254.0.1', /first service address/],
    ['10.254.0.0', /network or broadcast address/],
    ['10.254.255.255', /network or broadcast address/],
  ];
  for (const [clusterDns, message] of cases) {
    const report = load(k8s({ clusterDns }));
    t.deepEqual(paths(report, 'cluster-dns'), ['kubernetes.clusterDns'], clusterDns);
    t.regex(report.findings[0]?.message ?? '', message);
  }
});

// versions --------------------------------------------------------------------------------------------

const onMesos = (etcdVersion: string, kubernetesVersion = '1.1.3'): SpecIn => ({
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
    scheduler: { hosts: ['zookeeper-1', 'zookeeper-2'] },
  },
});

test('Kubernetes on Mesos refuses etcd 3.6, which has no v2 API', (t) => {
  const report = load(onMesos('3.6.0'));
  t.deepEqual(checks(report), ['etcd-v2-api']);
  t.deepEqual(report.findings[0]?.path, ['etcd', 'version']);
  t.is(report.findings[0]?.severity, 'error');
  t.falsy(report.plan);
});

test('Kubernetes on Mesos on etcd 3.5 turns the v2 API on', (t) => {
  const report = load(onMesos('3.5.16'));
  t.deepEqual(report.findings, [], show(report));
  t.is(report.plan?.etcd?.enableV2, true);
});

test('etcd before 3.4 has no v2 switch: v2 is always on', (t) => {
  const report = load(onMesos('3.3.0'));
  t.deepEqual(report.findings, []);
  t.is(report.plan?.etcd?.enableV2, false);
});

test('turning v2 off under Kubernetes on Mesos is an error; standalone needs no v2', (t) => {
  const off = onMesos('3.5.16');
  off.etcd = { version: '3.5.16', enableV2: false };
  t.deepEqual(paths(load(off), 'etcd-v2-api'), ['etcd.enableV2']);
  t.is(load(k8s()).plan?.etcd?.enableV2, false);
  const v36 = k8s();
  v36.etcd = { version: '3.6.0', enableV2: true };
  t.deepEqual(paths(load(v36), 'etcd-v2-api'), ['etcd.enableV2']);
});

test('Kubernetes 1.13 and later cannot run on etcd 2', (t) => {
  for (const version of ['1.13.0', '1.28.15']) {
    const spec = k8s({ version });
    spec.etcd = { version: '2.2.1' };
    const report = load(spec);
    t.deepEqual(checks(report), ['storage-backend'], version);
    t.deepEqual(report.findings[0]?.path, ['etcd', 'version']);
  }
  t.deepEqual(checks(load(onMesos('2.2.1', '1.13.0'))), ['storage-backend']);
});

test('the storage backend follows the etcd version', (t) => {
  t.is(load(onMesos('2.2.1', '1.6.0')).plan?.kubernetes?.storageBackend, 'etcd2');
  t.is(load(onMesos('3.1.0', '1.6.0')).plan?.kubernetes?.storageBackend, 'etcd3');
  const forced = onMesos('2.2.1', '1.6.0');
  forced.kubernetes = { version: '1.6.0', flavor: 'standalone', storageBackend: 'etcd3', pkiDir: 'pki' };
  t.deepEqual(paths(load(forced), 'storage-backend'), ['kubernetes.storageBackend']);
});

test('the insecure apiserver port is refused from 1.20', (t) => {
  for (const version of ['1.20.0', '1.24.0']) {
    const report = load(k8s({ version, apiserver: { insecurePort: 8080 } }));
    t.deepEqual(checks(report), ['apiserver-ports'], version);
    t.deepEqual(report.findings[0]?.path, ['kubernetes', 'apiserver', 'insecurePort']);
  }
  t.deepEqual(load(k8s({ version: '1.19.16', apiserver: { insecurePort: 8080 } })).findings, []);
});

test('an apiserver with no port at all is refused', (t) => {
  t.deepEqual(paths(load(k8s({ version: '1.1.3', apiserver: { securePort: 0 } })), 'apiserver-ports'), [
    'kubernetes.apiserver.securePort',
  ]);
});

// waivers ---------------------------------------------------------------------------------------------

const fourZk = (waive?: Record<string, string>): SpecIn => {
  const spec = threeMasters(waive ? { waive } : {});
  spec.hosts.push({ name: 'zk4', address: '10.16.40.4', roles: ['zookeeper'] });
  return spec;
};

test('a waiver removes its warning and is recorded with the reason and what it silenced', (t) => {
  const unwaived = load(fourZk());
  t.deepEqual(checks(unwaived), ['even-ensemble']);
  const report = load(fourZk({ 'even-ensemble': 'adding a 4th before removing one' }));
  t.deepEqual(report.findings, []);
  t.truthy(report.plan);
  t.is(report.waived.length, 1);
  t.is(report.waived[0]?.check, 'even-ensemble');
  t.is(report.waived[0]?.reason, 'adding a 4th before removing one');
  t.deepEqual(report.waived[0]?.findings, [
    Object.fromEntries(Object.entries(unwaived.findings[0] ?? {}).filter(([k]) => k !== 'position')),
  ]);
});

test('a waiver silences its own check only', (t) => {
  const spec = fourZk({ 'even-ensemble': 'migrating' });
  host(spec, 3).zookeeper = { dataDir: '/data' };
  t.deepEqual(checks(load(spec)), ['override-without-role']);
});

test('a check that guards what cannot work cannot be waived', (t) => {
  const report = load(
    threeMasters({ mesos: { version: '1.11.0', quorum: 1 }, waive: { 'quorum-not-majority': 'yolo' } }),
  );
  const refused = report.findings.find((f) => f.path.join('.') === 'waive.quorum-not-majority');
  t.deepEqual(refused?.path, ['waive', 'quorum-not-majority']);
  t.is(refused?.severity, 'error');
  t.regex(refused?.message ?? '', /cannot be waived/);
  t.true(checks(report).includes('quorum-not-majority'), 'the finding stays');
  t.deepEqual(report.waived, []);
  t.falsy(report.plan);
});

test('every non-waivable check refuses a waiver', (t) => {
  for (const [id, { waivable }] of Object.entries(CHECKS)) {
    const report = load(threeMasters({ waive: { [id]: 'because' } }));
    const f = report.findings.find((x) => x.path.join('.') === `waive.${id}`);
    t.is(f?.severity, waivable ? 'warning' : 'error', id);
  }
});

test('a waiver of an unknown check is an error with a did-you-mean', (t) => {
  const report = load(fourZk({ 'even-ensembel': 'typo' }));
  const f = report.findings.find((x) => x.path.join('.') === 'waive.even-ensembel');
  t.is(f?.severity, 'error');
  t.regex(f?.fix ?? '', /did you mean "even-ensemble"/);
  t.true(checks(report).includes('even-ensemble'), 'the misspelt waiver silences nothing');
});

test('an unused waiver is a warning', (t) => {
  const report = load(threeMasters({ waive: { 'even-ensemble': 'nothing to waive' } }));
  t.is(report.findings.length, 1);
  t.is(report.findings[0]?.severity, 'warning');
  t.deepEqual(report.findings[0]?.path, ['waive', 'even-ensemble']);
  t.regex(report.findings[0]?.message ?? '', /matches nothing/);
  t.truthy(report.plan);
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
  t.deepEqual(paths(report, 'derived-flag'), ['mesos.master.flags.quorum', 'mesos.agent.flags.master']);
  t.regex(find(report, 'derived-flag')[0]?.fix ?? '', /set mesos\.quorum instead/);
});

// Regressions found by mutation-testing the checks. ------------------------------------------------

test('a loopback stats address on two HAProxy hosts is each machine’s own', (t) => {
  // lb1 and lb2 are two machines; each has its own 127.0.0.1.
  const spec = k8s();
  spec.hosts.push(
    { name: 'lb1', address: '192.168.0.101', roles: ['haproxy'] },
    { name: 'lb2', address: '192.168.0.102', roles: ['haproxy'] },
  );
  spec.haproxy = { version: '2.6', stats: { port: 8404, user: 'k8sm', password: { env: 'STATS_PASSWORD' } } };
  t.deepEqual(checks(load(spec)), []);
});

test('a loopback ZooKeeper clientPortAddress is each machine’s own', (t) => {
  const spec = {
    name: 'z',
    hosts: hosts(3, ['zookeeper']),
    zookeeper: { version: '3.8.4', clientPortAddress: '127.0.0.1' },
  };
  t.deepEqual(checks(load(spec)), []);
});

test('an AdminServer bound to loopback still clashes with Marathon on all addresses', (t) => {
  const report = load(
    threeMasters({ zookeeper: { version: '3.5.9', adminServer: { address: '127.0.0.1' } } }),
  );
  t.deepEqual(checks(report), ['port-clash']);
});

test('a waiver named like an Object.prototype member is an unknown check', (t) => {
  const f = load(threeMasters({ waive: { toString: 'x' } })).findings[0];
  t.is(f?.message, 'there is no check "toString" to waive');
});

test('an extra flag named like an Object.prototype member is no derived flag, and no known flag', (t) => {
  const report = load(
    threeMasters({ mesos: { version: '1.11.0', master: { flags: { constructor: 'x' } } } }),
  );
  t.deepEqual(checks(report), ['unknown-flag']);
});

const mesosFlags = (version: string, master: Record<string, unknown>, agent: Record<string, unknown> = {}) =>
  load(threeMasters({ mesos: { version, master: { flags: master }, agent: { flags: agent } } }));

test('extra Mesos flags are checked against the flag table of the target version', (t) => {
  t.deepEqual(
    mesosFlags(
      '1.11.0',
      { offer_timeout: '30secs', max_completed_frameworks: 50 },
      { docker_stop_timeout: '10secs' },
    ).findings,
    [],
  );
  const typo = mesosFlags('1.11.0', { offer_timout: '30secs' });
  t.deepEqual(paths(typo, 'unknown-flag'), ['mesos.master.flags.offer_timout']);
  t.regex(find(typo, 'unknown-flag')[0]?.message ?? '', /--offer_timout is not a mesos-master flag/);
  t.regex(find(typo, 'unknown-flag')[0]?.fix ?? '', /did you mean "offer_timeout"/);
  // a master-only flag on the agent is unknown there
  t.deepEqual(paths(mesosFlags('1.11.0', {}, { quorum: 2 }), 'unknown-flag'), ['mesos.agent.flags.quorum']);
});

test('a flag newer than the target version, or removed before it, is refused', (t) => {
  const early = mesosFlags('0.28.2', { agent_ping_timeout: '15secs' });
  t.regex(
    find(early, 'unknown-flag')[0]?.message ?? '',
    /new in Mesos 1\.0; mesos-master 0\.28\.2 does not have it/,
  );
  t.deepEqual(mesosFlags('1.0.0', { agent_ping_timeout: '15secs' }).findings, []);
  t.regex(
    find(mesosFlags('1.11.0', {}, { checkpoint: true }), 'unknown-flag')[0]?.message ?? '',
    /removed in Mesos 0\.22/,
  );
  t.deepEqual(checks(mesosFlags('0.21.0', {}, { checkpoint: true })), []);
});

test('a deprecated name warns only where its replacement exists', (t) => {
  const late = mesosFlags('1.4.0', { slave_ping_timeout: '15secs' });
  t.deepEqual(checks(late, 'warning'), ['deprecated-flag']);
  t.regex(find(late, 'deprecated-flag')[0]?.fix ?? '', /rename it to agent_ping_timeout/);
  t.deepEqual(mesosFlags('0.28.2', { slave_ping_timeout: '15secs' }).findings, []);
});

test('boolean flags take true/false, valued flags do not', (t) => {
  const wrong = mesosFlags('1.11.0', { log_auto_initialize: 'false', offer_timeout: true });
  t.deepEqual(paths(wrong, 'flag-value'), [
    'mesos.master.flags.log_auto_initialize',
    'mesos.master.flags.offer_timeout',
  ]);
  t.deepEqual(mesosFlags('1.11.0', { log_auto_initialize: false }).findings, []);
});

test('per-host Mesos flags are checked too, and unknown-flag can be waived with a reason', (t) => {
  const spec = threeMasters({ mesos: { version: '1.11.0' } });
  host(spec, 3).mesos = { agent: { flags: { my_module_flag: 'x' } } };
  t.deepEqual(paths(load(spec), 'unknown-flag'), ['hosts.3.mesos.agent.flags.my_module_flag']);
  const waived = load({ ...spec, waive: { 'unknown-flag': 'our build adds it' } });
  t.deepEqual(waived.findings, []);
  t.is(waived.waived[0]?.check, 'unknown-flag');
});

const etcdOnly = (etcd: Record<string, unknown>, perHost: Record<string, unknown>[] = []) => ({
  name: 'e',
  hosts: [1, 2, 3].map((i) => ({
    name: `etcd-${i}`,
    address: `10.0.0.${i}`,
    roles: ['etcd'],
    ...(perHost[i - 1] ? { etcd: perHost[i - 1] } : {}),
  })),
  etcd: { version: '3.4.23', ...etcd },
});

test('etcd TLS without a PKI dir is refused, naming the pki command', (t) => {
  const report = load(etcdOnly({ tls: { client: true } }));
  t.deepEqual(paths(report, 'etcd-tls-pki'), ['etcd.tls']);
  t.regex(find(report, 'etcd-tls-pki')[0]?.fix ?? '', /k8sm-render pki/);
  t.deepEqual(load(etcdOnly({ tls: { client: true, pkiDir: 'pki' } })).findings, []);
  t.deepEqual(load(etcdOnly({ tls: { client: false, peer: false } })).findings, [], 'TLS off needs no PKI');
});

test('a cluster whose every member is "existing" has nobody to start it', (t) => {
  const all = load(etcdOnly({ initialClusterState: 'existing' }));
  t.deepEqual(paths(all, 'etcd-cluster-state'), ['etcd.initialClusterState']);
  t.regex(find(all, 'etcd-cluster-state')[0]?.message ?? '', /none starts one/);
  const perHost = load(
    etcdOnly(
      {},
      [1, 2, 3].map(() => ({ initialClusterState: 'existing' })),
    ),
  );
  t.deepEqual(paths(perHost, 'etcd-cluster-state'), ['hosts.0.etcd.initialClusterState']);
  // one member joining a running cluster is the normal way to grow it
  t.deepEqual(load(etcdOnly({}, [{}, {}, { initialClusterState: 'existing' }])).findings, []);
});

test('k8sm: more than two --ha schedulers warn; scheduler hosts must be masters', (t) => {
  const three = onMesos('2.2.1');
  const k = three.kubernetes as Record<string, unknown>;
  delete k.scheduler;
  const all = load(three);
  t.deepEqual(checks(all, 'warning'), ['k8sm-schedulers']);
  t.regex(find(all, 'k8sm-schedulers')[0]?.message ?? '', /3 k8sm schedulers .*at most 2/);
  k.scheduler = { hosts: ['zookeeper-1', 'agent'] };
  t.deepEqual(paths(load(three), 'scheduler-hosts'), ['kubernetes.scheduler.hosts.1']);
  delete k.scheduler;
  t.deepEqual(checks(load({ ...three, waive: { 'k8sm-schedulers': 'testing 3' } }), 'warning'), []);
});

test('ABAC needs a policy, a policy needs ABAC', (t) => {
  t.deepEqual(paths(load(k8s({ authorization: ['ABAC'] })), 'abac-policy'), ['kubernetes.authorization']);
  t.deepEqual(paths(load(k8s({ abacPolicy: [{ user: 'admin' }] })), 'abac-policy'), [
    'kubernetes.abacPolicy',
  ]);
  t.deepEqual(
    load(k8s({ authorization: ['ABAC'], abacPolicy: [{ user: 'admin', namespace: '*' }] })).findings,
    [],
  );
});

test('a standalone TLS apiserver without a PKI dir is refused', (t) => {
  const spec = k8s();
  delete (spec.kubernetes as Record<string, unknown>).pkiDir;
  const report = load(spec);
  t.deepEqual(checks(report), ['kubernetes-tls-pki']);
  t.regex(find(report, 'kubernetes-tls-pki')[0]?.fix ?? '', /k8sm-render pki/);
  t.deepEqual(load(k8s({ pkiDir: 'pki' })).findings, []);
});

const extra = (version: string, extraArgs: Record<string, unknown>) => load(k8s({ version, extraArgs }));

test('extra Kubernetes args: removed flags name the version and the replacement', (t) => {
  const r = extra('1.24.0', { apiserver: { 'insecure-port': 8080 } });
  t.deepEqual(paths(r, 'unknown-flag'), ['kubernetes.extraArgs.apiserver.insecure-port']);
  t.regex(
    find(r, 'unknown-flag')[0]?.message ?? '',
    /removed from kube-apiserver in Kubernetes 1\.24; 1\.24\.0 would refuse/,
  );
  t.is(find(r, 'unknown-flag')[0]?.fix, 'use --secure-port instead');
  t.deepEqual(paths(extra('1.15.0', { kubelet: { 'allow-privileged': true } }), 'unknown-flag'), [
    'kubernetes.extraArgs.kubelet.allow-privileged',
  ]);
  t.deepEqual(extra('1.14.10', { kubelet: { 'allow-privileged': true } }).findings, []);
});

test('extra Kubernetes args: unknown flags get a did-you-mean, known ones pass', (t) => {
  const r = extra('1.28.15', { apiserver: { 'audit-log-pth': '/var/log/audit.log' } });
  t.regex(find(r, 'unknown-flag')[0]?.message ?? '', /--audit-log-pth is not a kube-apiserver flag/);
  t.regex(find(r, 'unknown-flag')[0]?.fix ?? '', /did you mean "audit-log-path"/);
  t.deepEqual(
    extra('1.28.15', {
      apiserver: { 'audit-log-path': '/var/log/audit.log' },
      kubelet: { 'max-pods': 200 },
      proxy: { 'metrics-bind-address': '0.0.0.0:10249' },
    }).findings,
    [],
  );
  t.deepEqual(
    paths(
      extra('1.28.15', { kubelet: { 'pod-manifest-path': '/x' }, scheduler: { master: 'http://x' } }),
      'derived-flag',
    ),
    ['kubernetes.extraArgs.scheduler.master'],
  );
});

test('extra Kubernetes args may not replace what k8sm derives', (t) => {
  const r = extra('1.28.15', {
    apiserver: { 'etcd-servers': 'http://10.0.0.9:2379' },
    kubelet: { 'cluster-dns': '10.254.0.10' },
  });
  t.deepEqual(paths(r, 'derived-flag'), [
    'kubernetes.extraArgs.apiserver.etcd-servers',
    'kubernetes.extraArgs.kubelet.cluster-dns',
  ]);
});
