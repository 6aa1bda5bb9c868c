import { K8smError } from '@k8sm/spec';

/** Wrong flags or arguments: exit 2 with the usage text. */
export class UsageError extends K8smError {
  constructor(message: string) {
    super('K8SM_USAGE', message);
    this.name = 'UsageError';
  }
}

/** The spec or output path could not be read or written. */
export class FileAccessError extends K8smError {
  constructor(message: string) {
    super('K8SM_FILE_ACCESS', message);
    this.name = 'FileAccessError';
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
