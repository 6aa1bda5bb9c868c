// pnpm bench (third part): `k8sm-probe serve` in front of 1,000 ZooKeeper members on loopback
// (the fake four-letter-word server of bench/probe.mjs), scraped like Prometheus does; then its
// RSS over 3,000 scrapes of /metrics and 1,000 of /probe with a new ad-hoc target each (the
// cache must not grow without end). Medians and percentiles; nothing is asserted.
import { fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zookeeperSpec } from './zookeeper-spec.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const probe = join(root, 'apps/cli/bin/k8sm-probe.js');
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

const addresses = [];
for (let n = 100 * 256 + 1; addresses.length < 1000; n++) {
  const [c, d] = [Math.floor(n / 256), n % 256];
  if (d !== 0 && d !== 255) addresses.push(`127.0.${c}.${d}`);
}

const fetchText = (url) =>
  new Promise((resolve, reject) => {
    const req = get(url, { timeout: 30_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: timed out`)));
    req.on('error', reject);
  });

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

/** Start the exporter on a free port; resolves with its URL and pid once it listens. */
async function serve(args) {
  const child = spawn(process.execPath, [probe, 'serve', '--listen', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${log}`)), 20_000);
    child.stderr.setEncoding('utf8').on('data', (c) => {
      log += c;
      const m = /listening on (http:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return { url, child };
}

const work = mkdtempSync(join(tmpdir(), 'k8sm-bench-exporter-'));
const server = fork(join(root, 'bench/probe.mjs'), ['--server', '[]']);
try {
  const port = await new Promise((resolve) => server.once('message', resolve));
  const specOf = (members) => {
    const file = join(work, `spec-${members.length}.json`);
    writeFileSync(file, JSON.stringify(zookeeperSpec(members, port)));
    return file;
  };

  // 1,000 members behind one exporter: 20 scrapes with the cache off (each a full probe run)
  const big = await serve(['--spec', specOf(addresses), '--cache', '0', '--timeout', '1', '--no-discover']);
  const walls = [];
  let lines = 0;
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    const r = await fetchText(`${big.url}/metrics`);
    walls.push(performance.now() - start);
    lines = r.body.split('\n').length;
  }
  const thousand = {
    members: addresses.length,
    scrapes: walls.length,
    scrapeMsMedian: Math.round(pct(walls, 0.5)),
    scrapeMsP95: Math.round(pct(walls, 0.95)),
    exposition_lines: lines,
    rssMbAfter: Math.round(rssMb(big.child.pid)),
  };
  big.child.kill('SIGTERM');

  // growth: 3,000 scrapes of /metrics (3 members, cache off), then 1,000 /probe, each a new target
  const small = await serve([
    '--spec',
    specOf(addresses.slice(0, 3)),
    '--cache',
    '0',
    '--timeout',
    '1',
    '--allow-adhoc-targets',
  ]);
  const samples = {};
  // past 1,000 too: V8 sizes its heap up over the first scrapes, then it must stay flat
  for (let i = 1; i <= 3000; i++) {
    await fetchText(`${small.url}/metrics`);
    if ([100, 1000, 2000, 3000].includes(i))
      samples[`metricsScrape${i}`] = Math.round(rssMb(small.child.pid));
  }
  for (let i = 1; i <= 1000; i++) {
    await fetchText(`${small.url}/probe?system=zookeeper&target=${addresses[i - 1]}:${port}`);
    if (i === 100 || i === 1000) samples[`adhocProbe${i}`] = Math.round(rssMb(small.child.pid));
  }
  small.child.kill('SIGTERM');

  const results = { date: new Date().toISOString(), thousandMembers: thousand, rssMbOverScrapes: samples };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/exporter.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} finally {
  server.kill();
  rmSync(work, { recursive: true, force: true });
}
