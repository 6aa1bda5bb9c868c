import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import test from 'ava';
import { type EnsembleTarget, type ProbeSettings, probeAll } from '../src/probe.js';
import {
  ETCD,
  etcdTest,
  fourLetterWord,
  healthy,
  killAll,
  modeOf,
  startEtcd,
  startZookeeper,
  until,
  waitForModes,
  zkTest,
} from './daemons.js';
import { probeBin, removeTempDirs, run, tempDir } from './helpers.js';

// Gray failures, elections, stale leaders and foreign members on real ZooKeeper 3.8 and etcd 3.4
// (Debian's packages), each started from k8sm's own rendered files; what the daemons themselves
// say (srvr, etcdctl) is the oracle the verdicts are checked against.

const extra: ChildProcess[] = [];
test.after.always(() => {
  for (const child of extra) child.kill('SIGKILL');
  killAll();
  removeTempDirs();
});

const settings = (timeoutMs: number): ProbeSettings => ({ timeoutMs, concurrency: 16, http: {} });

zkTest(
  'ZooKeeper: a SIGSTOPped follower is a gray failure (WARNING, timeout); a leader SIGCONTed after the others elected anew is a stale leader, never a split brain',
  async (t) => {
    t.timeout(240_000);
    const zk = await startZookeeper(t, 3, '127.0.86');
    const members = zk.hosts.map((h) => `${h}:2181`);
    const target: EnsembleTarget[] = [{ system: 'zookeeper', members }];
    const modes = await waitForModes(
      zk.hosts,
      (m) => m.filter((x) => x === 'leader').length === 1 && m.filter((x) => x === 'follower').length === 2,
    );
    const leader = modes.indexOf('leader');
    const follower = modes.indexOf('follower');

    // the socket of a stopped process still accepts: only the deadline ends its probe
    zk.members[follower]?.kill('SIGSTOP');
    const gray = await probeAll(target, settings(1000));
    zk.members[follower]?.kill('SIGCONT');
    const e = gray.ensembles[0];
    t.like(e, { status: 'WARNING', up: 2, total: 3, tolerable: 0 });
    const stopped = e?.members[follower]?.result;
    t.true(stopped !== undefined && !stopped.ok && stopped.reason === 'timeout', JSON.stringify(stopped));
    await until(
      () => probeAll(target, settings(1000)),
      (r) => r.status === 'OK',
    );

    // the leader stops; the two others elect a new one at a newer epoch
    zk.members[leader]?.kill('SIGSTOP');
    const others = zk.hosts.filter((_, i) => i !== leader);
    await until(
      () =>
        Promise.all(others.map(async (h) => modeOf(await fourLetterWord(h, 'srvr', 500).catch(() => '')))),
      (m) => m.includes('leader'),
      60,
    );
    zk.members[leader]?.kill('SIGCONT');
    // right after SIGCONT the old leader still answers `Mode: leader` at its old epoch, until it
    // notices its followers are gone; every round until it steps down is judged
    let caught = 0;
    for (let round = 0; round < 40; round++) {
      const report = await probeAll(target, settings(1000));
      const v = report.ensembles[0];
      t.notRegex(v?.summary ?? '', /split brain/, JSON.stringify(v));
      const leading = (v?.details ?? []).filter((d) => d.mode === 'leader');
      if (leading.length > 1) {
        caught++;
        t.is(v?.status, 'WARNING', v?.summary);
        t.deepEqual(v?.staleLeaders, [members[leader]], v?.summary);
        t.is(v?.leaders.length, 1);
        t.regex(
          v?.summary ?? '',
          /still says it leads at zxid epoch \d+, older than the leader's \d+: a stale leader stepping down/,
        );
      }
      if (report.status === 'OK') break;
    }
    t.log(`rounds with the stale leader still saying Mode: leader: ${caught}`);
    const settled = await until(
      () => probeAll(target, settings(1000)),
      (r) => r.status === 'OK',
      60,
    );
    t.is(settled.ensembles[0]?.leaders.length, 1);
  },
);

zkTest(
  'ZooKeeper: members whose 4lw.commands.whitelist hides mntr and conf serve and are judged on srvr (always whitelisted), WARNING with the fix, not DOWN',
  async (t) => {
    t.timeout(180_000);
    const zk = await startZookeeper(t, 3, '127.0.87', { fourLetterWords: ['ruok'] });
    const modes = await waitForModes(
      zk.hosts,
      (m) => m.filter((x) => x === 'leader').length === 1 && m.filter((x) => x === 'follower').length === 2,
    );
    // the oracle: srvr answers whatever the whitelist says, mntr and conf are refused
    const follower = zk.hosts[modes.indexOf('follower')] ?? '';
    t.regex(
      await fourLetterWord(follower, 'mntr', 1000),
      /mntr is not executed because it is not in the whitelist/,
    );
    t.regex(
      await fourLetterWord(follower, 'conf', 1000),
      /conf is not executed because it is not in the whitelist/,
    );

    const all = run(probeBin, ['--zk', zk.hosts.map((h) => `${h}:2181`).join(','), '--nagios'], tempDir());
    t.is(all.code, 1, all.stdout);
    t.regex(all.stdout, /^K8SM WARNING - zookeeper: 3\/3 up, leader 127\.0\.87\.\d:2181/);
    t.regex(
      all.stdout,
      /127\.0\.87\.\d:2181, 127\.0\.87\.\d:2181, 127\.0\.87\.\d:2181: its 4lw\.commands\.whitelist refuses mntr and conf, so .* cannot be read: add srvr,mntr,conf to 4lw\.commands\.whitelist/,
    );
    // the per-host check of a follower: a synced follower still proves the quorum
    const alone = run(probeBin, ['--zk', `${follower}:2181`, '--nagios'], tempDir());
    t.is(alone.code, 1, alone.stdout);
    t.regex(
      alone.stdout,
      /^K8SM WARNING - zookeeper: .*follower.*its 4lw\.commands\.whitelist refuses mntr and conf/,
    );
  },
);

etcdTest(
  'etcd: an unrelated etcd in the list is foreign (WARNING, not a second leader), as its cluster_id in etcdctl says; right after the leader dies the two left are judged, not "0/3 up"',
  async (t) => {
    t.timeout(240_000);
    const etcd = await startEtcd(t, '127.0.88', 'env');
    // an etcd of its own one-member cluster, beside them
    const dir = tempDir();
    const other = 'http://127.0.88.9:2379';
    extra.push(
      spawn(
        ETCD,
        [
          '--name=other',
          `--data-dir=${join(dir, 'other')}`,
          `--listen-client-urls=${other}`,
          `--advertise-client-urls=${other}`,
          '--listen-peer-urls=http://127.0.88.9:2380',
          '--initial-advertise-peer-urls=http://127.0.88.9:2380',
          '--initial-cluster=other=http://127.0.88.9:2380',
        ],
        { stdio: 'ignore' },
      ),
    );
    await until(
      () => Promise.all([...etcd.urls, other].map((u) => healthy(u))),
      (h) => h.every(Boolean),
    );
    const listed = [...etcd.urls, other];
    const etcdctl = JSON.parse(
      execFileSync(
        '/usr/bin/etcdctl',
        ['--endpoints', listed.join(','), '--dial-timeout', '2s', 'endpoint', 'status', '-w', 'json'],
        { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' }, timeout: 20_000 },
      ),
    ) as { Endpoint: string; Status: { header: { cluster_id: number } } }[];
    const clusters = new Set(
      etcdctl.filter((s) => s.Endpoint !== other).map((s) => s.Status.header.cluster_id),
    );
    t.is(clusters.size, 1, JSON.stringify(etcdctl));
    t.false(clusters.has(etcdctl.find((s) => s.Endpoint === other)?.Status.header.cluster_id ?? -1));

    const target: EnsembleTarget[] = [{ system: 'etcd', members: listed }];
    const report = await until(
      () => probeAll(target, settings(2000)),
      (r) => r.ensembles[0]?.leaders.length === 1,
    );
    const v = report.ensembles[0];
    t.like(v, { status: 'WARNING', up: 3, total: 3, tolerable: 1 });
    t.deepEqual(v?.foreign, [other]);
    const foreign = v?.members[3]?.result;
    t.true(foreign !== undefined && !foreign.ok && foreign.reason === 'foreign', JSON.stringify(foreign));
    t.regex(v?.summary ?? '', /1 member of another cluster not counted \(http:\/\/127\.0\.88\.9:2379\)$/);

    // the leader dies: the first probe after is within one election of it
    const leader = etcd.urls.indexOf(v?.leaders[0] ?? '');
    t.true(leader >= 0);
    etcd.members[leader]?.kill('SIGKILL');
    const dead = etcd.urls[leader];
    const after = await probeAll([{ system: 'etcd', members: etcd.urls }], settings(5000));
    const e = after.ensembles[0];
    // the followers either elected already, or still name the dead leader (as etcdctl shows)
    t.log(`first probe after the leader's SIGKILL: ${e?.summary}`);
    t.like(e, { status: 'WARNING', up: 2, total: 3, tolerable: 0 }, JSON.stringify(e));
    if (e?.leaders.length === 0)
      // mid-election one may name the dead leader and the other the one it just voted for
      t.regex(
        e.summary,
        /^2\/3 up, no leader among them: they follow leader [0-9a-f]+(?: and leader [0-9a-f]+)? that did not answer/,
      );
    else t.not(e?.leaders[0], dead);
    const elected = await until(
      () => probeAll([{ system: 'etcd', members: etcd.urls }], settings(5000)),
      (r) => r.ensembles[0]?.leaders.length === 1,
      40,
    );
    t.like(elected.ensembles[0], { status: 'WARNING', up: 2 });
    t.not(elected.ensembles[0]?.leaders[0], dead);
  },
);
