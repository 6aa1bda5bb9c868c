import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { etcdBootstrapError, etcdOptionsFromFlags } from '@k8sm/testkit';
import test, { type ExecutionContext } from 'ava';
import {
  type Cluster,
  ETCD,
  etcdAvailable,
  flagsOfDockerRun,
  freeSubnet,
  healthy,
  killAll,
  startEtcd,
  status,
  until,
} from './daemons.js';
import { removeTempDirs, tempDir } from './helpers.js';

// etcd.legacyPorts: every member also serves the pre-2.0 client 4001 and peer 7001 ports, which
// are fixed, so each cluster gets three loopback addresses found free on all four ports. The
// members run Debian's etcd 3.4 from the rendered env file or flags. In CI a missing package fails.
const daemonTest = etcdAvailable || process.env.CI === 'true' ? test.serial : test.skip;
const PORTS = [2379, 2380, 4001, 7001];

test.after.always(() => {
  killAll();
  removeTempDirs();
});

async function formsOneCluster(t: ExecutionContext, cluster: Cluster): Promise<void> {
  const legacy = cluster.urls.map((u) => u.replace(/:2379$/, ':4001'));
  const statuses = () => Promise.all(cluster.urls.map((u) => status(u)));
  const formed = await until(statuses, (s) =>
    s.every((x) => x !== 'down' && x.leader !== '0' && x.leader === (s[0] as { leader: string }).leader),
  );
  t.true(
    formed.every((x) => x !== 'down' && x.leader !== '0'),
    `one leader seen by all three: ${JSON.stringify(formed)}`,
  );
  for (const url of [...cluster.urls, ...legacy])
    t.true(await until(() => healthy(url), Boolean, 30), `${url}/health`);
}

async function stop(cluster: Cluster): Promise<void> {
  await Promise.all(
    cluster.members.map((child) => {
      if (child.exitCode !== null || child.signalCode !== null) return undefined;
      child.kill('SIGKILL');
      return once(child, 'exit');
    }),
  );
}

daemonTest(
  'legacy ports, etcd 3.4 env file: three members bootstrap, healthy on 2379 and on 4001',
  async (t) => {
    t.timeout(120_000);
    const subnet = await freeSubnet([61, 62, 63, 64, 65, 66], PORTS);
    const cluster = await startEtcd(t, subnet, 'env', { legacyPorts: true });
    const env = readFileSync(join(cluster.cwd, 'out/hosts/etcd-1/etc/etcd/etcd.conf'), 'utf8');
    t.regex(
      env,
      new RegExp(
        `^ETCD_INITIAL_CLUSTER=etcd-1=http://${subnet}\\.1:2380,etcd-1=http://${subnet}\\.1:7001,`,
        'm',
      ),
    );
    await formsOneCluster(t, cluster);
    await stop(cluster);
  },
);

daemonTest(
  'legacy ports, etcd 2.2.1 single-dash flags (the k8s-on-mesos-ha form): they bootstrap on real etcd, and without the 7001 entries etcd refuses as the model says',
  async (t) => {
    t.timeout(120_000);
    const subnet = await freeSubnet([67, 68, 69, 70, 71, 72], PORTS);
    const cluster = await startEtcd(t, subnet, 'flags', { version: '2.2.1', legacyPorts: true });
    await formsOneCluster(t, cluster);
    await stop(cluster);

    // The initial-cluster k8sm rendered before: one entry per member, its first peer URL only.
    const script = readFileSync(join(cluster.cwd, 'out/scripts/etcd-1.sh'), 'utf8');
    const flags = flagsOfDockerRun(script, 'quay.io/coreos/etcd:v2.2.1');
    t.true(
      flags.some((f) => f.startsWith('-initial-cluster=')),
      flags.join(' '),
    );
    const before = `-initial-cluster=${[1, 2, 3].map((i) => `etcd-${i}=http://${subnet}.${i}:2380`).join(',')}`;
    const broken = flags.map((f) =>
      f.startsWith('-initial-cluster=')
        ? before
        : f.startsWith('-data-dir=')
          ? `-data-dir=${join(tempDir(), 'fresh')}`
          : f,
    );
    const predicted = etcdBootstrapError(etcdOptionsFromFlags(broken));
    t.is(
      predicted,
      `--initial-advertise-peer-urls has http://${subnet}.1:7001 but missing from --initial-cluster=etcd-1=http://${subnet}.1:2380,etcd-1=http://${subnet}.1:7001`,
    );
    const real = spawnSync(ETCD, broken, {
      encoding: 'utf8',
      timeout: 30_000,
      env: { PATH: process.env.PATH ?? '' },
    });
    t.not(real.status, 0, 'etcd exits');
    t.true(real.stderr.includes(predicted ?? '?'), real.stderr.slice(-2000));
  },
);
