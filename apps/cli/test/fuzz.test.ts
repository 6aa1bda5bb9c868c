import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { outputMarker } from '@k8sm/render-cluster';
import test from 'ava';
import fc from 'fast-check';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { run } from '../src/main.js';
import { example, noStack, removeTempDirs, render, snapshot, tempDir, threeMasters } from './helpers.js';

// Whole specs, mutated as an attacker or a broken generator would, through the render entry point:
// never a stack trace or an internal error, an exit code of 0, 1 or 2, and on every refusal the
// output directory exactly as it was. Bounded: a fixed seed per run is printed on failure.

test.after.always(removeTempDirs);

// K8SM_FUZZ_RUNS=5000 K8SM_FUZZ_SEED=$RANDOM for a deeper local run; CI keeps the fixed seed
const RUNS = Number(process.env.K8SM_FUZZ_RUNS ?? 400);
const SEED = Number(process.env.K8SM_FUZZ_SEED ?? 13);

// the examples that need no PKI dir (a TLS example would generate keys on every run)
const SEEDS: unknown[] = [
  JSON.parse(readFileSync(example('mesosphere-3-masters.json'), 'utf8')),
  JSON.parse(readFileSync(example('k8s-on-mesos-single-master.json'), 'utf8')),
  parseYaml(readFileSync(example('k8s-on-mesos-ha.yaml'), 'utf8')),
  threeMasters(),
];

const HOSTILE = [
  '$(touch /tmp/k8sm-fuzz)',
  '`id`',
  '; rm -rf /',
  '\nskipACL=yes',
  '{{ lookup("pipe", "id") }}',
  '\u001b[2J',
  '\u202eevil',
  '\u0000',
  '\uFEFF',
  '../../../../etc/passwd',
  '/var/lib//x/',
  '\'"',
  'a'.repeat(300),
  '',
  '*alias',
  '&anchor',
  '<<',
  '-1',
  '1e400',
];
const KEYS = ['__proto__', 'constructor', 'prototype', 'toString', '<<', '', 'hosts', 'name', '\u0000', 'x'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every place in the data: the path to it and its value. */
function places(data: Json, path: (string | number)[] = []): [(string | number)[], Json][] {
  const out: [(string | number)[], Json][] = [[path, data]];
  if (Array.isArray(data)) for (const [i, v] of data.entries()) out.push(...places(v, [...path, i]));
  else if (data && typeof data === 'object')
    for (const [k, v] of Object.entries(data)) out.push(...places(v, [...path, k]));
  return out;
}

function replaceAt(data: Json, path: (string | number)[], value: Json): Json {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(data) ? [...data] : { ...(data as object) }) as Record<string | number, Json>;
  Object.defineProperty(copy, head as string, {
    value: replaceAt(copy[head as string] as Json, rest, value),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy as Json;
}

const leafValue = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

/** One mutation of the data, chosen by `pick` (a fraction) among its places. */
const dataMutation = fc.oneof(
  fc.record({
    kind: fc.constant('leaf' as const),
    pick: fc.double({ min: 0, max: 1, noNaN: true }),
    value: leafValue,
  }),
  fc.record({
    kind: fc.constant('key' as const),
    pick: fc.double({ min: 0, max: 1, noNaN: true }),
    key: fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })),
    value: leafValue,
  }),
  fc.record({
    kind: fc.constant('nest' as const),
    pick: fc.double({ min: 0, max: 1, noNaN: true }),
    depth: fc.integer({ min: 1, max: 300 }),
  }),
);

type DataMutation = typeof dataMutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(data: Json, m: DataMutation): Json {
  const all = places(data);
  const [path, value] = all[Math.min(all.length - 1, Math.floor(m.pick * all.length))] ?? [[], data];
  if (m.kind === 'leaf') return replaceAt(data, path, m.value as Json);
  if (m.kind === 'key') {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return data;
    return replaceAt(data, [...path, m.key], m.value as Json);
  }
  let nested = value;
  for (let i = 0; i < m.depth; i++) nested = i % 2 ? [nested] : { a: nested };
  return replaceAt(data, path, nested);
}

/** The spec text: JSON or YAML, then maybe truncated or with random bytes written into it. */
const textMutation = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'none' as const }) },
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    kind: fc.constant('bytes' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
);

const specCase = fc.record({
  seed: fc.nat({ max: SEEDS.length - 1 }),
  mutations: fc.array(dataMutation, { minLength: 0, maxLength: 3 }),
  yaml: fc.boolean(),
  text: textMutation,
});

type SpecCase = typeof specCase extends fc.Arbitrary<infer T> ? T : never;

function specBytes(c: SpecCase): Buffer {
  const data = c.mutations.reduce(mutate, SEEDS[c.seed] as Json);
  const text = Buffer.from(c.yaml ? stringifyYaml(data) : JSON.stringify(data, null, 2));
  const at = Math.floor(('at' in c.text ? c.text.at : 0) * text.length);
  if (c.text.kind === 'truncate') return text.subarray(0, at);
  if (c.text.kind === 'bytes') return Buffer.concat([text.subarray(0, at), c.text.bytes, text.subarray(at)]);
  return text;
}

/**
 * A previous output of the case's spec (as k8sm leaves it: its ownership marker and a manifest)
 * plus a file only the operator wrote.
 */
function seedOutput(dir: string, c: SpecCase): Record<string, string> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  const name = (c.mutations.reduce(mutate, SEEDS[c.seed] as Json) as { name?: unknown } | null)?.name;
  writeFileSync(join(dir, '.k8sm-output.json'), outputMarker(typeof name === 'string' ? name : 'x'));
  writeFileSync(join(dir, 'manifest.json'), '{"previous": true}\n');
  writeFileSync(join(dir, 'marker.txt'), 'left by the operator\n');
  return snapshot(dir);
}

/** k8sm-render in this process, its output captured: the same entry point as the binary. */
async function renderInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const capture = (stream: 'stdout' | 'stderr') =>
    ((chunk: string | Uint8Array) => {
      out[stream] += chunk.toString();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture('stdout');
  process.stderr.write = capture('stderr');
  try {
    const code = await run('k8sm-render', args, '0.0.0-fuzz');
    return { code, ...out };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
  }
}

function judge(
  c: { code: number | null; stdout: string; stderr: string },
  before: Record<string, string>,
  dir: string,
  parent: string,
) {
  const problems: string[] = [];
  if (c.code !== 0 && c.code !== 1 && c.code !== 2) problems.push(`exit code ${c.code}`);
  if (/internal error|RangeError|TypeError|Maximum call stack/i.test(c.stderr + c.stdout))
    problems.push('internal error');
  if (!noStack(c.stderr)) problems.push('stack trace');
  if (c.code !== 0 && JSON.stringify(snapshot(dir)) !== JSON.stringify(before))
    problems.push('output touched on a refusal');
  if (readdirSync(parent).some((f) => f.includes('k8sm-'))) problems.push('staging left behind');
  return problems;
}

test('mutated whole specs, in process: exit 0/1/2, no internal error, output untouched on refusal', async (t) => {
  const cwd = tempDir();
  const file = (yaml: boolean) => join(cwd, yaml ? 'spec.yaml' : 'spec.json');
  const dir = join(cwd, 'out');
  const codes = new Map<number, number>();
  const firstLines = new Set<string>();
  await fc.assert(
    fc.asyncProperty(specCase, async (c) => {
      const before = seedOutput(dir, c);
      rmSync(file(!c.yaml), { force: true });
      writeFileSync(file(c.yaml), specBytes(c));
      const r = await renderInProcess([file(c.yaml), '-o', dir]);
      codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
      if (r.code === 0) t.false(readdirSync(dir).includes('marker.txt'), 'a render replaces the output');
      else
        firstLines.add(
          r.stderr
            .split('\n')[0]
            ?.replace(/^.*?: /, '')
            .slice(0, 60) ?? '',
        );
      const problems = judge(r, before, dir, cwd);
      if (problems.length > 0) throw new Error(`${problems.join(', ')}\n${r.stderr}`);
    }),
    { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: 40_000, markInterruptAsFailure: false },
  );
  t.log(`exit codes: ${JSON.stringify(Object.fromEntries(codes))}`);
  t.log(`${firstLines.size} different refusals, e.g. ${[...firstLines].slice(0, 3).join(' | ')}`);
  t.true((codes.get(1) ?? 0) > 0, 'some mutations are refused');
  t.true((codes.get(0) ?? 0) > 0, 'an unmutated spec renders through the same harness');
});

test('mutated whole specs, spawned: the real exit code and stderr of the binary', (t) => {
  const cwd = tempDir();
  const dir = join(cwd, 'out');
  const cases = fc.sample(specCase, { numRuns: 6, seed: 1313 });
  for (const [i, c] of cases.entries()) {
    const before = seedOutput(dir, c);
    const name = `spec-${i}.${c.yaml ? 'yaml' : 'json'}`;
    writeFileSync(join(cwd, name), specBytes(c));
    const r = render([name, '-o', 'out'], cwd);
    t.deepEqual(judge(r, before, dir, cwd), [], `${name}: ${r.stderr}`);
  }
});
