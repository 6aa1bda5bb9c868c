import { chmodSync, closeSync, fsyncSync, linkSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type PkiTree, readPkiFile, scanPkiTree } from '@k8sm/render-cluster';
import { describeSystemError, FileAccessError } from './errors.js';
import { recoverSwap, stagingDir, swapIn } from './swap.js';

// reading a PKI dir safely is the library's (rendering reads one); writing and recovering are here
export { type PkiTree, readPkiFile, scanPkiTree };

/**
 * Finishes what a killed `pki` left beside `dir` (see swap.ts): the previous PKI dir is put back
 * if the swap stopped halfway, and the staging dirs of runs that are gone are removed. Returns a
 * note for the operator when it put a PKI dir back.
 */
export function recoverPkiDir(dir: string): string[] {
  try {
    const { restored } = recoverSwap(dir);
    return restored ? [`k8sm-render pki: ${dir}: put back from ${restored}, left by an interrupted run`] : [];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new FileAccessError(`cannot recover PKI dir ${dir}: ${describeSystemError(error)}`);
  }
}

function writeDurably(path: string, content: string, mode: number): void {
  const fd = openSync(path, 'wx', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(path, mode); // the umask must not loosen or tighten it
}

function syncDirectory(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `created` (path → PEM) into the tree's dir all or nothing: the dir as it is (files
 * linked, not copied) plus the new files are staged beside it and synced, then renamed into
 * place. A run killed at any point leaves the previous dir, or none, or the new one whole (an
 * interrupted swap is undone by `recoverPkiDir`). A path the tree has is replaced (renewal).
 * Keys 0600, certificates 0644, new dirs 0700.
 */
export function writePkiTree(tree: PkiTree, created: Readonly<Record<string, string>>): void {
  const paths = Object.keys(created);
  if (paths.length === 0) return;
  for (const path of paths)
    if (path.split('/').some((part) => part === '' || part === '.' || part === '..'))
      throw new Error(`PKI path ${path} is not normalised`);
  const { dir } = tree;
  let staging: string | undefined;
  try {
    mkdirSync(dirname(dir), { recursive: true });
    staging = stagingDir(dir);
    for (const [path, mode] of tree.dirs) {
      if (path !== '') mkdirSync(join(staging, path));
      chmodSync(join(staging, path), mode);
    }
    // a file being replaced is not linked: writing it would write through the link into the live dir
    for (const path of tree.files)
      if (!Object.hasOwn(created, path)) linkSync(join(dir, path), join(staging, path));
    const made = new Set<string>(['']);
    for (const path of paths) {
      const full = join(staging, path);
      mkdirSync(dirname(full), { recursive: true, mode: 0o700 });
      for (let d = dirname(path); d !== '.' && !made.has(d); d = dirname(d)) made.add(d);
      writeDurably(full, created[path] ?? '', path.endsWith('.key') ? 0o600 : 0o644);
    }
    for (const d of new Set([...tree.dirs.keys(), ...made])) syncDirectory(join(staging, d));
    swapIn(dir, staging, tree.exists);
    staging = undefined;
    syncDirectory(dirname(dir));
  } catch (error) {
    throw new FileAccessError(
      `cannot write PKI dir ${dir}: ${describeSystemError(error)}; it is as it was — k8sm writes a PKI dir whole, beside it then renamed into place: the dir above it must be writable and on the same file system`,
    );
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
  }
}
