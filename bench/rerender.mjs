// pnpm bench: what a re-render costs against a full render of the same 2,009-host spec
// (bench/render.mjs's), on the work disk and on tmpfs, in paired rounds: a full render into a
// new -o, then the unchanged spec again over it, then a spec with one changed field (every
// host's script changes). Prints medians and the `changed` counts; nothing is asserted.
// K8SM_BENCH_BIN=<path to bin/k8sm-render.js> measures another build the same way.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { largeSpec } from './large-spec.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.K8SM_BENCH_BIN ?? join(root, 'apps/cli/bin/k8sm-render.js');
const ROUNDS = Number(process.env.K8SM_BENCH_ROUNDS ?? 3);

const specText = JSON.stringify(largeSpec(), null, 2);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function run(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args, '--json'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const summary = JSON.parse(r.stdout);
  return { ms, changed: summary.changed ?? null, files: summary.files.length };
}

const work = mkdtempSync(join(tmpdir(), 'k8sm-rerender-'));
try {
  const spec = join(work, 'large.json');
  writeFileSync(spec, specText);
  const changedSpec = join(work, 'changed.json');
  const parsed = JSON.parse(specText);
  parsed.mesos.agent = { ...parsed.mesos.agent, containerizers: ['mesos'] };
  writeFileSync(changedSpec, JSON.stringify(parsed, null, 2));
  // the PKI dir once, shared by both specs (they sit in the same dir)
  spawnSync(process.execPath, [bin, 'pki', spec], { encoding: 'utf8' });
  const places = {
    disk: work,
    ...(existsSync('/dev/shm') ? { tmpfs: mkdtempSync('/dev/shm/k8sm-rerender-') } : {}),
  };
  const result = { date: new Date().toISOString(), node: process.version, bin, rounds: ROUNDS };
  for (const [place, dir] of Object.entries(places)) {
    const rows = { full: [], unchanged: [], oneFieldChanged: [] };
    const changed = {};
    for (let i = 0; i < ROUNDS; i++) {
      const out = join(dir, `out-${i}`);
      const full = run([spec, '-o', out]);
      const again = run([spec, '-o', out]);
      const other = run([changedSpec, '-o', out]);
      rows.full.push(full.ms);
      rows.unchanged.push(again.ms);
      rows.oneFieldChanged.push(other.ms);
      Object.assign(changed, { files: full.files, unchanged: again.changed, oneFieldChanged: other.changed });
      rmSync(out, { recursive: true, force: true });
    }
    const full = median(rows.full);
    result[place] = {
      fullMs: Math.round(full),
      unchangedMs: Math.round(median(rows.unchanged)),
      oneFieldChangedMs: Math.round(median(rows.oneFieldChanged)),
      unchangedRatio: Number((median(rows.unchanged) / full).toFixed(2)),
      changedFiles: changed,
    };
  }
  if (places.tmpfs) rmSync(places.tmpfs, { recursive: true, force: true });
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}
