import { execFileSync } from 'node:child_process';
import test from 'ava';
import { etcdTest, killAll, startEtcd, startZookeeper, until, waitForModes, zkTest } from './daemons.js';
import { probeBin, removeTempDirs, run, tempDir } from './helpers.js';

// The headline per-host check, `k8sm-probe --zk <one member>`, on real ZooKeeper 3.8 and etcd 3.4
// ensembles started from k8sm's rendered files: the member's own list (conf, etcd's member list,
// the same list etcdctl prints) sets the ensemble, and the members it names are probed too.

test.after.always(() => {
  killAll();
  removeTempDirs();
});

interface JsonEnsemble {
  status: string;
  up: number;
  total: number;
  leaders: string[];
  summary: string;
  discovered?: string[];
  strangers?: string[];
}
const probeJson = (args: string[]) => {
  const r = run(probeBin, [...args, '--json'], tempDir());
  return { code: r.code, ensemble: (JSON.parse(r.stdout) as { ensembles: JsonEnsemble[] }).ensembles[0] };
};

zkTest(
  'ZooKeeper: one follower given is judged with the ensemble its conf lists; a member listed that conf does not name is not counted; one member down is WARNING on every per-host check',
  async (t) => {
    t.timeout(240_000);
    const zk = await startZookeeper(t, 3, '127.0.89');
    const modes = await waitForModes(
      zk.hosts,
      (m) => m.filter((x) => x === 'leader').length === 1 && m.filter((x) => x === 'follower').length === 2,
    );
    const follower = zk.hosts[modes.indexOf('follower')] ?? '';
    const leader = zk.hosts[modes.indexOf('leader')] ?? '';
    const others = zk.hosts.filter((h) => h !== follower).map((h) => `${h}:2181`);

    const alone = probeJson(['--zk', `${follower}:2181`]);
    t.is(alone.code, 0, JSON.stringify(alone.ensemble));
    t.like(alone.ensemble, { status: 'OK', up: 3, total: 3, leaders: [`${leader}:2181`] });
    t.deepEqual(alone.ensemble?.discovered, others);
    t.regex(alone.ensemble?.summary ?? '', new RegExp(`probed 2 more members from ${follower}:2181's conf`));

    // --no-discover: the member's own report only (a synced follower proves a quorum)
    const own = probeJson(['--zk', `${follower}:2181`, '--no-discover']);
    t.like(own.ensemble, { status: 'OK', up: 1 });
    t.is(own.ensemble?.discovered, undefined);

    // a stale entry in the list (nothing of the ensemble's there): noted, not counted
    const stale = probeJson(['--zk', `${follower}:2181,127.0.89.9:2181`]);
    t.is(stale.code, 1);
    t.like(stale.ensemble, { status: 'WARNING', up: 3, total: 3, strangers: ['127.0.89.9:2181'] });
    t.regex(stale.ensemble?.summary ?? '', /127\.0\.89\.9:2181 is listed but not in .*'s conf: not counted/);

    // a rolling restart with one member already down: every per-host check says so
    const gone = zk.hosts.findIndex((h) => h !== follower && h !== leader);
    zk.members[gone]?.kill('SIGKILL');
    const down = await until(
      async () => probeJson(['--zk', `${follower}:2181`]),
      (r) => r.ensemble?.up === 2,
      30,
    );
    t.is(down.code, 1, JSON.stringify(down.ensemble));
    t.like(down.ensemble, { status: 'WARNING', up: 2, total: 3, leaders: [`${leader}:2181`] });
  },
);

etcdTest(
  'etcd: one member given finds the others in its member list, the same client URLs etcdctl member list prints',
  async (t) => {
    t.timeout(240_000);
    const etcd = await startEtcd(t, '127.0.90', 'env');
    const one = etcd.urls[1] ?? '';
    const r = await until(
      async () => probeJson(['--etcd', one]),
      (x) => x.ensemble?.status === 'OK',
      30,
    );
    // the oracle, once every member has published its client URLs (a member just started lists
    // none yet: the probe counts it, and cannot ask it, until then): etcdctl's member list
    const listed = JSON.parse(
      execFileSync('/usr/bin/etcdctl', ['--endpoints', one, 'member', 'list', '-w', 'json'], {
        encoding: 'utf8',
        env: { ...process.env, ETCDCTL_API: '3' },
        timeout: 20_000,
      }),
    ) as { members: { clientURLs: string[] }[] };
    const urls = listed.members.flatMap((m) => m.clientURLs).filter((u) => u !== one);
    t.is(r.code, 0, JSON.stringify(r.ensemble));
    t.like(r.ensemble, { up: 3, total: 3 });
    t.is(r.ensemble?.leaders.length, 1);
    t.deepEqual([...(r.ensemble?.discovered ?? [])].sort(), urls.sort());
  },
);
