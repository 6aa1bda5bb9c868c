import { formatFinding, K8smError, type SpecReport } from '@k8sm/spec';

/**
 * The spec does not render: it has errors (or warnings, and `strict` makes them fail). The
 * report holds every finding, each with its JSON path, position and fix.
 */
export class InvalidSpecError extends K8smError {
  static override readonly code: string = 'K8SM_SPEC_INVALID';
  readonly report: SpecReport;
  constructor(file: string, report: SpecReport, strict: boolean) {
    const lines = report.findings.map((f) => formatFinding(f, file));
    const errors = report.findings.filter((f) => f.severity === 'error').length;
    super(
      InvalidSpecError.code,
      `${file} ${errors > 0 ? `is not a valid cluster spec (${errors} error${errors === 1 ? '' : 's'})` : `has warnings${strict ? ', and strict makes them fail' : ''}`}:\n${lines.join('\n')}`,
    );
    this.name = 'InvalidSpecError';
    this.report = report;
  }
}
