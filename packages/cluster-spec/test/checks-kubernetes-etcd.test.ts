import test from 'ava';
import { checks, find, hosts, k8s, load, paths, type SpecIn, show } from './helpers.js';

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
    runtime: 'docker',
    apiserver: { securePort: 0, insecurePort: 8888 },
    scheduler: { hosts: ['zookeeper-1', 'zookeeper-2'] },
    kmPath: 'http://192.168.33.9/km',
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
