import { join } from 'node:path';
import { pkiFiles } from '@k8sm/spec';
import { MissingPkiError } from './errors.js';
import { type PkiSet, readExistingPki } from './pki-files.js';
import { type PkiTree, recoverPkiDir, scanPkiTree, writePkiTree } from './pki-tree.js';

/**
 * `k8sm-render pki --renew`: every leaf of every PKI dir re-issued in memory first; a problem in
 * any dir writes nothing anywhere. Then each dir is written whole (beside it, then swapped in).
 */
export async function renewPkiDirs(
  specFile: string,
  sets: readonly PkiSet[],
  options: { readonly authorities: boolean; readonly dryRun: boolean },
): Promise<string[]> {
  const restored = options.dryRun
    ? []
    : [...new Set(sets.map((s) => s.dir))].flatMap((d) => recoverPkiDir(d));
  const trees = new Map<string, PkiTree>();
  for (const { dir } of sets) if (!trees.has(dir)) trees.set(dir, scanPkiTree(dir));
  // Loaded here only: the X.509 library is the largest part of the CLI
  const { renewPki } = await import('@k8sm/pki');
  const byDir = new Map<string, { renewed: Record<string, string>; lines: string[] }>();
  const problems: string[] = [];
  for (const set of sets) {
    const tree = trees.get(set.dir) as PkiTree;
    if (!tree.exists) {
      problems.push(`  ${set.dir}: no PKI dir there: run \`k8sm-render pki ${specFile}\` first`);
      continue;
    }
    const r = await renewPki(set.requests, readExistingPki(tree, pkiFiles(set.requests)), {
      authorities: options.authorities,
    });
    problems.push(...r.problems.map((p) => `  ${set.dir}: ${p}`));
    const entry = byDir.get(set.dir) ?? { renewed: {}, lines: [] };
    Object.assign(entry.renewed, r.renewed);
    entry.lines.push(...r.lines);
    byDir.set(set.dir, entry);
  }
  if (problems.length > 0)
    throw new MissingPkiError(
      [`k8sm-render pki --renew: ${problems.length} problem(s); nothing was renewed`, ...problems].join('\n'),
    );
  const lines: string[] = [...restored];
  for (const [dir, { renewed, lines: renewedLines }] of byDir) {
    if (!options.dryRun) writePkiTree(trees.get(dir) as PkiTree, renewed);
    const count = renewedLines.length;
    lines.push(
      `k8sm-render pki: ${dir}: ${options.dryRun ? 'would renew' : 'renewed'} ${count} certificate(s)${
        options.authorities ? ', the CA included' : ', CA kept'
      }`,
      ...renewedLines.map((l) => `  ${l}`),
    );
  }
  if (!options.dryRun)
    lines.push(
      `next: k8sm-render ${specFile} -o <out> and apply it, so every host gets its new certificate and key (${join('<out>', 'ansible')} or the scripts)`,
    );
  return lines;
}
