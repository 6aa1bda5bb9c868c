/** What every spec parser shares: the shape of a parsed spec, the input limits, positions. */

export type SpecPath = readonly (string | number)[];

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A spec file's data, and a way back from a JSON path to the line and column it came from. */
export interface SpecSource {
  readonly file: string;
  readonly format: 'json' | 'yaml';
  readonly data: unknown;
  /** Where `path` (or, when it does not exist, its deepest existing parent) was written. */
  locate(path: SpecPath): Position | undefined;
}

// Far beyond any real cluster (a 1000-host spec is ~200 KiB, and a spec nests 6 deep), and small
// enough that parsing the largest accepted spec costs tens of MiB, not gigabytes.
export const SPEC_LIMITS = {
  /** bytes of a spec file */
  bytes: 4 * 1024 * 1024,
  /** mappings and lists inside one another */
  depth: 64,
  /** nodes that YAML aliases may copy in, counted as expanded (an alias bomb's cost) */
  aliasNodes: 10_000,
} as const;

export const MIB = 1024 * 1024;

export function positionOf(text: string, offset: number): Position {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}
