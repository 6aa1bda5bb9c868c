import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import test from 'ava';
import { etcdTest, killAll, startEtcd, startZookeeper, waitForModes, zkTest } from './daemons.js';
import { probeBin, removeTempDirs, run, tempDir } from './helpers.js';

const ETCDCTL = '/usr/bin/etcdctl';

// k8sm-probe against real daemons started from k8sm's own rendered files.

test.after.always(() => {
  killAll();
  removeTempDirs();
});

interface Report {
  status: string;
  ensembles: {
    system: string;
    status: string;
    summary: string;
    up: number;
    tolerable: number;
    leaders: string[];
    members: { member: string; ok: boolean; reason?: string }[];
  }[];
}

/** Probe until the exit code is `code`, at most `seconds`; returns the last run. */
async function probeUntil(args: string[], code: number, seconds = 60) {
  const cwd = tempDir();
  let r = run(probeBin, [...args, '--json', '--timeout', '1'], cwd);
  for (let i = 0; i < seconds * 2 && r.code !== code; i++) {
    await new Promise((res) => setTimeout(res, 500));
    r = run(probeBin, [...args, '--json', '--timeout', '1'], cwd);
  }
  return { code: r.code, report: JSON.parse(r.stdout || '{}') as Report, stderr: r.stderr };
}

zkTest(
  'ZooKeeper: one leader, exit 1 with one member down, 2 with two, 0 again once they return',
  async (t) => {
    t.timeout(180_000);
    const zk = await startZookeeper(t, 3, '127.0.46');
    await waitForModes(
      zk.hosts,
      (m) => m.filter((x) => x === 'leader').length === 1 && m.filter((x) => x === 'follower').length === 2,
    );
    const args = ['--zk', zk.hosts.map((h) => `${h}:2181`).join(',')];
    const ok = await probeUntil(args, 0);
    t.is(ok.code, 0, ok.stderr);
    const e = ok.report.ensembles[0];
    t.is(e?.leaders.length, 1);
    t.is(e?.tolerable, 1);
    const followers = (e?.members ?? [])
      .map((m, i) => ({ ...m, i }))
      .filter((m) => !e?.leaders.includes(m.member));
    zk.members[followers[0]?.i ?? 0]?.kill('SIGKILL');
    const one = await probeUntil(args, 1);
    t.is(one.code, 1);
    t.like(one.report.ensembles[0], { status: 'WARNING', up: 2, tolerable: 0 });
    zk.members[followers[1]?.i ?? 1]?.kill('SIGKILL');
    const two = await probeUntil(args, 2);
    t.is(two.code, 2);
    t.is(two.report.ensembles[0]?.status, 'CRITICAL');
    t.true(
      two.report.ensembles[0]?.members.some((m) => m.reason === 'not-serving' || m.reason === 'refused'),
    );
    zk.restart(followers[0]?.i ?? 0);
    zk.restart(followers[1]?.i ?? 1);
    const back = await probeUntil(args, 0, 90);
    t.is(back.code, 0, JSON.stringify(back.report));
  },
);

etcdTest(
  'etcd: the leader found through /v3/maintenance/status; 1, 2 and back to 0 as members stop and return',
  async (t) => {
    t.timeout(180_000);
    const etcd = await startEtcd(t, '127.0.47', 'env');
    const args = ['--etcd', etcd.urls.join(',')];
    const ok = await probeUntil(args, 0);
    t.is(ok.code, 0, ok.stderr);
    t.is(ok.report.ensembles[0]?.leaders.length, 1);
    const leader = ok.report.ensembles[0]?.leaders[0];
    const others = etcd.urls.map((u, i) => ({ u, i })).filter((x) => x.u !== leader);
    etcd.members[others[0]?.i ?? 0]?.kill('SIGKILL');
    const one = await probeUntil(args, 1);
    t.like(one.report.ensembles[0], { status: 'WARNING', up: 2, tolerable: 0 });
    etcd.members[others[1]?.i ?? 1]?.kill('SIGKILL');
    const two = await probeUntil(args, 2);
    t.is(two.code, 2);
    etcd.restart(others[0]?.i ?? 0);
    etcd.restart(others[1]?.i ?? 1);
    const back = await probeUntil(args, 0, 90);
    t.is(back.code, 0, JSON.stringify(back.report));
  },
);

/** Each member probed alone, as a per-host check does: exit code and verdict of every one. */
/** Each member alone with --no-discover: judged by its own report (probe-discovery tests the default). */
async function probeEachAlone(flag: string, members: readonly string[]) {
  const out: Awaited<ReturnType<typeof probeUntil>>[] = [];
  for (const m of members) out.push(await probeUntil([flag, m, '--no-discover'], 0, 20));
  return out;
}

zkTest(
  'ZooKeeper: each member probed alone with --no-discover is OK, 1 of 3 judged from its own Mode and zk_quorum_size; a fresh first member alone is CRITICAL',
  async (t) => {
    t.timeout(180_000);
    const zk = await startZookeeper(t, 3, '127.0.58');
    const modes = await waitForModes(
      zk.hosts,
      (m) => m.filter((x) => x === 'leader').length === 1 && m.filter((x) => x === 'follower').length === 2,
    );
    const alone = await probeEachAlone(
      '--zk',
      zk.hosts.map((h) => `${h}:2181`),
    );
    for (const [i, r] of alone.entries()) {
      const role = modes[i] === 'leader' ? 'leader with 2 synced followers' : 'follower of a leader';
      t.is(r.code, 0, `${zk.hosts[i]}: ${JSON.stringify(r.report)} ${r.stderr}`);
      t.like(r.report.ensembles[0], { status: 'OK', up: 1 });
      t.regex(
        r.report.ensembles[0]?.summary ?? '',
        new RegExp(`^1 of 3 members probed: ${role}; quorum judged from the member's own report`),
      );
    }
    // the full list keeps its ensemble verdict
    const all = await probeUntil(['--zk', zk.hosts.map((h) => `${h}:2181`).join(',')], 0);
    t.like(all.report.ensembles[0], { status: 'OK', up: 3, tolerable: 1 });
    // a first member started alone elects nobody: "not currently serving requests"
    for (const m of zk.members) m?.kill('SIGKILL');
    await new Promise((res) => setTimeout(res, 1000));
    zk.restart(0);
    const fresh = await probeUntil(['--zk', `${zk.hosts[0]}:2181`], 2, 30);
    t.is(fresh.code, 2, JSON.stringify(fresh.report));
    t.like(fresh.report.ensembles[0], { status: 'CRITICAL', up: 0 });
    t.regex(fresh.report.ensembles[0]?.members[0]?.reason ?? '', /not-serving|refused/);
  },
);

etcdTest(
  'etcd: each member probed alone with --no-discover is OK, 1 of 3 judged from its own status and member list; a fresh first member alone is CRITICAL',
  async (t) => {
    t.timeout(180_000);
    const etcd = await startEtcd(t, '127.0.59', 'env');
    const all = await probeUntil(['--etcd', etcd.urls.join(',')], 0);
    t.is(all.code, 0, all.stderr);
    const leader = all.report.ensembles[0]?.leaders[0];
    const alone = await probeEachAlone('--etcd', etcd.urls);
    // etcdctl's own view, `endpoint status -w simple`: "url, id (hex), version, db size, is leader, …"
    const etcdctl = execFileSync(
      ETCDCTL,
      ['--endpoints', etcd.urls.join(','), '--dial-timeout', '2s', 'endpoint', 'status', '-w', 'simple'],
      { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' }, timeout: 20_000 },
    );
    const rows = etcdctl
      .trim()
      .split('\n')
      .map((line) => line.split(', '));
    const etcdctlLeader = rows.find((r) => r[4] === 'true')?.[1];
    t.regex(etcdctlLeader ?? '', /^[0-9a-f]+$/, etcdctl);
    for (const [i, r] of alone.entries()) {
      const member = r.report.ensembles[0]?.members[0] as unknown as Record<string, unknown>;
      // `leader` stays this member's boolean; the leader it names is `leaderId`, as etcdctl writes ids
      t.is(member.leader, etcd.urls[i] === leader, JSON.stringify(member));
      t.is(member.leaderId, etcdctlLeader, `${JSON.stringify(member)} vs etcdctl:\n${etcdctl}`);
      t.is(member.memberId, rows.find((row) => row[0] === etcd.urls[i])?.[1], etcdctl);
      t.is(r.code, 0, `${etcd.urls[i]}: ${JSON.stringify(r.report)} ${r.stderr}`);
      t.like(r.report.ensembles[0], { status: 'OK', up: 1 });
      const role = etcd.urls[i] === leader ? 'leader' : 'follower of leader [0-9a-f]+';
      t.regex(
        r.report.ensembles[0]?.summary ?? '',
        new RegExp(`^1 of 3 members probed: ${role}; quorum judged from the member's own report`),
      );
    }
    for (const m of etcd.members) m?.kill('SIGKILL');
    await new Promise((res) => setTimeout(res, 1000));
    etcd.restart(0);
    const fresh = await probeUntil(['--etcd', etcd.urls[0] ?? ''], 2, 30);
    t.is(fresh.code, 2, JSON.stringify(fresh.report));
    t.like(fresh.report.ensembles[0], { status: 'CRITICAL', up: 0 });
  },
);

/**
 * Marathon shaped as upstream answers: `GET /ping` is `pong` (text/plain), `GET /v2/leader` is
 * `{"leader":"host:port"}` on every member (a standby proxies to the leader) or 404
 * `{"message":"There is no leader"}` (mesosphere/marathon
 * src/main/scala/mesosphere/marathon/api/v2/LeaderResource.scala, docs/docs/rest-api/public/api/v2/leader.raml).
 */
async function marathonFakes(hosts: readonly string[], leaderIndex: number | undefined) {
  const servers: Server[] = [];
  const urls: string[] = [];
  for (const host of hosts) {
    const server = createServer((req, res) => {
      if (req.url === '/ping') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('pong');
      }
      if (req.url === '/v2/leader') {
        const leader = leaderIndex === undefined ? undefined : urls[leaderIndex];
        res.writeHead(leader ? 200 : 404, { 'content-type': 'application/json' });
        return res.end(
          JSON.stringify(leader ? { leader: new URL(leader).host } : { message: 'There is no leader' }),
        );
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((res) => server.listen(0, host, () => res()));
    servers.push(server);
    urls.push(`http://${host}:${(server.address() as AddressInfo).port}`);
  }
  return { urls, servers, close: () => Promise.all(servers.map((s) => new Promise((res) => s.close(res)))) };
}

/** k8sm-probe run without blocking this process, which serves the fakes it probes. */
const probeAsync = (args: readonly string[]) =>
  new Promise<{ code: number | null; report: Report; stdout: string }>((resolve) => {
    execFile(
      process.execPath,
      [probeBin, ...args, '--json', '--timeout', '1'],
      { timeout: 20_000 },
      (error, stdout) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
          report: JSON.parse(stdout || '{}') as Report,
          stdout,
        }),
    );
  });

test.serial(
  'Marathon is a leader plus standbys: 1 of 3 up and leading is WARNING, not quorum lost; no leader is CRITICAL',
  async (t) => {
    const m = await marathonFakes(['127.0.45.61', '127.0.45.62', '127.0.45.63'], 0);
    const args = ['--marathon', m.urls.join(',')];
    const full = await probeAsync(args);
    t.is(full.code, 0, full.stdout);
    t.like(full.report.ensembles[0], { status: 'OK', summary: `3/3 up, leader ${m.urls[0]}, 2 standbys` });
    // the standbys stop: their ports refuse
    await new Promise((res) => m.servers[1]?.close(res));
    await new Promise((res) => m.servers[2]?.close(res));
    const one = await probeAsync(args);
    t.is(one.code, 1, one.stdout);
    t.like(one.report.ensembles[0], {
      status: 'WARNING',
      up: 1,
      summary: `1/3 up, leader ${m.urls[0]}, 0 standbys, 2 missing`,
    });
    await new Promise((res) => m.servers[0]?.close(res));
    const none = await marathonFakes(['127.0.45.64', '127.0.45.65'], undefined);
    const leaderless = await probeAsync(['--marathon', none.urls.join(',')]);
    t.is(leaderless.code, 2, leaderless.stdout);
    t.is(leaderless.report.ensembles[0]?.status, 'CRITICAL');
    // a standby probed alone names the leader it proxies to
    const pair = await marathonFakes(['127.0.45.66', '127.0.45.67'], 0);
    const standby = await probeAsync(['--marathon', pair.urls[1] ?? '']);
    t.is(standby.code, 0, standby.stdout);
    t.regex(
      standby.report.ensembles[0]?.summary ?? '',
      /^1 member probed: standby of leader 127\.0\.45\.66:\d+; leader judged from the member's own report/,
    );
    // the leader it names stops answering: the standby alone is no longer OK
    await new Promise((res) => pair.servers[0]?.close(res));
    const orphan = await probeAsync(['--marathon', pair.urls[1] ?? '']);
    t.is(orphan.code, 1, orphan.stdout);
    t.regex(
      orphan.report.ensembles[0]?.summary ?? '',
      /; the leader it names, http:\/\/127\.0\.45\.66:\d+, does not answer/,
    );
    await none.close();
    await new Promise((res) => pair.servers[1]?.close(res));
  },
);

/**
 * A Mesos agent shaped as upstream answers: `GET /slave(1)/health` 200 with an empty body
 * (apache/mesos src/slave/http.cpp), `GET /metrics/snapshot` a flat JSON object whose
 * `slave/registered` is 1 once registered (src/slave/metrics.cpp).
 */
async function mesosAgentFake(host: string, registered: 0 | 1) {
  const server = createServer((req, res) => {
    if (req.url === '/slave(1)/health') return res.writeHead(200).end();
    if (req.url === '/metrics/snapshot') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({
          'slave/registered': registered,
          'slave/tasks_running': 14,
          'slave/uptime_secs': 3600.5,
        }),
      );
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((res) => server.listen(0, host, () => res()));
  return { url: `http://${host}:${(server.address() as AddressInfo).port}`, server };
}

test.serial(
  '--mesos-agent: an agent is up when healthy and registered; one that runs unregistered is named, no election is waited for',
  async (t) => {
    const ok = await mesosAgentFake('127.0.45.71', 1);
    const lost = await mesosAgentFake('127.0.45.72', 0);
    const both = await probeAsync(['--mesos-agent', `${ok.url},${lost.url},http://127.0.45.73:1`]);
    t.is(both.code, 1, both.stdout);
    t.like(both.report.ensembles[0], { system: 'mesos-agent', status: 'WARNING', up: 1, total: 3 });
    const members = both.report.ensembles[0]?.members as unknown as Record<string, unknown>[];
    t.like(members[0], { ok: true, registered: true, tasksRunning: 14 });
    t.like(members[1], { ok: false, reason: 'not-serving' });
    t.regex(String(members[1]?.message), /not registered with a master \(slave\/registered 0\)/);
    t.like(members[2], { ok: false, reason: 'refused' });
    const alone = await probeAsync(['--mesos-agent', ok.url]);
    t.is(alone.code, 0, alone.stdout);
    for (const s of [ok.server, lost.server]) await new Promise((res) => s.close(res));
  },
);

/**
 * Mesos masters shaped as upstream answers: `GET /master/health` 200 on any running master
 * (apache/mesos src/master/http.cpp `Master::Http::health`), `/metrics/snapshot` with
 * `master/elected` 1 on the leader (src/master/metrics.cpp), and `/master/redirect` a 307 to the
 * protocol-relative `//hostname:port` of the leader, itself included, or 503 "No leader elected"
 * (`Master::Http::redirect`).
 */
async function mesosMasterFakes(hosts: readonly string[], leaderIndex: number | undefined) {
  const servers: Server[] = [];
  const urls: string[] = [];
  hosts.forEach((_host, i) => {
    servers.push(
      createServer((req, res) => {
        if (req.url === '/master/health') return res.writeHead(200).end();
        if (req.url === '/metrics/snapshot') {
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(
            JSON.stringify({
              'master/elected': i === leaderIndex ? 1 : 0,
              'master/slaves_active': i === leaderIndex ? 3 : 0,
              'master/uptime_secs': 120.25,
              'registrar/log/recovered': 1,
            }),
          );
        }
        if (req.url === '/master/redirect') {
          const leader = leaderIndex === undefined ? undefined : urls[leaderIndex];
          if (!leader) return res.writeHead(503).end('No leader elected');
          return res.writeHead(307, { location: `//${new URL(leader).host}` }).end();
        }
        res.writeHead(404).end();
      }),
    );
  });
  for (const [i, server] of servers.entries()) {
    await new Promise<void>((res) => server.listen(0, hosts[i], () => res()));
    urls.push(`http://${hosts[i]}:${(server.address() as AddressInfo).port}`);
  }
  return {
    urls,
    closeOne: (i: number) => new Promise((res) => servers[i]?.close(res)),
    close: () =>
      Promise.all(servers.filter((s) => s.listening).map((s) => new Promise((res) => s.close(res)))),
  };
}

test.serial(
  '--mesos: a standby probed alone is OK as the standby of the leader its /master/redirect names, WARNING when that leader does not answer, CRITICAL with no leader',
  async (t) => {
    const pair = await mesosMasterFakes(['127.0.45.81', '127.0.45.82'], 0);
    const both = await probeAsync(['--mesos', pair.urls.join(',')]);
    t.is(both.code, 0, both.stdout);
    // the masters' replicated log needs a quorum, so two of two tolerate no failure
    t.like(both.report.ensembles[0], {
      status: 'OK',
      summary: `2/2 up, leader ${pair.urls[0]}, tolerates 0 more failures`,
    });
    const standby = await probeAsync(['--mesos', pair.urls[1] ?? '']);
    t.is(standby.code, 0, standby.stdout);
    t.regex(
      standby.report.ensembles[0]?.summary ?? '',
      // an elected leader has recovered the registrar from a quorum of the replicated log, or it
      // exits (apache/mesos src/master/master.cpp, Master::detected: "Recovery failed")
      /^1 member probed: follower of leader 127\.0\.45\.81:\d+; quorum judged from the member's own report \(its \/master\/redirect names/,
    );
    // the leader stops; until its ZooKeeper session expires the standby still names it
    await pair.closeOne(0);
    const orphan = await probeAsync(['--mesos', pair.urls[1] ?? '']);
    t.is(orphan.code, 1, orphan.stdout);
    t.is(orphan.report.ensembles[0]?.status, 'WARNING');
    t.regex(
      orphan.report.ensembles[0]?.summary ?? '',
      /; the leader it names, http:\/\/127\.0\.45\.81:\d+, does not answer \(.*refused.*\): a failover may be under way/,
    );
    const leaderless = await mesosMasterFakes(['127.0.45.83'], undefined);
    const alone = await probeAsync(['--mesos', leaderless.urls[0] ?? '']);
    t.is(alone.code, 2, alone.stdout);
    t.is(alone.report.ensembles[0]?.status, 'CRITICAL');
    await pair.close();
    await leaderless.close();
  },
);

// The formats themselves are tested in @k8sm/probes (test/formats.test.ts); here, that a flag picks one.
test('the output format is picked by flag: a table by default, --json, --prometheus, --nagios', (t) => {
  const cwd = tempDir();
  const args = ['--zk', '127.0.46.99:2181', '--timeout', '0.5'];
  const table = run(probeBin, args, cwd);
  t.is(table.code, 2);
  t.regex(table.stdout, /^zookeeper +CRITICAL +0\/1 up: quorum lost/);
  const json = run(probeBin, [...args, '--json'], cwd);
  t.is(json.code, 2);
  t.is(JSON.parse(json.stdout).ensembles[0].members[0].reason, 'refused');
  const prom = run(probeBin, [...args, '--prometheus'], cwd);
  t.is(prom.code, 2);
  t.regex(prom.stdout, /^# HELP k8sm_member_up /);
  const nagios = run(probeBin, [...args, '--nagios'], cwd);
  t.is(nagios.code, 2);
  t.regex(nagios.stdout, /^K8SM CRITICAL - zookeeper: /);
});

test('--spec is read with the bounds of k8sm-render: a FIFO or an oversized file is UNKNOWN (3) at once, naming the flag', (t) => {
  const cwd = tempDir();
  const fifo = join(cwd, 'spec.fifo');
  execFileSync('mkfifo', [fifo]);
  const piped = run(probeBin, ['--spec', fifo], cwd);
  t.is(piped.code, 3, piped.stderr);
  t.regex(piped.stderr, /--spec \S*spec\.fifo: it is a named pipe \(FIFO\), not a file/);
  const big = join(cwd, 'big.json');
  writeFileSync(big, `{"name": "${'x'.repeat(5 * 1024 * 1024)}"}`);
  const large = run(probeBin, ['--spec', big], cwd);
  t.is(large.code, 3, large.stderr);
  t.regex(large.stderr, /--spec \S*big\.json: .*larger than 4 MiB/);
  t.notRegex(large.stderr + piped.stderr, /internal error|\n\s+at /);
});

test('--spec probes every member the spec describes, on the addresses and ports it gives (0.0.0.0: the host address)', (t) => {
  const cwd = tempDir();
  const spec = {
    name: 'probe-spec',
    hosts: [1, 2, 3].map((i) => ({
      name: `m${i}`,
      address: `127.0.48.${i}`,
      roles: ['zookeeper', 'etcd', 'mesos-master', 'marathon'],
      ...(i === 2 ? { zookeeper: { clientPort: 12181 } } : {}),
      ...(i === 3 ? { zookeeper: { clientPortAddress: '0.0.0.0' } } : {}),
    })),
    zookeeper: { version: '3.4.14' },
    etcd: { version: '3.4.23' },
    mesos: { version: '1.11.0' },
    marathon: { version: '1.11.24' },
  };
  const file = join(cwd, 'spec.json');
  writeFileSync(file, JSON.stringify(spec));
  const r = run(probeBin, ['--spec', file, '--json', '--timeout', '0.3'], cwd);
  t.is(r.code, 2, 'nothing runs there: CRITICAL');
  const report = JSON.parse(r.stdout) as Report;
  t.deepEqual(
    report.ensembles.map((e) => [e.system, e.members.map((m) => m.member)]),
    [
      ['zookeeper', ['127.0.48.1:2181', '127.0.48.2:12181', '127.0.48.3:2181']],
      ['etcd', ['http://127.0.48.1:2379', 'http://127.0.48.2:2379', 'http://127.0.48.3:2379']],
      ['mesos', ['http://127.0.48.1:5050', 'http://127.0.48.2:5050', 'http://127.0.48.3:5050']],
      ['marathon', ['http://127.0.48.1:8080', 'http://127.0.48.2:8080', 'http://127.0.48.3:8080']],
    ],
  );
  t.true(report.ensembles.every((e) => e.members.every((m) => m.reason === 'refused')));
});

test('a password in a --haproxy or --etcd URL is never printed, in any format', (t) => {
  const cwd = tempDir();
  for (const format of [[], ['--json'], ['--prometheus'], ['--nagios']]) {
    const r = run(
      probeBin,
      [
        '--haproxy',
        'http://admin:s3cret@127.0.0.1:9/stats',
        '--etcd',
        'http://root:t0ps3cret@127.0.0.1:9',
        '--timeout',
        '5',
        ...format,
      ],
      cwd,
    );
    t.is(r.code, 2, r.stdout + r.stderr);
    t.notRegex(r.stdout + r.stderr, /s3cret/, format.join(' '));
    t.regex(r.stdout + r.stderr, /admin:\*\*\*@127\.0\.0\.1:9/, format.join(' '));
  }
});
