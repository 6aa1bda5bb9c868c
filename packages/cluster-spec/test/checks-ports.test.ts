import { createServer, type Server } from 'node:net';
import test from 'ava';
import { checks, find, host, hosts, k8s, load, type SpecIn, show, threeMasters } from './helpers.js';

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

/** ZooKeeper 3.10 is not released yet (apache/zookeeper master): a release newer than the table. */
const unreleased = { waive: { 'unknown-version': 'ZooKeeper 3.10 is newer than the table of releases' } };

test('no AdminServer clash with 3.4 (none), 3.10 (off by default), or when it is moved or off', (t) => {
  for (const zookeeper of [
    { version: '3.4.6' },
    { version: '3.10.0' },
    { version: '3.5.9', adminServer: { port: 8081 } },
    { version: '3.5.9', adminServer: { enabled: false } },
  ]) {
    const report = load(threeMasters({ zookeeper, ...(zookeeper.version === '3.10.0' ? unreleased : {}) }));
    t.deepEqual(report.findings, [], `${JSON.stringify(zookeeper)}: ${show(report)}`);
  }
});

test('turning the AdminServer on in 3.10 brings the clash back', (t) => {
  const report = load(
    threeMasters({ zookeeper: { version: '3.10.0', adminServer: { enabled: true } }, ...unreleased }),
  );
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

test('a loopback ZooKeeper clientPortAddress is each machine’s own: no clash, only the reach warning', (t) => {
  const spec = {
    name: 'z',
    hosts: hosts(3, ['zookeeper']),
    zookeeper: { version: '3.8.4', clientPortAddress: '127.0.0.1' },
  };
  t.deepEqual([...new Set(checks(load(spec)))], ['zookeeper-client-loopback']);
});

test('an AdminServer bound to loopback still clashes with Marathon on all addresses', (t) => {
  const report = load(
    threeMasters({ zookeeper: { version: '3.5.9', adminServer: { address: '127.0.0.1' } } }),
  );
  t.deepEqual(checks(report), ['port-clash']);
});

// The apiserver's built-in insecure port ---------------------------------------------------------

/** k8s(): a master that also runs Marathon (0.0.0.0:8080), or ZooKeeper 3.5's AdminServer. */
const masterWith = (version: string, extra: 'marathon' | 'zookeeper', kubernetes = {}): SpecIn => {
  const spec = k8s({ version, ...kubernetes });
  const master = host(spec, 0);
  if (extra === 'marathon') {
    master.roles.push('zookeeper', 'mesos-master', 'marathon');
    Object.assign(spec, {
      zookeeper: { version: '3.4.14' },
      mesos: { version: '1.11.0' },
      marathon: { version: '1.11.24' },
    });
  } else {
    master.roles.push('zookeeper');
    Object.assign(spec, { zookeeper: { version: '3.5.9' } });
  }
  return spec;
};

test('before 1.20 the apiserver’s implicit 127.0.0.1:8080 clashes with Marathon and the AdminServer', (t) => {
  for (const extra of ['marathon', 'zookeeper'] as const) {
    const report = load(masterWith('1.16.15', extra));
    const f = find(report, 'port-clash');
    t.is(f.length, 1, `${extra}: ${show(report)}`);
    t.deepEqual(f[0]?.path, ['kubernetes', 'apiserver', 'insecurePort'], extra);
    t.regex(
      f[0]?.message ?? '',
      /port 8080 is claimed twice on host "master": .*built-in insecure port 127\.0\.0\.1:8080/,
    );
    t.regex(f[0]?.fix ?? '', /kubernetes\.apiserver\.insecurePort/);
    t.falsy(report.plan);
  }
});

test('the implicit insecure port is gone from 1.20, and an explicit one moves the claim', (t) => {
  t.deepEqual(find(load(masterWith('1.20.15', 'marathon')), 'port-clash'), []);
  const moved = load(masterWith('1.16.15', 'marathon', { apiserver: { insecurePort: 8888 } }));
  t.deepEqual(find(moved, 'port-clash'), [], show(moved));
});

test('the kernel agrees: 127.0.0.1:port and 0.0.0.0:port cannot both be bound (Linux, no SO_REUSEPORT)', async (t) => {
  const listen = (host: string, port: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => resolve(server));
    });
  const loopback = await listen('127.0.0.1', 0);
  const address = loopback.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  try {
    const error = await listen('0.0.0.0', port).then(
      (s) => {
        s.close();
        return undefined;
      },
      (e: NodeJS.ErrnoException) => e,
    );
    t.is(error?.code, 'EADDRINUSE');
  } finally {
    loopback.close();
  }
});
