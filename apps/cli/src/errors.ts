import { K8smError } from '@k8sm/spec/errors';

/** Wrong flags or arguments: exit 2 with the usage text. */
export class UsageError extends K8smError {
  static override readonly code: string = 'K8SM_USAGE';
  constructor(message: string) {
    super(UsageError.code, message);
    this.name = 'UsageError';
  }
}

/**
 * k8sm-probe was given what it cannot probe (a port outside 1-65535, an empty member list, too
 * many members, a timeout out of range): exit 3, UNKNOWN, with no probe sent. `stdout` is the
 * UNKNOWN line of the chosen output format, so a Nagios or Prometheus consumer sees a status.
 */
export class ProbeInputError extends K8smError {
  static override readonly code: string = 'K8SM_PROBE_INPUT';
  constructor(
    message: string,
    readonly stdout?: string,
  ) {
    super(ProbeInputError.code, message);
    this.name = 'ProbeInputError';
  }
}

/** The spec or output path could not be read or written. */
export class FileAccessError extends K8smError {
  static override readonly code: string = 'K8SM_FILE_ACCESS';
  constructor(message: string) {
    super(FileAccessError.code, message);
    this.name = 'FileAccessError';
  }
}

/** Another k8sm-render holds the output directory's lock. */
export class OutputLockedError extends K8smError {
  static override readonly code: string = 'K8SM_OUTPUT_LOCKED';
  constructor(message: string) {
    super(OutputLockedError.code, message);
    this.name = 'OutputLockedError';
  }
}

/**
 * The output directory is not k8sm's (no ownership marker) or holds another spec's render:
 * replacing it would wipe what it holds.
 */
export class OutputOwnerError extends K8smError {
  static override readonly code: string = 'K8SM_OUTPUT_OWNER';
  constructor(message: string) {
    super(OutputOwnerError.code, message);
    this.name = 'OutputOwnerError';
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

/** No Marathon of the list answered the bridge with its apps. */
export class MarathonUnreachableError extends K8smError {
  static override readonly code: string = 'K8SM_MARATHON';
  constructor(message: string) {
    super(MarathonUnreachableError.code, message);
    this.name = 'MarathonUnreachableError';
  }
}

/** The bridge could not run HAProxy, or HAProxy refused or failed to reload the new config. */
export class HaproxyApplyError extends K8smError {
  static override readonly code: string = 'K8SM_HAPROXY';
  constructor(message: string) {
    super(HaproxyApplyError.code, message);
    this.name = 'HaproxyApplyError';
  }
}

/** `k8sm-probe serve` cannot listen where `--listen` says. */
export class ListenError extends K8smError {
  static override readonly code: string = 'K8SM_LISTEN';
  constructor(message: string) {
    super(ListenError.code, message);
    this.name = 'ListenError';
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
