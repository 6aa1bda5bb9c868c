// Issue 13, item 7: every free-text field × payload × runtime is refused at its JSON path, or
// rendered so that no payload runs when every rendered script runs in the sandbox. The figures
// are printed at the end and every case is written to dist/injection-matrix.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMPONENTS } from '@k8sm/spec';
import { runInSandbox } from '@k8sm/testkit';
import test from 'ava';
import { runtimesOf, stringFields } from './injection/fields.js';
import { type CaseResult, judge, type MatrixReport, PAYLOADS, runMatrix } from './injection/matrix.js';

const resultsFile = fileURLToPath(new URL('../injection-matrix.json', import.meta.url));
const GROUPS = ['cluster', ...COMPONENTS];
const reports: MatrixReport[] = [];
const started = Date.now();

const list = (cases: readonly CaseResult[]) =>
  cases
    .map((c) => `${c.path} [${c.runtime}, ${c.base}] ${c.payload} ${JSON.stringify(c.value)}: ${c.detail}`)
    .join('\n');

// One test per component and runtime so that each reports on its own (and ava's timeout counts per test).
for (const group of GROUPS)
  for (const runtime of group === 'cluster' ? ['-'] : runtimesOf(group))
    test.serial(
      `${group} [${runtime}]: every string field is refused at its path or renders scripts that run no payload`,
      async (t) => {
        const r = await runMatrix(group, runtime);
        reports.push(r);
        t.deepEqual(
          r.unplaced.map((u) => `${u.field} [${u.runtime}]: ${u.why}`),
          [],
          'a field the matrix cannot put into a spec: give it a plausible value, a seed element or a map key in test/injection/fields.ts',
        );
        const executed = r.cases.filter((c) => c.outcome === 'executed');
        const wrong = r.cases.filter((c) => c.outcome === 'mislocated' || c.outcome === 'crashed');
        t.is(executed.length, 0, `payloads that ran:\n${list(executed)}`);
        t.is(wrong.length, 0, `refused at another path, or crashed:\n${list(wrong)}`);
      },
    );

test.serial('the matrix covers every string field of the schema, both runtimes and every payload', (t) => {
  const report: MatrixReport = {
    fields: [...new Set(reports.flatMap((r) => r.fields))],
    skipped: [...new Set(reports.flatMap((r) => r.skipped))],
    unplaced: reports.flatMap((r) => r.unplaced),
    cases: reports.flatMap((r) => r.cases),
    sandboxRuns: reports.reduce((n, r) => n + r.sandboxRuns, 0),
  };
  mkdirSync(fileURLToPath(new URL('..', import.meta.url)), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(summary(report, Date.now() - started));
  t.is(report.fields.length, stringFields().fields.length, 'a field belongs to no group');
  t.true(report.fields.length > 50, `only ${report.fields.length} string fields found in the schema`);
  t.true(new Set(report.cases.map((c) => c.runtime)).size >= 2);
  for (const p of PAYLOADS)
    t.true(
      report.cases.some((c) => c.payload === p.name),
      p.name,
    );
});

const count = (cases: readonly CaseResult[], outcome: CaseResult['outcome']) =>
  cases.filter((c) => c.outcome === outcome).length;

function summary(r: MatrixReport, ms: number): string {
  const cols = ['refused', 'rendered-safe', 'executed', 'split', 'mislocated', 'crashed'] as const;
  const runtimes = [...new Set(r.cases.map((c) => c.runtime))];
  const row = (name: string, cs: readonly CaseResult[]) =>
    [
      name.padEnd(10),
      String(cs.length).padStart(6),
      ...cols.map((c) => String(count(cs, c)).padStart(c.length + 1)),
    ].join(' ');
  const bad = r.cases.filter((c) => !['refused', 'rendered-safe'].includes(c.outcome));
  const byField = new Map<string, CaseResult[]>();
  for (const c of bad)
    byField.set(`${c.field} [${c.runtime}]`, [...(byField.get(`${c.field} [${c.runtime}]`) ?? []), c]);
  return [
    `injection matrix: ${r.fields.length} string fields × ${PAYLOADS.length * 2 + 1} values (${PAYLOADS.length} payloads, raw and embedded, + one after a space) × runtimes; ${r.skipped.length} enum fields skipped; ${r.sandboxRuns} sandbox runs (bubblewrap) in ${(ms / 1000).toFixed(1)} s`,
    `${'runtime'.padEnd(10)} ${'tried'.padStart(6)} ${cols.map((c) => c.padStart(c.length + 1)).join(' ')}`,
    ...runtimes.map((rt) =>
      row(
        rt,
        r.cases.filter((c) => c.runtime === rt),
      ),
    ),
    row('all', r.cases),
    `broken (a script failed where the plausible value passed): ${r.cases.filter((c) => c.broken).length}`,
    ...[...byField].map(([field, cs]) => {
      const outcomes = cols.filter((o) => cs.some((c) => c.outcome === o)).map((o) => `${count(cs, o)} ${o}`);
      const first = cs.find((c) => c.outcome === 'executed') ?? cs[0];
      return `  ${field}: ${outcomes.join(', ')}; e.g. ${first?.payload} → ${first?.detail}`;
    }),
    `per-case results: ${resultsFile}`,
  ].join('\n');
}

test('the judge sees a payload that runs, and a value that arrives split into words', async (t) => {
  const job = (line: string) => ({
    name: 'zk1',
    digest: '',
    files: {},
    scripts: [{ label: 'scripts/zk1.sh', shell: 'bash' as const, content: `set -euo pipefail\n${line}\n` }],
  });
  const ran = job('install -d -o zookeeper /var/lib/zk;k8sm_pwned');
  t.deepEqual(judge('/var/lib/zk;k8sm_pwned', [ran], await runInSandbox([ran])), {
    outcome: 'executed',
    detail: 'scripts/zk1.sh ran k8sm_pwned (line: install -d -o zookeeper /var/lib/zk;k8sm_pwned)',
  });
  const split = job('docker run -v /data/zk k8sm_pwned:/data image');
  t.is(judge('/data/zk k8sm_pwned', [split], await runInSandbox([split]))?.outcome, 'split');
  const quoted = job("docker run -v '/data/zk k8sm_pwned:/data' image");
  t.is(judge('/data/zk k8sm_pwned', [quoted], await runInSandbox([quoted])), undefined);
});
