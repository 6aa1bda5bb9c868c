import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { PROBE_FORMATS, type ProbeReport } from '@k8sm/probes';
import test from 'ava';
import { stateOf } from '../src/commands/probe.js';
import { probeAll } from '../src/probe.js';
import { watch } from '../src/watch.js';
import { probeBin, removeTempDirs, renderBin, tempDir } from './helpers.js';

// The one watch loop, bounded in rounds in-process and stopped by SIGINT through both commands,
// against fakes on 127.0.0.1, port 0.
const servers: { close: () => void }[] = [];
test.after.always(() => {
  for (const s of servers) s.close();
  removeTempDirs();
});

/**
 * A fake ZooKeeper answering srvr (and mntr) in the mode `mode()` gives, or as a member that is not
 * serving yet (`not-serving`, the reply of a member of a fresh ensemble still alone); counts srvr requests.
 */
async function fakeZookeeper(mode: () => string): Promise<{ port: number; srvr: () => number }> {
  let srvr = 0;
  const server: Server = createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', (word) => {
      // a healthy leader of three, as 3.8's mntr says it; a member still electing answers neither word
      if (String(word).startsWith('mntr'))
        return socket.end(
          mode() === 'leader'
            ? 'zk_peer_state\tleading - broadcast\nzk_quorum_size\t3\nzk_synced_followers\t2\n'
            : 'This ZooKeeper instance is not currently serving requests\n',
        );
      // a conf without a membership (as 3.4's): the list given is the ensemble
      if (String(word).startsWith('conf')) return socket.end('clientPort=2181\n');
      srvr++;
      if (mode() === 'not-serving')
        return socket.end('This ZooKeeper instance is not currently serving requests\n');
      socket.end(
        `Zookeeper version: 3.8.0-fake, built on 2022-02-25\nLatency min/avg/max: 0/0.1/1\nReceived: 1\nSent: 1\nConnections: 1\nOutstanding: 0\nZxid: 0x1\nMode: ${mode()}\nNode count: 5\n`,
      );
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, srvr: () => srvr };
}

/**
 * Not serving for `ms` from the first srvr, then leading. k8sm-probe asks a member that is not
 * serving again within its deadline, so a round's outcome is set by time, not by request count.
 */
function servingAfter(ms: number): () => string {
  let first: number | undefined;
  return () => {
    first ??= Date.now();
    return Date.now() - first < ms ? 'not-serving' : 'leader';
  };
}

/** The CLI as a child process, for commands that run until a signal. */
function start(bin: string, args: string[], cwd: string) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [bin, ...args], { cwd });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (c) => {
    out.stdout += c;
  });
  child.stderr.on('data', (c) => {
    out.stderr += c;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const done = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    }),
  );
  return { child, out, done };
}

async function until(condition: () => boolean, what: string, ms = 30_000): Promise<void> {
  for (const deadline = Date.now() + ms; !condition(); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const settings = { timeoutMs: 1000, concurrency: 4, http: {} };

test('watch runs a bounded number of rounds and prints only the rounds that changed', async (t) => {
  const modes = ['not-serving', 'not-serving', 'leader'];
  let round = 0;
  const zk = await fakeZookeeper(() => modes[round - 1] ?? 'leader');
  const targets = [{ system: 'zookeeper' as const, members: [`127.0.0.1:${zk.port}`] }];
  const printed: string[] = [];
  const last = await watch<ProbeReport>({
    intervalMs: 10,
    rounds: 3,
    round: () => {
      round++;
      return probeAll(targets, settings);
    },
    changed: (previous, next) => previous === undefined || stateOf(previous) !== stateOf(next),
    print: (report) => printed.push(PROBE_FORMATS.table(report)),
  });
  t.is(round, 3);
  // rounds 1 and 2 re-ask the member that is not serving within their 1 s deadline (every 200 ms)
  t.true(zk.srvr() >= 5 && zk.srvr() <= 13, `srvr asked ${zk.srvr()} times`);
  t.is(printed.length, 2, 'the second round changed nothing and printed nothing');
  t.regex(printed[0] ?? '', /^zookeeper +CRITICAL /);
  t.regex(printed[1] ?? '', /^zookeeper +OK /);
  t.regex(printed[1] ?? '', /leader\*/);
  t.is(last?.status, 'OK');
});

test('watch stops during its wait when its signal aborts', async (t) => {
  const controller = new AbortController();
  const began = Date.now();
  let rounds = 0;
  await watch({
    intervalMs: 60_000,
    signal: controller.signal,
    round: async () => {
      rounds++;
      setTimeout(() => controller.abort(), 50);
      return rounds;
    },
    changed: () => true,
    print: () => {},
  });
  t.is(rounds, 1);
  t.true(Date.now() - began < 5_000, 'did not sit out the interval');
});

test('k8sm-probe --watch prints a report when a status changes, not every round, until SIGINT', async (t) => {
  const zk = await fakeZookeeper(servingAfter(1500));
  const run = start(
    probeBin,
    ['--zk', `127.0.0.1:${zk.port}`, '--watch', '0.1', '--timeout', '1'],
    tempDir(),
  );
  // rounds of 1 s every 0.1 s: the first is CRITICAL, the second turns OK once the member serves
  await until(() => (run.out.stdout.match(/^overall:/gm) ?? []).length >= 2, 'two reports');
  run.child.kill('SIGINT');
  const code = await run.done;
  t.is(code, 0, `the last round was OK\n${run.out.stderr}`);
  const reports = run.out.stdout.split(/^(?=\d{4}-\d\d-\d\dT)/m).filter(Boolean);
  t.is(reports.length, 2, run.out.stdout);
  t.regex(reports[0] ?? '', /zookeeper +CRITICAL /);
  t.regex(reports[1] ?? '', /leader\*/);
  t.regex(reports[1] ?? '', /overall: OK\n/);
});

const PROMTOOL = '/usr/bin/promtool';
const promtoolTest = existsSync(PROMTOOL) || process.env.CI === 'true' ? test : test.skip;

/** k8sm-probe --watch in a format, until it has printed two rounds (CRITICAL, then OK); its stdout. */
async function watchTwoRounds(format: string, rounds: (stdout: string) => number): Promise<string> {
  const zk = await fakeZookeeper(servingAfter(1500));
  const run = start(
    probeBin,
    ['--zk', `127.0.0.1:${zk.port}`, '--watch', '0.1', '--timeout', '1', format],
    tempDir(),
  );
  await until(() => rounds(run.out.stdout) >= 2, `two ${format} rounds`);
  run.child.kill('SIGINT');
  await run.done;
  return run.out.stdout;
}

test('k8sm-probe --watch --json is NDJSON: every line one report that parses alone, the time inside', async (t) => {
  const stdout = await watchTwoRounds(
    '--json',
    (out) => out.split('\n').filter((l) => l.endsWith('}')).length,
  );
  const lines = stdout.split('\n').filter(Boolean);
  t.is(lines.length, 2, stdout);
  const reports = lines.map((l) => JSON.parse(l) as { time: string; status: string; ensembles: unknown[] });
  t.deepEqual(
    reports.map((r) => r.status),
    ['CRITICAL', 'OK'],
  );
  for (const r of reports) {
    t.false(Number.isNaN(Date.parse(r.time)), r.time);
    t.is(r.ensembles.length, 1);
  }
  t.true(Date.parse(reports[0]?.time ?? '') <= Date.parse(reports[1]?.time ?? ''));
});

promtoolTest(
  'k8sm-probe --watch --prometheus: every round is an exposition promtool check metrics accepts',
  async (t) => {
    const marker = /^# k8sm-probe round at (\S+)$/m;
    const stdout = await watchTwoRounds(
      '--prometheus',
      (out) =>
        out
          .split(/^(?=# k8sm-probe round at )/m)
          .filter((r) => r.includes('k8sm_ensemble_tolerable_failures{')).length,
    );
    const rounds = stdout.split(/^(?=# k8sm-probe round at )/m).filter(Boolean);
    t.is(rounds.length, 2, stdout);
    for (const round of rounds) {
      t.false(Number.isNaN(Date.parse(marker.exec(round)?.[1] ?? '')), round);
      const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: round, encoding: 'utf8' });
      t.is(check.status, 0, `${check.stdout}${check.stderr}\n${round}`);
    }
    t.regex(rounds[0] ?? '', /^k8sm_ensemble_status\{system="zookeeper",ensemble="127\.0\.0\.1:\d+"\} 2$/m);
    t.regex(rounds[1] ?? '', /^k8sm_ensemble_status\{system="zookeeper",ensemble="127\.0\.0\.1:\d+"\} 0$/m);
    // the stream as a whole is not one exposition (families repeat), which is why each round is cut apart
    t.not(spawnSync(PROMTOOL, ['check', 'metrics'], { input: stdout, encoding: 'utf8' }).status, 0);
  },
);

test('k8sm-render bridge --watch prints a pass when the config changes, not every pass, until SIGINT', async (t) => {
  const app = (id: string, servicePort: number) => ({
    id,
    portDefinitions: [{ port: servicePort }],
    tasks: [{ host: '10.0.0.14', ports: [31004], state: 'TASK_RUNNING' }],
  });
  let requests = 0;
  const server = createHttpServer((req, res) => {
    requests++;
    const apps = requests <= 3 ? [app('/api', 10001)] : [app('/api', 10001), app('/web', 10002)];
    if (req.url !== '/v2/apps?embed=apps.tasks') res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ apps }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cwd = tempDir();
  const run = start(renderBin, ['bridge', '--marathon', url, '-o', 'haproxy.cfg', '--watch', '0.1'], cwd);
  await until(() => requests >= 7 && run.out.stdout.split('\n').length > 2, 'two passes that changed');
  run.child.kill('SIGINT');
  t.is(await run.done, 0, run.out.stderr);
  const lines = run.out.stdout.trimEnd().split('\n');
  t.is(lines.length, 2, run.out.stdout);
  t.regex(lines[0] ?? '', /1 listener\(s\) for 1 app\(s\) .* \(changed\)$/);
  t.regex(lines[1] ?? '', /2 listener\(s\) for 2 app\(s\) .* \(changed\)$/);
  t.regex(readFileSync(join(cwd, 'haproxy.cfg'), 'utf8'), /listen web-10002/);
});
