import { formatFinding, K8smError, type SpecReport } from '@k8sm/spec';

/** A file could not be read or written: the spec, an input it names, the output. */
export class FileAccessError extends K8smError {
  static override readonly code: string = 'K8SM_FILE_ACCESS';
  constructor(message: string) {
    super(FileAccessError.code, message);
    this.name = 'FileAccessError';
  }
}

/** The spec names a PKI dir, but files rendering needs are not in it (or cannot be read). */
export class MissingPkiError extends K8smError {
  static override readonly code: string = 'K8SM_PKI_DIR';
  constructor(message: string) {
    super(MissingPkiError.code, message);
    this.name = 'MissingPkiError';
  }
}

/**
 * A PKI dir that cannot be trusted: writable by others (anyone could plant a CA), or holding a
 * symbolic link (a key linked to another file would be copied into the output) or a device.
 */
export class UnsafePkiError extends K8smError {
  static override readonly code: string = 'K8SM_PKI_UNSAFE';
  constructor(message: string) {
    super(UnsafePkiError.code, message);
    this.name = 'UnsafePkiError';
  }
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'it is a directory',
  EEXIST: 'it already exists',
};

/** "permission denied (EACCES)" from a Node system error. */
export function describeSystemError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

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
