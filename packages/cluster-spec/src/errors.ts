// Every error k8sm raises on purpose extends K8smError and has a stable code of its own (the table
// in docs/errors.md); the CLI's top-level catch reports them as bad input, anything else as a bug.

// Symbol.for: one symbol per process, shared by every copy of this module that gets loaded
const BRAND = Symbol.for('k8sm.error');

/** What `instanceof` compares: the codes of a class and of every class it extends. */
interface Coded {
  readonly code?: unknown;
}

/**
 * Base of every error k8sm raises on purpose: a stable code, a message meant for an operator.
 *
 * `instanceof` goes by the brand and the class's code rather than by class identity, so it holds
 * when a package is loaded twice (two versions in one node_modules, or a bundle beside the
 * workspace copy). Codes are compared, not class names: the CLI bundle is minified.
 */
export class K8smError extends Error {
  /** The code of every instance of this class; each subclass declares its own. */
  static readonly code: string = 'K8SM_ERROR';
  readonly code: string;

  // `{ cause }` spelled out: ErrorOptions is not in a consumer's lib below ES2022
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'K8smError';
    this.code = code;
  }

  get [BRAND](): true {
    return true;
  }

  /** `x instanceof C`: x carries the brand and C's code is the code of a class in x's chain. */
  static override [Symbol.hasInstance](this: Coded, instance: unknown): boolean {
    if (typeof instance !== 'object' || instance === null) return false;
    if ((instance as { [BRAND]?: unknown })[BRAND] !== true) return false;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of instanceof, maybe a subclass
    const code = this.code;
    for (let proto = Object.getPrototypeOf(instance); proto !== null; proto = Object.getPrototypeOf(proto))
      if ((proto as { constructor?: Coded }).constructor?.code === code) return true;
    return false;
  }
}

/** The spec file could not be read as JSON or YAML. */
export class SpecSyntaxError extends K8smError {
  static override readonly code: string = 'K8SM_SPEC_SYNTAX';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  constructor(file: string, line: number, column: number, detail: string) {
    super(SpecSyntaxError.code, `${file}:${line}:${column}: ${detail}`);
    this.name = 'SpecSyntaxError';
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

/** The spec is larger than k8sm reads (SPEC_LIMITS.bytes): refused before it is parsed. */
export class SpecTooLargeError extends K8smError {
  static override readonly code: string = 'K8SM_SPEC_TOO_LARGE';
  readonly file: string;
  readonly limit: number;
  constructor(file: string, limit: number) {
    super(
      SpecTooLargeError.code,
      `${file}: the spec is larger than ${limit / 1024 / 1024} MiB (${limit} bytes), the most k8sm reads — a cluster spec is a few KiB; pass the spec file, not a data file or a device`,
    );
    this.name = 'SpecTooLargeError';
    this.file = file;
    this.limit = limit;
  }
}

/** Two renderers produced the same file for the same host. */
export class ArtifactConflictError extends K8smError {
  static override readonly code: string = 'K8SM_ARTIFACT_CONFLICT';
  constructor(where: string, first: string, second: string) {
    super(
      ArtifactConflictError.code,
      `${where} is produced twice: by ${first} and by ${second} — one renderer must own each file`,
    );
    this.name = 'ArtifactConflictError';
  }
}

/** A renderer produced a file at a relative or unnormalised path. */
export class ArtifactPathError extends K8smError {
  static override readonly code: string = 'K8SM_ARTIFACT_PATH';
  constructor(component: string, path: string) {
    super(
      ArtifactPathError.code,
      `renderer ${component} produced a file at ${JSON.stringify(path)}: paths must be absolute and normalised`,
    );
    this.name = 'ArtifactPathError';
  }
}

/** A renderer needs a file of the PKI dir that the contents it was given lack. */
export class MissingPkiFileError extends K8smError {
  static override readonly code: string = 'K8SM_PKI_MISSING';
  /** path relative to the PKI dir, e.g. `etcd/ca.crt` */
  readonly file: string;
  constructor(file: string) {
    super(MissingPkiFileError.code, `the PKI dir has no ${file}`);
    this.name = 'MissingPkiFileError';
    this.file = file;
  }
}

/** A renderer would give one binary the same flag twice (a derived flag repeated by an extra one). */
export class DuplicateFlagError extends K8smError {
  static override readonly code: string = 'K8SM_DUPLICATE_FLAG';
  readonly flag: string;
  /** the spec path of the extra flag; undefined when the renderer derived the flag twice */
  readonly path: string | undefined;
  constructor(flag: string, binary: string, path?: string) {
    super(
      DuplicateFlagError.code,
      path === undefined
        ? `--${flag} would be given twice to ${binary}: k8sm derives it twice (a renderer bug — please report it)`
        : `--${flag} would be given twice to ${binary}: k8sm derives it and ${path} sets it again — remove ${path} and set the spec key it comes from instead`,
    );
    this.name = 'DuplicateFlagError';
    this.flag = flag;
    this.path = path;
  }
}

/**
 * A value cannot be written into a config file safely: it holds a control character (a newline
 * would end the line and start a line of the operator's choosing) or a delimiter the format has
 * no escape for. The config-format writers raise it; the schema refuses most such values first,
 * at their JSON path.
 */
export class ConfigValueError extends K8smError {
  static override readonly code: string = 'K8SM_CONFIG_VALUE';
  /** the file on the host, e.g. `/etc/zookeeper/conf/zoo.cfg` */
  readonly file: string;
  /** the key, flag, variable or directive inside it */
  readonly key: string;
  constructor(file: string, key: string, problem: string, fix: string) {
    super(ConfigValueError.code, `${file}: the value of ${key} ${problem} — ${fix}`);
    this.name = 'ConfigValueError';
    this.file = file;
    this.key = key;
  }
}

/** A value that no shell script can hold as it is: a NUL byte in a word, a line break in a comment. */
export class ShellValueError extends K8smError {
  static override readonly code: string = 'K8SM_SHELL_VALUE';
  readonly value: string;
  constructor(value: string, problem: string) {
    const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
    super(
      ShellValueError.code,
      `${shown} ${problem}: it cannot be written into a rendered script — remove it from the spec`,
    );
    this.name = 'ShellValueError';
    this.value = value;
  }
}
