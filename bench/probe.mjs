// pnpm bench (second half): sweep 1,000 ZooKeeper endpoints on loopback with k8sm-probe (from a
// spec of 1,000 members: a --zk list takes at most 256). One
// fake four-letter-word server on 0.0.0.0 answers every 127.0.100.x–127.0.103.x address; in the
// second sweep 100 of the addresses stay silent. Compared with a shell loop of `nc` over the same
// endpoints in the same run. Medians; nothing is asserted.
import { fork, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zookeeperSpec } from './zookeeper-spec.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const probe = join(root, 'apps/cli/bin/k8sm-probe.js');
const rusageHook = join(root, 'bench/rusage.mjs');
const RUNS = 5;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1,000 addresses from 127.0.100.1, skipping .0 and .255
const addresses = [];
for (let n = 100 * 256 + 1; addresses.length < 1000; n++) {
  const [c, d] = [Math.floor(n / 256), n % 256];
  if (d !== 0 && d !== 255) addresses.push(`127.0.${c}.${d}`);
}
const silent = new Set(addresses.slice(-100));

if (process.argv[2] === '--server') {
  const { createServer } = await import('node:net');
  const quiet = new Set(JSON.parse(process.argv[3] ?? '[]'));
  const reply =
    'Zookeeper version: 3.8.0-bench, built on 2022-02-25\nLatency min/avg/max: 0/0.1/1\nReceived: 1\nSent: 1\nConnections: 1\nOutstanding: 0\nZxid: 0x1\nMode: follower\nNode count: 5\n';
  const server = createServer((socket) => {
    socket.on('error', () => {});
    if (quiet.has(socket.localAddress)) return; // accepts and never answers
    socket.once('data', () => socket.end(reply));
  });
  server.listen(0, '0.0.0.0', () => process.send?.(server.address().port));
} else {
  const work = mkdtempSync(join(tmpdir(), 'k8sm-bench-probe-'));
  const sweep = async (quiet, timeoutS) => {
    const server = fork(fileURLToPath(import.meta.url), ['--server', JSON.stringify([...quiet])]);
    const port = await new Promise((resolve) => server.once('message', resolve));
    // k8sm-probe takes at most 256 members per flag: the 1,000 come from a spec
    const specFile = join(work, `spec-${quiet.size}.json`);
    writeFileSync(specFile, JSON.stringify(zookeeperSpec(addresses, port)));
    const walls = [];
    const rss = [];
    let last = '';
    for (let i = 0; i < RUNS; i++) {
      const rusage = join(work, `rusage-${quiet.size}-${i}.json`);
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
          String(timeoutS),
          '--concurrency',
          '256',
          '--json',
        ],
        { encoding: 'utf8', env: { ...process.env, K8SM_BENCH_RUSAGE: rusage }, maxBuffer: 64 << 20 },
      );
      walls.push(Number(process.hrtime.bigint() - start) / 1e6);
      rss.push(JSON.parse(readFileSync(rusage, 'utf8')).maxRSS / 1024);
      last = r.stdout;
    }
    const up = JSON.parse(last).ensembles[0].up;
    // the shell loop an operator would write, over the same endpoints (healthy sweep only)
    let nc;
    if (quiet.size === 0 && spawnSync('sh', ['-c', 'command -v nc']).status === 0) {
      const script = join(work, 'nc.sh');
      writeFileSync(
        script,
        `for ep in ${addresses.join(' ')}; do printf srvr | nc -w ${timeoutS} "$ep" ${port} >/dev/null; done\n`,
      );
      const start = process.hrtime.bigint();
      spawnSync('sh', [script]);
      nc = Math.round(Number(process.hrtime.bigint() - start) / 1e6);
    }
    server.kill();
    return {
      endpoints: addresses.length,
      silent: quiet.size,
      up,
      timeoutS,
      wallMsMedian: Math.round(median(walls)),
      peakRssMbMedian: Math.round(median(rss)),
      ...(nc === undefined ? {} : { ncShellLoopMs: nc }),
    };
  };
  try {
    const results = {
      date: new Date().toISOString(),
      healthy: await sweep(new Set(), 1),
      with100Silent: await sweep(silent, 1),
      targets: { healthyMs: 1000, with100SilentMs: 2000, peakRssMb: 150 },
    };
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    writeFileSync(join(root, 'bench/results/probe.json'), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
