import { K8smError } from '@k8sm/spec';

// reading the spec's inputs is the library's; the CLI raises the same classes for its own files
export { describeSystemError, FileAccessError, MissingPkiError, UnsafePkiError } from '@k8sm/render-cluster';

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
