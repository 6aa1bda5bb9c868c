import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { failsCleanly, withPreviousOutput } from './fails-cleanly.js';
import {
  example,
  noStack,
  removeTempDirs,
  render,
  snapshot,
  tempDir,
  threeMasters,
  writeSpec,
} from './helpers.js';

test.after.always(removeTempDirs);

const withHost = (i: number, patch: Record<string, unknown>) => {
  const spec = threeMasters();
  spec.hosts[i] = { ...spec.hosts[i], ...patch } as (typeof spec.hosts)[number];
  return spec;
};

test('missing spec file', (t) => {
  failsCleanly(
    t,
    'nope.json',
    /cannot read spec nope\.json: no such file or directory \(ENOENT\) — check the path/,
  );
});

test('unreadable spec (a directory)', (t) => {
  const r = failsCleanly(t, '.', /cannot read spec \.: it is a directory \(EISDIR\)/);
  t.regex(r.stderr, /pass the spec file/);
});

test('invalid JSON and invalid YAML give file:line:column', (t) => {
  failsCleanly(t, '{\n  "name": "x",\n}\n', /spec\.json:3:1: invalid JSON/);
  const { cwd, before } = withPreviousOutput();
  const yaml = writeSpec(cwd, 'spec.yaml', 'name: x\nhosts:\n  - name: a\n   address: 10.0.0.1\n');
  const r = render([yaml, '-o', 'out'], cwd);
  t.is(r.code, 1);
  t.regex(r.stderr, /spec\.yaml:\d+:\d+: invalid YAML/);
  t.deepEqual(snapshot(join(cwd, 'out')), before);
});

test('with --json, syntax and spec errors come as JSON on stdout', (t) => {
  const cwd = tempDir();
  const syntax = render([writeSpec(cwd, 'bad.json', '{\n  "name": "x",\n}\n'), '--dry-run', '--json'], cwd);
  t.is(syntax.code, 1);
  t.like(JSON.parse(syntax.stdout), { ok: false, findings: [{ check: 'syntax', line: 3, column: 1 }] });
  const invalid = render(
    [
      writeSpec(cwd, 'q.json', threeMasters({ mesos: { version: '1.11.0', quorum: 1 } })),
      '--dry-run',
      '--json',
    ],
    cwd,
  );
  t.is(invalid.code, 1);
  t.like(JSON.parse(invalid.stdout), {
    ok: false,
    findings: [{ check: 'quorum-not-majority', path: 'mesos.quorum' }],
  });
});

test('unknown keys, top level and nested', (t) => {
  failsCleanly(
    t,
    threeMasters({ zookeper: {} }),
    /spec\.json:\d+:\d+: error zookeper: unknown key "zookeper"\n\s+fix: did you mean "zookeeper"/,
  );
  failsCleanly(
    t,
    threeMasters({ mesos: { version: '1.11.0', agent: { containerizer: ['docker'] } } }),
    /error mesos\.agent\.containerizer: unknown key.*\n\s+fix: did you mean "containerizers"/,
  );
});

test('wrong type', (t) => {
  failsCleanly(
    t,
    threeMasters({ marathon: { version: '1.11.24', httpPort: '8080' } }),
    /marathon\.httpPort: expected a number, got a string\n\s+fix: write a number \(without quotes\)/,
  );
});

test('bad address', (t) => {
  failsCleanly(
    t,
    withHost(1, { address: '10.16.40' }),
    /hosts\[1\]\.address: "10\.16\.40" is not an IPv4 address/,
  );
});

test('duplicate host name', (t) => {
  failsCleanly(
    t,
    withHost(1, { name: 'm1' }),
    /\[duplicate-host-name\] hosts\[1\]\.name: host name "m1" is already used by hosts\[0\]/,
  );
});

test('a role whose section is missing', (t) => {
  const spec = threeMasters();
  delete (spec as Partial<typeof spec>).marathon;
  failsCleanly(t, spec, /\[missing-section\] hosts\[0\]\.roles\[2\]: .*no "marathon" section\n\s+fix:/);
});

test('an empty ensemble', (t) => {
  failsCleanly(
    t,
    threeMasters({ etcd: { version: '3.5.16' } }),
    /\[empty-ensemble\] etcd: the "etcd" section is set but no host has the role "etcd"/,
  );
});

test('an even ensemble warns, and fails with --strict', (t) => {
  const spec = threeMasters();
  spec.hosts.push({ name: 'zk4', address: '10.16.40.4', roles: ['zookeeper'] });
  const cwd = tempDir();
  const file = writeSpec(cwd, 'even.json', spec);
  const ok = render([file, '-o', 'out'], cwd);
  t.is(ok.code, 0);
  t.regex(
    ok.stderr,
    /warning \[even-ensemble\] zookeeper: the ZooKeeper ensemble has 4 members: majority 3, tolerates 1 failure/,
  );
  failsCleanly(t, spec, /--strict makes warnings fail; nothing was written/, ['--strict']);
});

test('a Mesos quorum that is not a majority', (t) => {
  failsCleanly(
    t,
    threeMasters({ mesos: { version: '1.11.0', quorum: 1 } }),
    /\[quorum-not-majority\] mesos\.quorum: .*not a majority of 3 masters.*\n\s+fix: use 2/,
  );
});

test('ZooKeeper ids 0, 256 and duplicates', (t) => {
  failsCleanly(
    t,
    withHost(0, { zookeeper: { id: 0 } }),
    /hosts\[0\]\.zookeeper\.id: ZooKeeper ids start at 1/,
  );
  failsCleanly(
    t,
    withHost(0, { zookeeper: { id: 256 } }),
    /hosts\[0\]\.zookeeper\.id: ZooKeeper ids go up to 255/,
  );
  const dup = withHost(0, { zookeeper: { id: 3 } });
  dup.hosts[2] = { ...dup.hosts[2], zookeeper: { id: 3 } } as (typeof dup.hosts)[number];
  failsCleanly(
    t,
    dup,
    /\[zookeeper-id\] hosts\[2\]\.zookeeper\.id: ZooKeeper id 3 of host "m3" is already the id of host "m1"/,
  );
});

test('two components on one port of one host', (t) => {
  failsCleanly(
    t,
    threeMasters({ zookeeper: { version: '3.5.9' } }),
    /\[port-clash\] marathon\.httpPort: port 8080 .*ZooKeeper AdminServer \(zookeeper\.adminServer\.port\) and Marathon HTTP \(marathon\.httpPort\)/,
  );
});

test('overlapping CIDRs', (t) => {
  const spec = {
    name: 'k',
    hosts: [
      { name: 'master', address: '192.168.0.7', roles: ['etcd', 'k8s-master'] },
      { name: 'n1', address: '192.168.0.3', roles: ['k8s-node'], kubernetes: { podCidr: '10.0.1.0/24' } },
      { name: 'n2', address: '192.168.0.6', roles: ['k8s-node'], kubernetes: { podCidr: '10.0.1.0/25' } },
    ],
    etcd: { version: '3.5.16' },
    kubernetes: {
      version: '1.28.15',
      flavor: 'standalone',
      serviceClusterIpRange: '10.254.0.0/16',
      pkiDir: 'pki',
    },
    waive: { 'no-redundancy': 'test' },
  };
  failsCleanly(
    t,
    spec,
    /\[cidr-overlap\] hosts\[\d\]\.kubernetes\.podCidr: the pod range of host "n\d" 10\.0\.1\.0\/2\d overlaps the pod range of host "n\d"/,
  );
});

test('an output path that is a file', (t) => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'out'), 'not a dir');
  const r = render([example('mesosphere-3-masters.json'), '-o', 'out'], cwd);
  t.is(r.code, 1);
  t.regex(r.stderr, /output path out is a file, not a directory/);
  t.true(noStack(r.stderr));
});

test('an output directory that cannot be written', (t) => {
  const cwd = tempDir();
  // Root ignores permission bits, but not a read-only or pseudo file system.
  const target = process.getuid?.() === 0 ? '/proc/k8sm-test-out' : join(cwd, 'ro/out');
  if (process.getuid?.() !== 0) {
    mkdirSync(join(cwd, 'ro'), { mode: 0o555 });
  }
  const r = render([example('mesosphere-3-masters.json'), '-o', target], cwd);
  t.is(r.code, 1);
  t.true(r.stderr.includes(`cannot write output directory ${target}`), r.stderr);
  t.true(noStack(r.stderr));
});

test('a non-empty directory that k8sm did not write is refused', (t) => {
  const cwd = tempDir();
  mkdirSync(join(cwd, 'etc'));
  writeFileSync(join(cwd, 'etc/passwd'), 'root:x:0:0');
  const before = snapshot(join(cwd, 'etc'));
  const r = render([example('mesosphere-3-masters.json'), '-o', 'etc'], cwd);
  t.is(r.code, 1);
  t.regex(
    r.stderr,
    /output directory etc is not empty and has no \.k8sm-output\.json, the marker k8sm-render writes/,
  );
  t.deepEqual(snapshot(join(cwd, 'etc')), before);
});

test('usage errors exit 2 with the usage text', (t) => {
  const cwd = tempDir();
  const cases: [string[], RegExp][] = [
    [[example('mesosphere-3-masters.json'), '-o', 'out', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['-o', 'out'], /missing the spec file/],
    [[example('mesosphere-3-masters.json')], /missing -o <dir>/],
    [
      [example('mesosphere-3-masters.json'), '-o', 'out', '--check', '--dry-run'],
      /--check and --dry-run do not go together/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = render(args, cwd);
    t.is(r.code, 2, args.join(' '));
    t.regex(r.stderr, message);
    t.regex(r.stderr, /Usage:/);
  }
  t.deepEqual(readdirSync(cwd), []);
});

test('a docker-runtime ZooKeeper id that breaks the position rule', (t) => {
  const spec = withHost(2, { zookeeper: { id: 7 } });
  spec.zookeeper = { version: '3.4.6', runtime: 'docker' } as typeof spec.zookeeper;
  failsCleanly(
    t,
    spec,
    /\[zookeeper-docker-ids\] hosts\[2\]\.zookeeper\.id: .*ids must be 1\.\.3; got 1, 2, 7 \(host "m3" has 7\)\n\s+fix: remove the per-host zookeeper\.id overrides/,
  );
});

test('two ZooKeeper hosts: a warning that it tolerates no failure', (t) => {
  const spec = threeMasters();
  spec.hosts[2] = { ...spec.hosts[2], roles: ['mesos-master', 'marathon'] } as (typeof spec.hosts)[number];
  const cwd = tempDir();
  const r = render([writeSpec(cwd, 'two.json', spec), '-o', 'out'], cwd);
  t.is(r.code, 0, r.stderr);
  t.regex(
    r.stderr,
    /warning \[even-ensemble\] zookeeper: the ZooKeeper ensemble has 2 members: majority 2, tolerates 0 failures/,
  );
  t.regex(r.stderr, /fix: run 1 or 3 members/);
  failsCleanly(t, spec, /--strict makes warnings fail/, ['--strict']);
});

test('Mesos masters with neither ZooKeeper hosts nor an external ensemble', (t) => {
  const spec: Record<string, unknown> & ReturnType<typeof threeMasters> = threeMasters();
  spec.hosts = spec.hosts.map((h) => ({ ...h, roles: h.roles.filter((r) => r !== 'zookeeper') }));
  delete (spec as Partial<typeof spec>).zookeeper;
  failsCleanly(
    t,
    spec,
    /\[missing-dependency\] .*needs at least one "zookeeper" host.*\n\s+fix: .*mesos\.externalZookeeper/,
  );
});

test('an unknown Mesos flag, and one newer than the target version', (t) => {
  failsCleanly(
    t,
    threeMasters({ mesos: { version: '1.11.0', master: { flags: { offer_timout: '30secs' } } } }),
    /\[unknown-flag\] mesos\.master\.flags\.offer_timout: --offer_timout is not a mesos-master flag.*\n\s+fix: did you mean "offer_timeout"/,
  );
  failsCleanly(
    t,
    threeMasters({ mesos: { version: '0.28.2', agent: { flags: { http_heartbeat_interval: '30secs' } } } }),
    /\[unknown-flag\] mesos\.agent\.flags\.http_heartbeat_interval: --http_heartbeat_interval is new in Mesos 1\.2; mesos-agent 0\.28\.2 does not have it/,
  );
});

const etcdHosts = (etcd: Record<string, unknown>, address3 = '10.0.0.3') => ({
  name: 'e',
  hosts: ['10.0.0.1', '10.0.0.2', address3].map((address, i) => ({
    name: `etcd-${i + 1}`,
    address,
    roles: ['etcd'],
  })),
  etcd: { version: '3.4.23', ...etcd },
});

test('an etcd member whose address is a host name', (t) => {
  failsCleanly(
    t,
    etcdHosts({}, 'etcd-3.example'),
    /hosts\[2\]\.address: "etcd-3\.example" is not an IPv4 address/,
  );
});

test('etcd TLS without a PKI dir, and with a PKI dir that lacks the files', (t) => {
  failsCleanly(
    t,
    etcdHosts({ tls: { client: true } }),
    /\[etcd-tls-pki\] etcd\.tls: etcd TLS is on but etcd\.tls\.pkiDir names no PKI dir.*\n\s+fix: .*k8sm-render pki/,
  );
  // --dry-run writes nothing, keys included: a missing PKI is an error there
  const r = failsCleanly(
    t,
    etcdHosts({ tls: { client: true, pkiDir: 'pki' } }),
    /etcd\.tls\.pkiDir: pki \(.*\/pki\) lacks etcd\/ca\.crt, etcd\/etcd-1\/server\.crt, .* \(15 in all\)/,
    ['--dry-run'],
  );
  t.regex(
    r.stderr,
    /fix: render without --dry-run\/--check, which creates what is missing, or run `k8sm-render pki .*spec\.json`/,
  );
});

test('every etcd member "existing", and the v2 API asked of etcd 3.6', (t) => {
  failsCleanly(
    t,
    etcdHosts({ initialClusterState: 'existing' }),
    /\[etcd-cluster-state\] etcd\.initialClusterState: every etcd member has initialClusterState "existing"/,
  );
  failsCleanly(
    t,
    etcdHosts({ version: '3.6.0', enableV2: true }),
    /\[etcd-v2-api\] etcd\.enableV2: etcd 3\.6\.0 has no v2 API \(removed in 3\.6\)/,
  );
});

test('pki: creates what is missing (keys 0600), keeps it on a rerun, refuses unusable files', (t) => {
  const cwd = tempDir();
  const spec = writeSpec(cwd, 'spec.json', etcdHosts({ tls: { client: true, peer: true, pkiDir: 'pki' } }));
  const first = render(['pki', spec], cwd);
  t.is(first.code, 0, first.stderr);
  t.regex(first.stdout, /created 18 file\(s\), kept 0 certificate\(s\)/);
  t.notRegex(first.stdout + first.stderr, /PRIVATE KEY/);
  const before = snapshot(join(cwd, 'pki'));
  t.is(before['etcd/ca.key']?.slice(0, 4), '600 ');
  t.is(before['etcd/etcd-2/server.key']?.slice(0, 4), '600 ');
  t.is(before['etcd/etcd-2/server.crt']?.slice(0, 4), '644 ');
  const again = render(['pki', spec], cwd);
  t.regex(again.stdout, /created 0 file\(s\), kept 9 certificate\(s\)/);
  t.deepEqual(snapshot(join(cwd, 'pki')), before, 'nothing rewritten');

  // etcd-3 moves: its certificates no longer name its address; nothing is replaced
  const moved = writeSpec(
    cwd,
    'moved.json',
    etcdHosts({ tls: { client: true, peer: true, pkiDir: 'pki' } }, '10.0.0.9'),
  );
  const refused = render(['pki', moved], cwd);
  t.is(refused.code, 1);
  t.regex(
    refused.stderr,
    /etcd\/etcd-3\/server\.crt lacks IP:10\.0\.0\.9: remove etcd\/etcd-3\/server\.crt and \.key/,
  );
  t.regex(refused.stderr, /nothing was written/);
  t.deepEqual(snapshot(join(cwd, 'pki')), before);
});

test('--check names a drifted key without printing it', (t) => {
  const cwd = tempDir();
  const spec = writeSpec(cwd, 'spec.json', etcdHosts({ tls: { client: true, pkiDir: 'pki' } }));
  t.is(render(['pki', spec], cwd).code, 0);
  t.is(render([spec, '-o', 'out'], cwd).code, 0);
  const key = join(cwd, 'out/hosts/etcd-1/etc/etcd/ssl/server.key');
  writeFileSync(key, readFileSync(join(cwd, 'pki/etcd/etcd-2/server.key')));
  const r = render([spec, '-o', 'out', '--check'], cwd);
  t.is(r.code, 3);
  t.regex(r.stdout, /hosts\/etcd-1\/etc\/etcd\/ssl\/server\.key: content \(a secret: content not shown\)/);
  // a key's mode drifts: both modes are shown, its content still not
  t.is(render([spec, '-o', 'out'], cwd).code, 0);
  chmodSync(key, 0o644);
  const mode = render([spec, '-o', 'out', '--check'], cwd);
  t.is(mode.code, 3);
  t.regex(mode.stdout, /server\.key: mode 0644 should be 0600 \(a secret: content not shown\)/);
  t.notRegex(mode.stdout, /PRIVATE KEY/);
  t.notRegex(r.stdout, /PRIVATE KEY/);
});

const k8smHa = (scheduler?: string[]) => {
  const text = readFileSync(example('k8s-on-mesos-ha.yaml'), 'utf8');
  return scheduler ? text : text.replace(/^ {2}scheduler: .*\n/m, '');
};

test('three k8sm schedulers with --ha: a warning, an error under --strict', (t) => {
  const cwd = tempDir();
  const file = writeSpec(cwd, 'ha.yaml', k8smHa());
  const r = render([file, '-o', 'out'], cwd);
  t.is(r.code, 0, r.stderr);
  t.regex(
    r.stderr,
    /warning \[k8sm-schedulers\] kubernetes\.scheduler: 3 k8sm schedulers would run with --ha; upstream recommends at most 2/,
  );
  t.regex(r.stderr, /fix: choose two masters in kubernetes\.scheduler\.hosts/);
  failsCleanly(t, file, /--strict makes warnings fail; nothing was written/, ['--strict']);
});

const modern = (kubernetes: Record<string, unknown>, podCidr = '10.0.1.0/24') => ({
  name: 'k',
  hosts: [
    { name: 'master', address: '192.168.0.7', roles: ['etcd', 'k8s-master'] },
    { name: 'n1', address: '192.168.0.3', roles: ['k8s-node'], kubernetes: { podCidr } },
  ],
  etcd: { version: '3.5.16' },
  kubernetes: {
    version: '1.24.17',
    flavor: 'standalone',
    serviceClusterIpRange: '10.254.0.0/16',
    pkiDir: 'pki',
    ...kubernetes,
  },
  waive: { 'no-redundancy': 'test' },
});

test('a 1.24 spec with extraArgs insecure-port', (t) => {
  failsCleanly(
    t,
    modern({ extraArgs: { apiserver: { 'insecure-port': 8080 } } }),
    /\[unknown-flag\] kubernetes\.extraArgs\.apiserver\.insecure-port: --insecure-port was removed from kube-apiserver in Kubernetes 1\.24; 1\.24\.17 would refuse to start\n\s+fix: use --secure-port instead/,
  );
});

test('a service range that overlaps a node pod range', (t) => {
  failsCleanly(
    t,
    modern({}, '10.254.1.0/24'),
    /\[cidr-overlap\] .*10\.254\.1\.0\/24 overlaps the service range 10\.254\.0\.0\/16/,
  );
});

test('an apiserver TLS spec without a PKI dir', (t) => {
  failsCleanly(
    t,
    modern({ pkiDir: undefined }),
    /\[kubernetes-tls-pki\] kubernetes: the apiserver serves TLS on 6443 but kubernetes\.pkiDir names no PKI dir.*\n\s+fix: .*k8sm-render pki/,
  );
});

test('a render fills a PKI dir that lacks files, once; the second render creates nothing', (t) => {
  const cwd = tempDir();
  const spec = writeSpec(cwd, 'spec.json', etcdHosts({ tls: { client: true, peer: true, pkiDir: 'pki' } }));
  const first = render([spec, '-o', 'out'], cwd);
  t.is(first.code, 0, first.stderr);
  t.regex(first.stderr, /k8sm-render pki: .*\/pki: created 18 file\(s\), kept 0 certificate\(s\)/);
  t.notRegex(first.stdout + first.stderr, /PRIVATE KEY/);
  t.is(snapshot(join(cwd, 'pki'))['etcd/ca.key']?.slice(0, 4), '600 ');
  const keys = snapshot(join(cwd, 'pki'));
  const second = render([spec, '-o', 'out'], cwd);
  t.is(second.code, 0);
  t.notRegex(second.stderr, /created/);
  t.deepEqual(snapshot(join(cwd, 'pki')), keys, 'nothing rewritten');
});

test('a shell payload in a path or an image is refused at its line, before anything is written', (t) => {
  const r = failsCleanly(
    t,
    threeMasters({ zookeeper: { version: '3.4.6', dataDir: '/var/lib/zk$(touch /tmp/k8sm-pwned)' } }),
    /spec\.json:\d+:\d+: error zookeeper\.dataDir: a path may not hold spaces, newlines or other control characters/,
  );
  t.notRegex(r.stderr, /internal error|renderer/);
  failsCleanly(
    t,
    threeMasters({
      mesos: { version: '1.11.0', runtime: 'docker', image: 'mesoscloud/mesos-master:1.11.0 $(id)' },
    }),
    /mesos\.image: "mesoscloud\/mesos-master:1\.11\.0 \$\(id\)" is not a Docker image reference/,
  );
});

test('a path with a trailing or doubled slash renders at the normalised path (was refused as a renderer bug)', (t) => {
  const cwd = tempDir();
  const spec = threeMasters({ zookeeper: { version: '3.4.6', dataDir: '/data//zookeeper/' } });
  const r = render([writeSpec(cwd, 'spec.json', spec), '-o', 'out'], cwd);
  t.is(r.code, 0, r.stderr);
  t.is(readFileSync(join(cwd, 'out/hosts/m1/data/zookeeper/myid'), 'utf8').trim(), '1');
  t.regex(
    readFileSync(join(cwd, 'out/hosts/m1/etc/zookeeper/conf/zoo.cfg'), 'utf8'),
    /^dataDir=\/data\/zookeeper$/m,
  );
});
