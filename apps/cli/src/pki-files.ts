import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type ClusterPlan, type PkiContents, type PkiRequests, pkiFiles, pkiSetsOf } from '@k8sm/spec';
import { describeSystemError, FileAccessError, MissingPkiError } from './errors.js';

/** The PKI dir of a spec: relative paths are relative to the spec file, as the schema says. */
export function pkiDirOf(specFile: string, pkiDir: string): string {
  return resolve(dirname(specFile), pkiDir);
}

/** Which files of which PKI dir rendering needs: the plan's PKI sets that rendering reads from. */
export function pkiFilesToRender(plan: ClusterPlan): { field: string; dir: string; files: string[] }[] {
  return pkiSetsOf(plan)
    .filter((set) => set.filesToRender.length > 0)
    .map((set) => ({ field: set.field, dir: set.pkiDir ?? '', files: [...set.filesToRender] }));
}

/** Reads the files the renderers place on hosts; all or nothing, naming every missing one. */
export async function readPkiForRender(specFile: string, plan: ClusterPlan): Promise<PkiContents> {
  const contents: Record<string, string> = {};
  for (const set of pkiFilesToRender(plan)) {
    // the spec checks guarantee a pkiDir whenever TLS is on
    const dir = pkiDirOf(specFile, set.dir);
    const missing: string[] = [];
    for (const file of set.files) {
      try {
        // synchronous: thousands of small files (a kubelet certificate per node), one by one
        contents[file] = readFileSync(resolve(dir, file), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
          throw new MissingPkiError(
            `${set.field}: cannot read ${resolve(dir, file)}: ${describeSystemError(error)}`,
          );
        missing.push(file);
      }
    }
    if (missing.length > 0) {
      const shown = missing.length > 4 ? [...missing.slice(0, 4), `… (${missing.length} in all)`] : missing;
      throw new MissingPkiError(
        `${set.field}: ${set.dir} (${dir}) lacks ${shown.join(', ')}\n  fix: render without --dry-run/--check, which creates what is missing, or run \`k8sm-render pki ${specFile}\` (existing files are kept)`,
      );
    }
  }
  return contents;
}

/** The files of `paths` that exist below `dir` (absent ones are simply not in the result). */
export async function readExistingPki(
  dir: string,
  paths: readonly string[],
): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const path of paths) {
    try {
      found[path] = await readFile(resolve(dir, path), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT')
        throw new FileAccessError(`cannot read ${resolve(dir, path)}: ${describeSystemError(error)}`);
    }
  }
  return found;
}

/**
 * Writes new PKI files, never replacing one: directories 0700, keys 0600, certificates 0644.
 * Returns what was written; on a failure, the message names what was and was not.
 */
export function writeNewPkiFiles(dir: string, files: Readonly<Record<string, string>>): string[] {
  const written: string[] = [];
  for (const [path, content] of Object.entries(files)) {
    const full = resolve(dir, path);
    try {
      mkdirSync(dirname(full), { recursive: true, mode: 0o700 });
      writeFileSync(full, content, { flag: 'wx', mode: path.endsWith('.key') ? 0o600 : 0o644 });
      written.push(path);
    } catch (error) {
      throw new FileAccessError(
        `cannot write ${full}: ${describeSystemError(error)}${written.length ? `; already written: ${written.join(', ')}` : ''}`,
      );
    }
  }
  return written;
}

export interface PkiSet {
  readonly dir: string;
  readonly requests: PkiRequests;
}

/** The PKI dirs of a spec and what each must hold; `output` (pki -o) puts both in one dir. */
export function pkiSets(specFile: string, plan: ClusterPlan, output?: string): PkiSet[] {
  return pkiSetsOf(plan).flatMap((set) => {
    const dir = output ?? (set.pkiDir === undefined ? undefined : pkiDirOf(specFile, set.pkiDir));
    return dir === undefined ? [] : [{ dir, requests: set.requests }];
  });
}

/** Whether a PKI dir lacks any file its requests name. */
export function pkiIncomplete(set: PkiSet): boolean {
  return pkiFiles(set.requests).some((f) => !existsSync(resolve(set.dir, f)));
}

export interface PkiIssue {
  readonly dir: string;
  /** path below `dir` → PEM, for the files the dir lacks */
  readonly created: Readonly<Record<string, string>>;
  readonly kept: readonly string[];
}

/**
 * What the PKI dirs lack, issued in memory, keeping what is there; writes nothing (`pki
 * --dry-run` stops here). Existing files that no longer fit are an error naming each one.
 */
export async function planMissingPki(sets: readonly PkiSet[]): Promise<PkiIssue[]> {
  if (sets.length === 0) return [];
  // Loaded here only: the X.509 library is the largest part of the CLI and no other step needs it.
  const { issuePki } = await import('@k8sm/pki');
  const results = [];
  for (const set of sets) {
    const existing = await readExistingPki(set.dir, pkiFiles(set.requests));
    results.push({ dir: set.dir, result: await issuePki(set.requests, existing) });
  }
  const problems = results.flatMap((r) => r.result.problems.map((p) => `  ${r.dir}: ${p}`));
  if (problems.length > 0)
    throw new MissingPkiError(
      [
        `k8sm-render pki: ${problems.length} existing file(s) cannot be used; nothing was written`,
        ...problems,
      ].join('\n'),
    );
  return results.map(({ dir, result }) => ({ dir, created: result.created, kept: result.kept }));
}

/** A line per dir and one per file: what was created, or with `dryRun` what would be. */
export function describePkiIssues(issues: readonly PkiIssue[], dryRun = false): string[] {
  const [create, keep] = dryRun ? ['would create', 'keep'] : ['created', 'kept'];
  return issues.flatMap(({ dir, created, kept }) => {
    const files = Object.keys(created);
    return [
      `k8sm-render pki: ${dir}: ${create} ${files.length} file(s), ${keep} ${kept.length} certificate(s)`,
      ...files.map((f) => `  ${create} ${f}${f.endsWith('.key') ? ' (0600)' : ''}`),
    ];
  });
}

/**
 * Issue what the PKI dirs lack and write it (keys 0600), keeping what is there; existing files
 * that no longer fit are an error and nothing is written. Returns a line per dir and file.
 */
export async function issueMissingPki(sets: readonly PkiSet[]): Promise<string[]> {
  const issues = await planMissingPki(sets);
  for (const { dir, created } of issues) writeNewPkiFiles(dir, created);
  return describePkiIssues(issues);
}
