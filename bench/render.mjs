// pnpm bench: the render of a large generated spec (bench/large-spec.mjs: 5 masters, 3 etcd, one
// HAProxy, the rest Mesos agents and Kubernetes nodes) against its floor, its growth with the
// host count, and the CLI's cold start. Figures are medians; nothing is asserted.
//   --sizes 2000,5000,10000   the growth fit's host counts (each gets its PKI issued once, timed)
//   K8SM_BENCH_ROUNDS=<n>     rounds of each measurement (default 5; the growth fit takes 3)
//   K8SM_BENCH_BIN=<path>     another build's bin/k8sm-render.js, measured the same way
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { largeSpec } from './large-spec.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.K8SM_BENCH_BIN ?? join(root, 'apps/cli/bin/k8sm-render.js');
const probeBin = join(dirname(bin), 'k8sm-probe.js');
const rusageHook = join(root, 'bench/rusage.mjs');
const RUNS = Number(process.env.K8SM_BENCH_ROUNDS ?? 5);
const GROWTH_RUNS = Number(process.env.K8SM_BENCH_ROUNDS ?? 3);
const COLD_RUNS = 21;
const { values: flags } = parseArgs({
  options: { sizes: { type: 'string', default: '2000,5000,10000' }, 'spec-only': { type: 'boolean' } },
});
const SIZES = flags.sizes.split(',').map(Number);

export { largeSpec };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const hosts = (workers) => workers + 9;

/** One whole process, timed; with `rss`, its peak RSS in MB too (bench/rusage.mjs). */
function timed(command, args, { rss } = {}) {
  const rusage = rss ? join(rss, `rusage-${process.hrtime.bigint()}.json`) : undefined;
  const start = process.hrtime.bigint();
  const r = spawnSync(command, rusage ? ['--import', rusageHook, ...args] : args, {
    encoding: 'utf8',
    env: { ...process.env, ...(rusage ? { K8SM_BENCH_RUSAGE: rusage } : {}) },
    maxBuffer: 256 << 20,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return rusage ? { ms, rssMb: JSON.parse(readFileSync(rusage, 'utf8')).maxRSS / 1024 } : { ms };
}

if (flags['spec-only']) {
  process.stdout.write(JSON.stringify(largeSpec(), null, 2));
  process.exit(0);
}
const work = mkdtempSync(join(tmpdir(), 'k8sm-bench-'));
const shm = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/k8sm-bench-') : undefined;
try {
  const specOf = (workers) => {
    const dir = join(work, `spec-${workers}`);
    mkdirSync(dir);
    const file = join(dir, 'large.json');
    writeFileSync(file, JSON.stringify(largeSpec(workers), null, 2));
    // the Kubernetes PKI the spec names (a kubelet certificate per node): issued once, timed once
    return { file, pkiMs: Math.round(timed(process.execPath, [bin, 'pki', file]).ms) };
  };

  // 1. The 2,009-host render into a new dir, against `cp -r` of the very same tree, in turns, on
  // the work disk and on tmpfs: the floor is measured in the same run on the same filesystem.
  const large = specOf(2000);
  const places = { disk: work, ...(shm ? { tmpfs: shm } : {}) };
  const floor = {};
  let files = 0;
  for (const [place, dir] of Object.entries(places)) {
    const walls = [];
    const rss = [];
    const copies = [];
    for (let i = 0; i < RUNS; i++) {
      const out = join(dir, `out-${i}`);
      const r = timed(process.execPath, [bin, large.file, '-o', out, '-q'], { rss: work });
      walls.push(r.ms);
      rss.push(r.rssMb);
      copies.push(timed('cp', ['-r', out, join(dir, `copy-${i}`)]).ms);
      if (i === 0)
        files = spawnSync('find', [out, '-type', 'f'], { encoding: 'utf8', maxBuffer: 256 << 20 })
          .stdout.split('\n')
          .filter(Boolean).length;
    }
    floor[place] = {
      renderMsMedian: Math.round(median(walls)),
      cpMsMedian: Math.round(median(copies)),
      ratio: Number((median(walls) / median(copies)).toFixed(2)),
      peakRssMbMedian: Math.round(median(rss)),
    };
    for (let i = 0; i < RUNS; i++) {
      rmSync(join(dir, `out-${i}`), { recursive: true, force: true });
      rmSync(join(dir, `copy-${i}`), { recursive: true, force: true });
    }
  }

  // 2. Growth: --dry-run (everything but the writes) at each size, time per host and peak RSS.
  const growth = [];
  for (const workers of SIZES) {
    const { file, pkiMs } = workers === 2000 ? large : specOf(workers);
    const runs = Array.from({ length: GROWTH_RUNS }, () =>
      timed(process.execPath, [bin, file, '--dry-run'], { rss: work }),
    );
    const ms = median(runs.map((r) => r.ms));
    growth.push({
      hosts: hosts(workers),
      pkiMs,
      dryRunMsMedian: Math.round(ms),
      msPerHost: Number((ms / hosts(workers)).toFixed(3)),
      peakRssMbMedian: Math.round(median(runs.map((r) => r.rssMb))),
    });
  }
  // time per host at each size against the size before it (the goal: within 1.05 at 10,000 of 5,000)
  for (let i = 1; i < growth.length; i++)
    growth[i].perHostVsPrevious = Number((growth[i].msPerHost / growth[i - 1].msPerHost).toFixed(2));

  // 3. Cold start of the commands that do little, against node itself, in turns.
  const example = join(root, 'examples/mesosphere-3-masters.json');
  const cases = {
    'node -e 0': ['-e', '0'],
    'k8sm-render --version': [bin, '--version'],
    'k8sm-render --help': [bin, '--help'],
    'k8sm-render init -': [bin, 'init', '-'],
    'k8sm-render completion bash': [bin, 'completion', 'bash'],
    'k8sm-probe quorum 5': [probeBin, 'quorum', '5'],
    'k8sm-render <example> --dry-run': [bin, example, '--dry-run'],
  };
  const cold = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let i = 0; i < COLD_RUNS; i++)
    for (const [name, args] of Object.entries(cases)) cold[name].push(timed(process.execPath, args).ms);
  const base = median(cold['node -e 0']);
  const coldStart = Object.fromEntries(
    Object.entries(cold).map(([name, xs]) => [
      name,
      { msMedian: Math.round(median(xs)), ratio: Number((median(xs) / base).toFixed(2)) },
    ]),
  );

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    render: {
      spec: '5 masters, 3 etcd, 1 haproxy, 1,000 Mesos agents, 1,000 Kubernetes nodes (2,009 hosts)',
      runs: RUNS,
      files,
      pkiOnceMs: large.pkiMs,
      floor,
      targets: { ratioToCp: 1.3 },
    },
    growth,
    growthTargets: { perHostAt10000Vs5000: 1.05, dryRunAt10000Ms: 2500, peakRssAt10000Mb: 250 },
    coldStart,
    coldStartTarget: { ratio: 1.5 },
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
  if (shm) rmSync(shm, { recursive: true, force: true });
}
