// The injection matrix of issue 13: every free-text field × hostile payloads × runtimes. Each case
// is refused at the field's JSON path, or rendered, and then every rendered script runs in the
// sandbox where no payload may run.
import { availableParallelism } from 'node:os';
import { renderOutput } from '@k8sm/render-cluster';
import { HAPROXY_CFG } from '@k8sm/render-haproxy';
import { type ClusterPlan, formatPath, loadSpec, parseSpecText, type SpecReport } from '@k8sm/spec';
import { exampleNames, exampleText, fakePki, PWNED, runInSandbox, type SandboxResult } from '@k8sm/testkit';
import {
  componentOf,
  existingValue,
  place,
  plausibleValue,
  runtimesOf,
  type SpecField,
  stringFields,
  withRuntime,
} from './fields.js';
import { changedPart, type HostJob, partOf, sandboxJobs } from './scripts.js';

export const PAYLOADS: readonly { readonly name: string; readonly value: string }[] = [
  { name: '$()', value: `$(${PWNED})` },
  { name: 'backticks', value: `\`${PWNED}\`` },
  { name: ';', value: `;${PWNED}` },
  { name: '|', value: `|${PWNED}` },
  { name: '&&', value: `&&${PWNED}` },
  { name: 'newline', value: `\n${PWNED}` },
  { name: 'jinja', value: `{{ lookup('pipe','${PWNED}') }}` },
  { name: "lone '", value: "'" },
  { name: 'lone "', value: '"' },
  { name: "'-breakout", value: `';${PWNED};'` },
  { name: '"-breakout', value: `";${PWNED};"` },
];

type Node = Record<string, unknown>;
type Outcome = 'refused' | 'rendered-safe' | 'split' | 'executed' | 'mislocated' | 'crashed';

export interface CaseResult {
  readonly field: string;
  readonly path: string;
  readonly runtime: string;
  readonly base: string;
  readonly payload: string;
  readonly value: string;
  outcome: Outcome;
  /** the refusal, the crash, what executed or split (run, argv, script line) */
  detail?: string;
  /** scripts that failed with this value but not with a plausible one (informational) */
  broken?: string[];
  /** the hosts whose scripts changed and so ran in the sandbox (the others are the plausible value's) */
  ran?: string[];
}

export interface Unplaced {
  readonly field: string;
  readonly runtime: string;
  readonly why: string;
}

interface Bench {
  readonly base: string;
  readonly spec: Node;
  readonly plausible: string;
  readonly runtime: string;
  readonly jobs: readonly HostJob[];
}

const bases = exampleNames().map((name) => ({
  name,
  data: parseSpecText(exampleText(name), name).data as Node,
}));

const hasErrors = (r: SpecReport) => r.findings.some((f) => f.severity === 'error');
const errorsOf = (r: SpecReport) =>
  r.findings.filter((f) => f.severity === 'error').map((f) => `${formatPath(f.path)}: ${f.message}`);

function render(spec: Node): { report: SpecReport; jobs?: HostJob[]; plan?: ClusterPlan } {
  const text = JSON.stringify(spec, null, 2);
  const report = loadSpec(text, 'spec.json');
  if (hasErrors(report) || !report.plan) return { report };
  const plan = report.plan;
  const inputs = {
    pki: fakePki(plan),
    ...(plan.haproxy?.template ? { haproxyTemplate: HAPROXY_CFG } : {}),
    ...(plan.haproxy?.stats?.password && 'file' in plan.haproxy.stats.password
      ? { statsPassword: 'pw-file' }
      : {}),
  };
  const { tree } = renderOutput({ ...report, plan }, text, 'spec.json', 'matrix', {}, inputs);
  return {
    report,
    plan,
    jobs: sandboxJobs(
      tree,
      plan.hosts.map((h) => h.name),
    ),
  };
}

/** How many segments of the field's path a base already has: the base that has the most is tried first. */
function depth(base: Node, field: SpecField): number {
  let n = 0;
  let node: unknown = base;
  for (const seg of field.segments) {
    if (Array.isArray(node) && seg === '[]') node = node[0];
    else if (node !== null && typeof node === 'object' && seg in (node as Node)) node = (node as Node)[seg];
    else break;
    n++;
  }
  return n + (existingValue(base, field) !== undefined ? 1 : 0);
}

/** Every base (most of the path present first) where a plausible value renders cleanly, or why none. */
function benchesFor(field: SpecField, runtime: string | undefined): Bench[] | Unplaced {
  const component = componentOf(field);
  const withRuntimes = component
    ? [component]
    : ['zookeeper', 'mesos', 'marathon', 'etcd', 'kubernetes', 'haproxy'];
  const why: string[] = [];
  const ordered = [...bases].sort((a, b) => depth(b.data, field) - depth(a.data, field));
  const benches: Bench[] = [];
  for (const b of ordered) {
    const spec = withRuntime(b.data, withRuntimes, runtime);
    let plausible: string | undefined;
    try {
      plausible = plausibleValue(spec, field);
    } catch (error) {
      why.push(`${b.name}: ${(error as Error).message}`);
      continue;
    }
    if (plausible === undefined) {
      why.push(`${b.name}: no plausible value (add one to PLAUSIBLE in injection/fields.ts)`);
      continue;
    }
    try {
      const placed = place(spec, field, plausible);
      const r = render(placed.spec);
      if (r.jobs) {
        benches.push({ base: b.name, spec, plausible, runtime: runtime ?? '-', jobs: r.jobs });
        continue;
      }
      why.push(`${b.name}: ${errorsOf(r.report).slice(0, 2).join('; ')}`);
    } catch (error) {
      why.push(`${b.name}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return benches.length > 0
    ? benches
    : { field: field.template, runtime: runtime ?? '-', why: why.join(' | ') };
}

/** The values tried in a field: every payload raw and embedded on the first base, the sharpest on the others. */
function valuesFor(bench: Bench, primary: boolean): { payload: string; value: string }[] {
  const all = [
    ...PAYLOADS.map((p) => ({ payload: p.name, value: p.value })),
    ...PAYLOADS.map((p) => ({ payload: `${p.name} embedded`, value: `${bench.plausible}${p.value}` })),
    { payload: '$() after a space', value: `${bench.plausible} $(${PWNED})` },
  ];
  return primary ? all : all.filter((v) => SHARPEST.includes(v.payload));
}
const SHARPEST = [
  '$()',
  'backticks',
  ';',
  'newline',
  "'-breakout",
  '"-breakout',
  '$() embedded',
  'newline embedded',
];

const sameJSON = (a: readonly unknown[], b: readonly unknown[]) => JSON.stringify(a) === JSON.stringify(b);
const firstLine = (s: string) => s.split('\n').find((l) => l.trim() !== '') ?? '';

/** Runs a list of async jobs, `limit` at a time. */
async function pool<T>(items: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await (items[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export interface MatrixReport {
  readonly fields: readonly string[];
  readonly skipped: readonly string[];
  readonly unplaced: readonly Unplaced[];
  readonly cases: readonly CaseResult[];
  readonly sandboxRuns: number;
}

/** The component a field is grouped under in the report: its own, or `cluster` for hosts, names, waivers. */
const FIELDS = stringFields();
export const groupOf = (template: string): string => {
  const field = FIELDS.fields.find((f) => f.template === template);
  return (field && componentOf(field)) ?? 'cluster';
};

/** The matrix over the fields of one group (see groupOf) and one runtime, or all when none is given. */
export async function runMatrix(group?: string, only?: string): Promise<MatrixReport> {
  const all = FIELDS;
  const inGroup = (template: string) => group === undefined || groupOf(template) === group;
  const fields = all.fields.filter((f) => inGroup(f.template));
  const skipped = all.skipped.filter((f) => inGroup(f.template));
  const unplaced: Unplaced[] = [];
  const cases: CaseResult[] = [];
  const pending: { result: CaseResult; jobs: HostJob[]; bench: Bench }[] = [];
  for (const field of fields) {
    const component = componentOf(field);
    const runtimes = component ? runtimesOf(component) : [];
    for (const runtime of runtimes.length > 0 ? runtimes : [undefined]) {
      if (only !== undefined && (runtime ?? '-') !== only) continue;
      const benches = benchesFor(field, runtime);
      if (!Array.isArray(benches)) {
        unplaced.push(benches);
        continue;
      }
      for (const [i, bench] of benches.entries())
        for (const { payload, value } of valuesFor(bench, i === 0)) {
          const placed = place(bench.spec, field, value);
          const result: CaseResult = {
            field: field.template,
            path: formatPath(placed.path),
            runtime: bench.runtime,
            base: bench.base,
            payload,
            value,
            outcome: 'crashed',
          };
          cases.push(result);
          let rendered: ReturnType<typeof render>;
          try {
            rendered = render(placed.spec);
          } catch (error) {
            result.detail = `threw: ${firstLine((error as Error).message)}`;
            continue;
          }
          if (!rendered.jobs) {
            const at = rendered.report.findings.filter(
              (f) => f.severity === 'error' && sameJSON(f.path, placed.path),
            );
            result.outcome = at.length > 0 ? 'refused' : 'mislocated';
            result.detail =
              at.length > 0 ? firstLine(at[0]?.message ?? '') : errorsOf(rendered.report).join('; ');
            continue;
          }
          result.outcome = 'rendered-safe';
          const changed = rendered.jobs.flatMap(
            (j) =>
              changedPart(
                j,
                bench.jobs.find((b) => b.name === j.name),
              ) ?? [],
          );
          if (changed.length > 0) {
            result.ran = changed.map((j) => j.name);
            pending.push({ result, jobs: changed, bench });
          }
        }
    }
  }
  // One sandbox run per case that changed a script; the plausible runs only where a case needs them.
  const benchRuns = new Map<string, Promise<SandboxResult>>();
  const benchRun = (job: HostJob) => {
    const known = benchRuns.get(job.digest);
    if (known) return known;
    const r = runInSandbox([job]);
    benchRuns.set(job.digest, r);
    return r;
  };
  await pool(
    pending.map(({ result, jobs, bench }) => async () => {
      const run = await runInSandbox(jobs);
      Object.assign(result, judge(result.value, jobs, run));
      const broken: string[] = [];
      for (const job of jobs) {
        const same = bench.jobs.find((j) => j.name === job.name);
        if (!same) continue;
        const before = await benchRun(
          partOf(
            same,
            job.scripts.map((s) => s.label),
          ),
        );
        for (const e of run.exits)
          if (e.code !== 0 && before.exits.some((b) => b.run === e.run && b.code === 0))
            broken.push(`${e.run}: exit ${e.code} ${firstLine(e.stderr)}`);
      }
      if (broken.length > 0) result.broken = broken;
    }),
    availableParallelism(),
  );
  return {
    fields: fields.map((f) => f.template),
    skipped: skipped.map((s) => `${s.template} (${s.why})`),
    unplaced,
    cases,
    sandboxRuns: pending.length + benchRuns.size,
  };
}

/** executed: the k8sm_pwned stub ran; split: a command got a word holding part of the value but not all of it. */
export function judge(
  value: string,
  jobs: readonly HostJob[],
  run: SandboxResult,
): Pick<CaseResult, 'outcome' | 'detail'> | undefined {
  // where the payload sits: the script that ran it, else a file the script read (an env file)
  const lineOf = (label: string) => {
    const job = jobs.find((j) => j.scripts.some((s) => s.label === label));
    const texts = [
      ...(job?.scripts ?? []).filter((s) => s.label === label).map((s) => ['', s.content] as const),
      ...Object.entries(job?.files ?? {}).map(([path, content]) => [`${path}: `, content] as const),
    ];
    for (const [where, text] of texts) {
      const line = text.split('\n').find((l) => l.includes(PWNED));
      if (line !== undefined) return `${where}${line.trim()}`;
    }
    return '?';
  };
  if (run.pwned.length > 0)
    return {
      outcome: 'executed',
      detail: [...new Set(run.pwned.map((c) => `${c.run} ran ${PWNED} (line: ${lineOf(c.run)})`))].join('; '),
    };
  if (!value.includes(PWNED)) return undefined;
  const whole = [value, JSON.stringify(value).slice(1, -1)];
  const split = run.calls.filter((c) =>
    c.argv.some((w) => w.includes(PWNED) && !whole.some((v) => w.includes(v))),
  );
  if (split.length === 0) return undefined;
  return {
    outcome: 'split',
    detail: split
      .slice(0, 2)
      .map((c) => `${c.run}: ${JSON.stringify(c.argv.filter((w) => w.includes(PWNED)))} from ${c.argv[0]}`)
      .join('; '),
  };
}
