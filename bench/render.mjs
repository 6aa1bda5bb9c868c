// pnpm bench: render a large generated spec (5 masters, 3 etcd, 1,000 Mesos agents, 1,000
// Kubernetes nodes) and time the CLI's cold start. Figures are medians; nothing is asserted.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { largeSpec } from './large-spec.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'apps/cli/bin/k8sm-render.js');
const rusageHook = join(root, 'bench/rusage.mjs');
const RUNS = 5;
const COLD_RUNS = 21;

export { largeSpec };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timed(args, env = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 256 << 20,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

if (process.argv[2] === '--spec-only') {
  process.stdout.write(JSON.stringify(largeSpec(), null, 2));
  process.exit(0);
}
const work = mkdtempSync(join(tmpdir(), 'k8sm-bench-'));
try {
  const specFile = join(work, 'large.json');
  writeFileSync(specFile, JSON.stringify(largeSpec(), null, 2));
  // the Kubernetes PKI the spec names (a kubelet certificate per node): issued once, timed once
  const pkiMs = Math.round(timed([bin, 'pki', specFile]));
  // The same render into the work disk, into tmpfs, and with --dry-run (no file written), plus
  // the floor: a bare node loop creating as many files on the same disk.
  const places = {
    disk: work,
    ...(existsSync('/dev/shm') ? { tmpfs: mkdtempSync('/dev/shm/k8sm-bench-') } : {}),
  };
  const render = {};
  let files = 0;
  for (const [place, dir] of Object.entries(places)) {
    const walls = [];
    const rss = [];
    for (let i = 0; i < RUNS; i++) {
      const out = join(dir, `out-${i}`);
      const rusage = join(work, `rusage-${place}-${i}.json`);
      walls.push(timed(['--import', rusageHook, bin, specFile, '-o', out], { K8SM_BENCH_RUSAGE: rusage }));
      rss.push(JSON.parse(readFileSync(rusage, 'utf8')).maxRSS / 1024);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
      files = manifest.files.length + manifest.scripts.length + 1;
    }
    render[place] = { wallMsMedian: Math.round(median(walls)), peakRssMbMedian: Math.round(median(rss)) };
  }
  const dry = [];
  for (let i = 0; i < RUNS; i++) dry.push(timed([bin, specFile, '--dry-run']));
  render.dryRun = { wallMsMedian: Math.round(median(dry)) };
  // The floor: a bare node loop writing the very same files (paths and bytes) on the same disk.
  const treeFile = join(work, 'tree.json');
  const outZero = join(work, 'out-0');
  const list = (rel) =>
    readdirSync(join(outZero, rel), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? list(join(rel, e.name))
        : [[join(rel, e.name), readFileSync(join(outZero, rel, e.name), 'utf8')]],
    );
  writeFileSync(treeFile, JSON.stringify(list('')));
  const floor = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = join(work, `floor-${i}`);
    const script = `const fs=require('fs'),p=require('path');for(const [f,c] of JSON.parse(fs.readFileSync(${JSON.stringify(treeFile)},'utf8'))){const t=p.join(${JSON.stringify(dir)},f);fs.mkdirSync(p.dirname(t),{recursive:true});fs.writeFileSync(t,c)}`;
    floor.push(timed(['-e', script]));
  }
  render.diskFloorMs = Math.round(median(floor)); // bare node writing the same files
  // the daily case: the same spec over its previous output (lock, recovery scan, marker, swap,
  // the old tree removed), and the same with a line per phase
  const again = [];
  for (let i = 0; i < RUNS; i++) again.push(timed([bin, specFile, '-o', outZero]));
  render.rerenderDisk = { wallMsMedian: Math.round(median(again)) };
  const phases = spawnSync(process.execPath, [bin, specFile, '-o', outZero, '--verbose'], {
    encoding: 'utf8',
  });
  render.rerenderPhases = phases.stderr.split('\n').filter((l) => / \(\d+ ms\)$/.test(l));
  if (places.tmpfs) rmSync(places.tmpfs, { recursive: true, force: true });

  const cold = {};
  const example = join(root, 'examples/mesosphere-3-masters.json');
  const cases = {
    'node -e 0': ['-e', '0'],
    'k8sm-render --version': [bin, '--version'],
    'k8sm-render --help': [bin, '--help'],
    'k8sm-render <example> --dry-run': [bin, example, '--dry-run'],
  };
  for (let i = 0; i < COLD_RUNS; i++)
    for (const [name, args] of Object.entries(cases)) {
      cold[name] ??= [];
      cold[name].push(timed(args));
    }

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    render: {
      spec: '5 masters, 3 etcd, 1 haproxy, 1,000 Mesos agents, 1,000 Kubernetes nodes (2,009 hosts)',
      runs: RUNS,
      filesWritten: files,
      pkiOnceMs: pkiMs,
      ...render,
      targets: { wallMs: 1000, peakRssMb: 300 },
    },
    coldStart: Object.fromEntries(Object.entries(cold).map(([name, xs]) => [name, Math.round(median(xs))])),
  };
  const base = result.coldStart['node -e 0'];
  result.coldStart.ratioVersion = Number((result.coldStart['k8sm-render --version'] / base).toFixed(2));
  result.coldStart.ratioHelp = Number((result.coldStart['k8sm-render --help'] / base).toFixed(2));
  result.coldStart.ratioDryRun = Number(
    (result.coldStart['k8sm-render <example> --dry-run'] / base).toFixed(2),
  );
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}
