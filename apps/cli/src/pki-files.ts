import { dirname, join, resolve } from 'node:path';
import { pkiFilesToRender } from '@k8sm/render-cluster';
import { type ClusterPlan, type PkiContents, type PkiRequests, pkiFiles, pkiSetsOf } from '@k8sm/spec';
import { MissingPkiError } from './errors.js';
import {
  type PkiReads,
  type PkiTree,
  READ_AFRESH,
  readPkiFile,
  recoverPkiDir,
  scanPkiTree,
  writePkiTree,
} from './pki-tree.js';
import { IGNORE_ALL } from './secrets.js';

/** The PKI dir of a spec: relative paths are relative to the spec file, as the schema says. */
export function pkiDirOf(specFile: string, pkiDir: string): string {
  return resolve(dirname(specFile), pkiDir);
}

/** Reads the files the renderers place on hosts; all or nothing, naming every missing one. */
export async function readPkiForRender(
  specFile: string,
  plan: ClusterPlan,
  reads: PkiReads = READ_AFRESH,
): Promise<PkiContents> {
  const contents: Record<string, string> = {};
  for (const set of pkiFilesToRender(plan)) {
    // the spec checks guarantee a pkiDir whenever TLS is on
    const dir = pkiDirOf(specFile, set.dir);
    const tree = reads.scan(dir);
    const missing: string[] = [];
    for (const file of set.files) {
      // synchronous: thousands of small files (a kubelet certificate per node), one by one
      const content = reads.read(tree, file);
      if (content === undefined) missing.push(file);
      else contents[file] = content;
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

/** The files of `paths` the tree has (absent ones are simply not in the result). */
export function readExistingPki(tree: PkiTree, paths: readonly string[]): Record<string, string> {
  const found: Record<string, string> = {};
  for (const path of paths) {
    const content = readPkiFile(tree, path);
    if (content !== undefined) found[path] = content;
  }
  return found;
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

/** Whether a PKI dir lacks any file its requests name; a dir that cannot be trusted is an error. */
export function pkiIncomplete(set: PkiSet): boolean {
  const tree = scanPkiTree(set.dir);
  return pkiFiles(set.requests).some((f) => !tree.files.has(f));
}

export interface PkiIssue {
  readonly dir: string;
  readonly tree: PkiTree;
  /** path below `dir` → PEM, for the files the dir lacks */
  readonly created: Readonly<Record<string, string>>;
  readonly kept: readonly string[];
}

/**
 * What the PKI dirs lack, issued in memory, keeping what is there; writes nothing (`pki
 * --dry-run` stops here). Every dir is scanned and every file read before anything is issued;
 * existing files that no longer fit are an error naming each one.
 */
export async function planMissingPki(sets: readonly PkiSet[]): Promise<PkiIssue[]> {
  if (sets.length === 0) return [];
  const trees = new Map<string, PkiTree>();
  for (const { dir } of sets) if (!trees.has(dir)) trees.set(dir, scanPkiTree(dir));
  const read = sets.map((set) => {
    const tree = trees.get(set.dir) as PkiTree;
    return { set, tree, existing: readExistingPki(tree, pkiFiles(set.requests)) };
  });
  // Loaded here only: the X.509 library is the largest part of the CLI and no other step needs it.
  const { issuePki } = await import('@k8sm/pki');
  const results = [];
  for (const { set, tree, existing } of read)
    results.push({ dir: set.dir, tree, result: await issuePki(set.requests, existing) });
  const problems = results.flatMap((r) => r.result.problems.map((p) => `  ${r.dir}: ${p}`));
  if (problems.length > 0)
    throw new MissingPkiError(
      [
        `k8sm-render pki: ${problems.length} existing file(s) cannot be used; nothing was written`,
        ...problems,
      ].join('\n'),
    );
  return results.map(({ dir, tree, result }) => ({ dir, tree, created: result.created, kept: result.kept }));
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
 * that no longer fit are an error and nothing is written. Each dir is written whole, once, with
 * what every set in it lacks. Returns a line per dir and file.
 */
export async function issueMissingPki(
  sets: readonly PkiSet[],
): Promise<{ lines: string[]; files: string[] }> {
  const restored = [...new Set(sets.map((s) => s.dir))].flatMap((dir) => recoverPkiDir(dir));
  const issues = await planMissingPki(sets);
  const byDir = new Map<string, { tree: PkiTree; created: Record<string, string> }>();
  for (const { dir, tree, created } of issues)
    byDir.set(dir, { tree, created: { ...byDir.get(dir)?.created, ...created } });
  const files: string[] = [];
  for (const [dir, { tree, created }] of byDir) {
    // `git add -A` in a work tree holding the PKI dir must not stage its keys
    const all = tree.files.has('.gitignore') ? created : { ...created, '.gitignore': IGNORE_ALL };
    writePkiTree(tree, all);
    files.push(...Object.keys(all).map((path) => join(dir, path)));
  }
  return { lines: [...restored, ...describePkiIssues(issues)], files };
}
