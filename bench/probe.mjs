// pnpm bench (second half): sweep 1,000 and 5,000 ZooKeeper endpoints on loopback with k8sm-probe
// (from a spec: a --zk list takes at most 256 members), each all healthy and with 10% silent
// (accept the connection, never answer), at --concurrency 32, 256 and 1,024, --timeout 1. One
// fake four-letter-word server on 0.0.0.0 answers every address from 127.0.100.1 upward (never
// .0 or .255; loopback only). The 1,000 healthy endpoints are also swept by a shell loop of `nc`.
// Medians; nothing is asserted.
//
// Knobs for a shorter run: K8SM_BENCH_ROUNDS (default 5 rounds at 1,000 endpoints, 3 above);
// --sizes 1000,5000, --concurrency 32,256,1024 and --silent-percent 10 (the defaults).
import { fork, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { zookeeperSpec } from './zookeeper-spec.mjs';

const self = fileURLToPath(import.meta.url);
const root = join(dirname(self), '..');
const probe = join(root, 'apps/cli/bin/k8sm-probe.js');
const rusageHook = join(root, 'bench/rusage.mjs');
const TIMEOUT_S = 1;
const serverMode = process.argv[2] === '--server';
const { values: flags } = serverMode
  ? { values: {} }
  : parseArgs({
      options: {
        sizes: { type: 'string', default: '1000,5000' },
        concurrency: { type: 'string', default: '32,256,1024' },
        'silent-percent': { type: 'string', default: '10' },
        'fd-raised': { type: 'string' }, // set by the re-run under a raised `ulimit -n`
      },
    });
const list = (text) =>
  text.split(',').map((x) => {
    const n = Number(x.trim());
    if (!Number.isInteger(n) || n < 1) throw new Error(`not a whole number ≥ 1: ${x}`);
    return n;
  });
const SIZES = serverMode ? [] : list(flags.sizes);
const CONCURRENCY = serverMode ? [] : list(flags.concurrency);
const SILENT_PERCENT = Number(flags['silent-percent']);
const rounds = (size) => Number(process.env.K8SM_BENCH_ROUNDS ?? (size <= 1000 ? 5 : 3));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// n loopback addresses from 127.0.100.1 upward, skipping .0 and .255 (5,000 end at 127.0.119.174)
function loopback(n) {
  const out = [];
  for (let i = 100 * 256 + 1; out.length < n; i++) {
    const [c, d] = [Math.floor(i / 256), i % 256];
    if (c > 255) throw new Error(`more than 127.0.100.1–127.0.255.254 asked for (${n})`);
    if (d !== 0 && d !== 255) out.push(`127.0.${c}.${d}`);
  }
  return out;
}

const sh = (script) => spawnSync('sh', ['-c', script], { encoding: 'utf8' }).stdout.trim();

if (serverMode) {
  const { createServer } = await import('node:net');
  const quiet = new Set(JSON.parse(readFileSync(process.argv[3], 'utf8')));
  const reply =
    'Zookeeper version: 3.8.0-bench, built on 2022-02-25\nLatency min/avg/max: 0/0.1/1\nReceived: 1\nSent: 1\nConnections: 1\nOutstanding: 0\nZxid: 0x1\nMode: follower\nNode count: 5\n';
  const server = createServer((socket) => {
    socket.on('error', () => {});
    if (quiet.has(socket.localAddress)) return; // accepts and never answers
    socket.once('data', () => socket.end(reply));
  });
  server.listen({ port: 0, host: '0.0.0.0', backlog: 4096 }, () => process.send?.(server.address().port));
} else {
  // Every probe socket and its server-side peer is a file descriptor: the server holds up to
  // `concurrency` at once (plus the silent ones until the client gives up). Node raises its own
  // soft limit to the hard one at start, and its children inherit that; if even the hard limit
  // is short, re-run under `sh -c 'ulimit -n …'` (which cannot go above the hard limit without CAP_SYS_RESOURCE).
  const need = 2 * Math.max(...CONCURRENCY) + 1024;
  const soft = sh('ulimit -n');
  const hard = sh('ulimit -Hn');
  if (soft !== 'unlimited' && Number(soft) < need && flags['fd-raised'] === undefined) {
    const to = Math.max(need, 65536);
    const r = spawnSync(
      'sh',
      [
        '-c',
        `ulimit -n ${to} 2>/dev/null || ulimit -n ${hard}; exec "$0" "$@"`,
        process.execPath,
        self,
        ...process.argv.slice(2),
        `--fd-raised=from ${soft} (hard ${hard})`,
      ],
      { stdio: 'inherit' },
    );
    process.exit(r.status ?? 1);
  }
  const fdLimit = {
    soft,
    hard,
    need,
    raised: flags['fd-raised']
      ? `${flags['fd-raised']} to ${soft}`
      : 'no: not needed (node raises its soft limit to the hard one itself)',
  };

  const work = mkdtempSync(join(tmpdir(), 'k8sm-bench-probe-'));
  const runProbe = (specFile, concurrency, tag) => {
    const rusage = join(work, `rusage-${tag}.json`);
    const start = process.hrtime.bigint();
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        rusageHook,
        probe,
        '--spec',
        specFile,
        '--timeout',
        String(TIMEOUT_S),
        '--concurrency',
        String(concurrency),
        '--json',
      ],
      { encoding: 'utf8', env: { ...process.env, K8SM_BENCH_RUSAGE: rusage }, maxBuffer: 256 << 20 },
    );
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const rssMb = JSON.parse(readFileSync(rusage, 'utf8')).maxRSS / 1024;
    let up;
    try {
      up = JSON.parse(r.stdout).ensembles[0].up;
    } catch {
      up = `unparsed (exit ${r.status}): ${r.stderr.slice(0, 300)}`;
    }
    return { ms, rssMb, up, status: r.status };
  };

  // one server and one spec per (endpoints, silent); the concurrencies take turns within a round,
  // so a burst of load on the shared machine falls on all of them alike
  const sweepSet = async (size, silentCount) => {
    const addresses = loopback(size);
    const quiet = addresses.slice(addresses.length - silentCount);
    const quietFile = join(work, `quiet-${size}-${silentCount}.json`);
    writeFileSync(quietFile, JSON.stringify(quiet));
    const server = fork(self, ['--server', quietFile]);
    const port = await new Promise((resolve) => server.once('message', resolve));
    const specFile = join(work, `spec-${size}-${silentCount}.json`);
    writeFileSync(specFile, JSON.stringify(zookeeperSpec(addresses, port)));
    const runs = Object.fromEntries(CONCURRENCY.map((c) => [c, []]));
    for (let i = 0; i < rounds(size); i++)
      for (const c of CONCURRENCY) runs[c].push(runProbe(specFile, c, `${size}-${silentCount}-${c}-${i}`));
    const cases = CONCURRENCY.map((c) => {
      const ups = [...new Set(runs[c].map((r) => r.up))];
      const statuses = [...new Set(runs[c].map((r) => r.status))];
      return {
        endpoints: size,
        silent: silentCount,
        concurrency: c,
        timeoutS: TIMEOUT_S,
        rounds: runs[c].length,
        up: ups.length === 1 ? ups[0] : ups,
        expectedUp: size - silentCount,
        exitStatus: statuses.length === 1 ? statuses[0] : statuses,
        wallMsMedian: Math.round(median(runs[c].map((r) => r.ms))),
        wallMsAll: runs[c].map((r) => Math.round(r.ms)),
        peakRssMbMedian: Math.round(median(runs[c].map((r) => r.rssMb))),
        ...(silentCount > 0 ? { lowerBoundMs: Math.ceil(silentCount / c) * TIMEOUT_S * 1000 } : {}),
      };
    });
    // the shell loop an operator would write, over the same endpoints (1,000 healthy only)
    let nc;
    if (size === 1000 && silentCount === 0) {
      if (spawnSync('sh', ['-c', 'command -v nc']).status === 0) {
        const script = join(work, 'nc.sh');
        writeFileSync(
          script,
          `for ep in ${addresses.join(' ')}; do printf srvr | nc -w ${TIMEOUT_S} "$ep" ${port} >/dev/null; done\n`,
        );
        const start = process.hrtime.bigint();
        spawnSync('sh', [script]);
        nc = Math.round(Number(process.hrtime.bigint() - start) / 1e6);
      } else nc = 'nc not on PATH';
    }
    server.kill();
    return { cases, ...(nc === undefined ? {} : { ncShellLoopMs: nc }) };
  };

  try {
    const results = {
      date: new Date().toISOString(),
      node: process.version,
      loadAverageAtStart: sh('cat /proc/loadavg'),
      fdLimit,
      cases: [],
    };
    for (const size of SIZES)
      for (const silentCount of [0, Math.round((size * SILENT_PERCENT) / 100)]) {
        const set = await sweepSet(size, silentCount);
        results.cases.push(...set.cases);
        if (set.ncShellLoopMs !== undefined) results.ncShellLoop1000HealthyMs = set.ncShellLoopMs;
        process.stderr.write(`done: ${size} endpoints, ${silentCount} silent\n`);
      }
    results.loadAverageAtEnd = sh('cat /proc/loadavg');
    results.targets = { healthy1000Ms: 1000, with100Silent1000Ms: 2000, peakRssMb: 150 };
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    writeFileSync(join(root, 'bench/results/probe.json'), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
