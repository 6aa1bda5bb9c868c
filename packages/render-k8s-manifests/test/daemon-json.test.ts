import { loadSpec } from '@k8sm/spec';
import { contentOf, examplePlan, fakePki, planOf } from '@k8sm/testkit';
import test from 'ava';
import { renderKubernetes } from '../src/index.js';

/*
 * A model of what dockerd does with /etc/docker/daemon.json, from moby's source:
 * - daemon/config/config.go: every key must be a CommonConfig json tag ("the following directives
 *   don't match any configuration option" stops dockerd). The keys k8sm writes, by release:
 *   `graph` is the root directory before 17.05, `data-root` from 17.05 (`RootDeprecated
 *   json:"graph"`); storage-opts is `GraphOptions []string json:"storage-opts"`, live-restore
 *   `LiveRestoreEnabled bool json:"live-restore"` (1.12 and later).
 * - pkg/parsers ParseKeyValueOpt: each storage option is key=value, split at the first "=".
 * - daemon/graphdriver/devmapper/deviceset.go parseOptions: an unknown dm.* key stops dockerd
 *   ("devmapper: Unknown option"); without dm.thinpooldev the data and metadata are loopback
 *   files ("Usage of loopback devices is strongly discouraged for production use").
 */
const KEYS_BOTH = [
  'bip',
  'mtu',
  'ip-masq',
  'iptables',
  'storage-driver',
  'storage-opts',
  'live-restore',
  'exec-opts',
  'registry-mirrors',
  'insecure-registries',
];
const DOCKERD_KEYS = {
  '1.12': new Set([...KEYS_BOTH, 'graph']),
  current: new Set([...KEYS_BOTH, 'data-root']),
};
const DEVMAPPER_OPTIONS = new Set([
  'dm.basesize',
  'dm.loopdatasize',
  'dm.loopmetadatasize',
  'dm.fs',
  'dm.mkfsarg',
  'dm.mountopt',
  'dm.metadatadev',
  'dm.datadev',
  'dm.thinpooldev',
  'dm.blkdiscard',
  'dm.blocksize',
  'dm.override_udev_sync_check',
  'dm.use_deferred_removal',
  'dm.use_deferred_deletion',
  'dm.min_free_space',
]);

/** What the modelled dockerd says of a daemon.json: the problems that stop it, and its storage. */
function dockerd(text: string, release: keyof typeof DOCKERD_KEYS) {
  const config = JSON.parse(text) as Record<string, unknown>;
  const problems = Object.keys(config)
    .filter((k) => !DOCKERD_KEYS[release].has(k))
    .map((k) => `the following directives don't match any configuration option: ${k}`);
  const opts = (config['storage-opts'] as string[] | undefined) ?? [];
  const keys = opts.map((o) => {
    const eq = o.indexOf('=');
    if (eq < 1) problems.push(`unable to parse key/value option: ${o}`);
    return o.slice(0, eq).toLowerCase();
  });
  if (config['storage-driver'] === 'devicemapper')
    for (const k of keys) if (!DEVMAPPER_OPTIONS.has(k)) problems.push(`devmapper: Unknown option ${k}`);
  const loopback = config['storage-driver'] === 'devicemapper' && !keys.includes('dm.thinpooldev');
  return { problems, loopback, config };
}

test('seed 003’s daemon.json: docker 1.12 takes it, with the thin pool, /data/docker and live-restore', (t) => {
  const plan = examplePlan('k8s-1.6-standalone-ha.yaml');
  const out = renderKubernetes(plan, fakePki(plan));
  for (const node of ['kube-node01', 'kube-node02', 'kube-node03']) {
    const { problems, loopback, config } = dockerd(contentOf(out, node, '/etc/docker/daemon.json'), '1.12');
    t.deepEqual(problems, [], node);
    t.false(loopback, `${node}: devicemapper on the thin pool, not loop-lvm`);
    t.is(config.graph, '/data/docker');
    t.is(config['live-restore'], true);
  }
});

const load = (value: unknown) => loadSpec(JSON.stringify(value), 'spec.json');

const spec = (docker: Record<string, unknown>) => ({
  name: 'd',
  hosts: [
    { name: 'm1', address: '10.0.0.1', roles: ['etcd', 'k8s-master'] },
    { name: 'n1', address: '10.0.0.2', roles: ['k8s-node'] },
  ],
  etcd: { version: '3.1.0' },
  kubernetes: { version: '1.6.0', flavor: 'standalone', pkiDir: 'pki', docker },
  waive: { 'no-redundancy': 'test' },
});

test('without a docker version the root directory is data-root, which a current dockerd takes', (t) => {
  const plan = planOf(spec({ dataRoot: '/data/docker', storageDriver: 'overlay2' }));
  const { problems, config } = dockerd(
    contentOf(renderKubernetes(plan, fakePki(plan)), 'n1', '/etc/docker/daemon.json'),
    'current',
  );
  t.deepEqual(problems, []);
  t.is(config['data-root'], '/data/docker');
  t.is(config.graph, undefined);
});

test('the checks refuse what would stop dockerd and warn of loop-lvm, naming the JSON path', (t) => {
  const mismatch = load(spec({ storageDriver: 'overlay2', storageOpts: ['dm.thinpooldev=/dev/mapper/p'] }));
  const opts = mismatch.findings.filter((f) => f.check === 'docker-storage-opts');
  t.deepEqual(
    opts.map((f) => f.path),
    [['kubernetes', 'docker', 'storageOpts', 0]],
  );
  t.is(opts[0]?.severity, 'error');
  t.falsy(mismatch.plan);
  const noDriver = load(spec({ storageOpts: ['dm.thinpooldev=/dev/mapper/p'] }));
  t.deepEqual(
    noDriver.findings.filter((f) => f.check === 'docker-storage-opts').map((f) => f.path),
    [['kubernetes', 'docker', 'storageOpts']],
  );
  const loop = load(spec({ storageDriver: 'devicemapper' }));
  const warning = loop.findings.filter((f) => f.check === 'docker-loop-lvm');
  t.is(warning[0]?.severity, 'warning');
  t.deepEqual(warning[0]?.path, ['kubernetes', 'docker', 'storageDriver']);
  t.regex(warning[0]?.message ?? '', /loop-lvm/);
  // and the model agrees: that daemon.json runs on loopback files
  if (loop.plan) {
    const out = renderKubernetes(loop.plan, fakePki(loop.plan));
    t.true(dockerd(contentOf(out, 'n1', '/etc/docker/daemon.json'), 'current').loopback);
  }
  t.deepEqual(
    load(spec({ storageDriver: 'devicemapper', storageOpts: ['dm.thinpooldev=/dev/mapper/p'] })).findings,
    [],
  );
  t.falsy(
    load(spec({ storageOpts: ['not-an-option'] })).plan,
    'an option without driver.key=value is refused',
  );
});
