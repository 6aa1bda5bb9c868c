/** Base of every error k8sm raises on purpose: a stable code, a message meant for an operator. */
export class K8smError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'K8smError';
    this.code = code;
  }
}

/** The spec file could not be read as JSON or YAML. */
export class SpecSyntaxError extends K8smError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  constructor(file: string, line: number, column: number, detail: string) {
    super('K8SM_SPEC_SYNTAX', `${file}:${line}:${column}: ${detail}`);
    this.name = 'SpecSyntaxError';
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

/** Two renderers produced the same file for the same host. */
export class ArtifactConflictError extends K8smError {
  constructor(where: string, first: string, second: string) {
    super(
      'K8SM_ARTIFACT_CONFLICT',
      `${where} is produced twice: by ${first} and by ${second} — one renderer must own each file`,
    );
    this.name = 'ArtifactConflictError';
  }
}
