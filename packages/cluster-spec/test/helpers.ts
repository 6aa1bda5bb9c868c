import { CHECKS, type Finding, formatFinding, loadSpec, type SpecReport } from '../src/index.js';

export { type HostIn, host, hosts, k8s, type SpecIn, threeMasters } from '@k8sm/testkit-fixtures';

/** Loads a spec; every finding must come from the check registry with its registered severity. */
export const load = (spec: unknown, file = 'spec.json'): SpecReport => {
  const report = loadSpec(JSON.stringify(spec, null, 2), file);
  for (const f of report.findings) {
    if (f.check === 'schema') continue;
    const registered = Object.hasOwn(CHECKS, f.check) ? CHECKS[f.check as keyof typeof CHECKS] : undefined;
    if (registered?.severity !== f.severity)
      throw new Error(`finding "${f.check}" (${f.severity}) is not a registered check of that severity`);
  }
  return report;
};

/** Check ids of the findings, in report order (errors first). */
export const checks = (report: SpecReport, severity?: Finding['severity']): string[] =>
  report.findings.filter((f) => severity === undefined || f.severity === severity).map((f) => f.check);

export const find = (report: SpecReport, check: string): Finding[] =>
  report.findings.filter((f) => f.check === check);

/** Paths of the findings of one check, as `hosts.1.address`. */
export const paths = (report: SpecReport, check: string): string[] =>
  find(report, check).map((f) => f.path.join('.'));

export const errors = (report: SpecReport): Finding[] =>
  report.findings.filter((f) => f.severity === 'error');

/** Findings as an operator reads them: the assertion message when a test fails. */
export const show = (report: SpecReport): string =>
  report.findings.map((f) => formatFinding(f)).join('\n') || '(no findings)';
