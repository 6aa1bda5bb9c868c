import { InvalidSpecError } from '@k8sm/render-cluster';
import { type Finding, formatFinding, formatPath, type SpecReport, SpecSyntaxError } from '@k8sm/spec';
import { severityPaint } from './colour.js';
import type { CommandResult } from './commands/command.js';

/** A finding as `--json` prints it. */
export function jsonFinding(f: Finding) {
  return {
    severity: f.severity,
    check: f.check,
    path: formatPath(f.path),
    ...(f.position ? { line: f.position.line, column: f.position.column } : {}),
    message: f.message,
    ...(f.fix ? { fix: f.fix } : {}),
  };
}

/** Warnings and waivers of a spec that rendered. */
export function reportNotes(file: string, report: SpecReport): string {
  const paint = severityPaint();
  const lines = report.findings.map((f) => formatFinding(f, file, paint));
  for (const w of report.waived)
    lines.push(
      `${file}: waived [${w.check}] (${w.findings.length} finding${w.findings.length === 1 ? '' : 's'}): ${w.reason}`,
    );
  return lines.join('\n');
}

/** Exit 1 with every finding of a spec that does not render (or whose warnings --strict refuses). */
export function invalidSpec(file: string, report: SpecReport, strict: boolean, json: boolean): CommandResult {
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.length - errors;
  if (json)
    return {
      code: 1,
      stdout: JSON.stringify(
        { ok: false, spec: file, strict, findings: report.findings.map(jsonFinding) },
        null,
        2,
      ),
    };
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const head =
    errors > 0
      ? `k8sm-render: ${file} is not a valid cluster spec: ${count(errors, 'error')}${warnings ? `, ${count(warnings, 'warning')}` : ''}; nothing was written`
      : `k8sm-render: ${file}: ${count(warnings, 'warning')}, and --strict makes warnings fail; nothing was written`;
  const paint = severityPaint();
  return { code: 1, stderr: [head, ...report.findings.map((f) => formatFinding(f, file, paint))].join('\n') };
}

/**
 * What renderCluster's failure to take a spec says: exit 1 with every finding of a spec that does
 * not render, and (with --json) the summary of a spec that does not parse, as JSON on stdout like
 * every other finding. Anything else (a syntax error without --json) is thrown on, for main.
 */
export function specFailure(error: unknown, file: string, strict: boolean, json: boolean): CommandResult {
  if (error instanceof InvalidSpecError) return invalidSpec(file, error.report, strict, json);
  if (!(json && error instanceof SpecSyntaxError)) throw error;
  const finding = {
    severity: 'error',
    check: 'syntax',
    path: '(spec)',
    line: error.line,
    column: error.column,
    message: error.message,
  };
  return { code: 1, stdout: JSON.stringify({ ok: false, spec: file, findings: [finding] }, null, 2) };
}
