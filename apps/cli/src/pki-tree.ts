import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  type Stats,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { describeSystemError, FileAccessError, UnsafePkiError } from './errors.js';
import { withFileNoFollow } from './no-follow.js';
import { recoverSwap, stagingDir, swapIn } from './swap.js';

/**
 * A PKI dir as found on disk, nothing followed: the CLI reads and writes a PKI dir only through
 * these functions. Whoever can write a PKI dir can plant a CA that k8sm keeps and signs with,
 * and a key that is a link to another file would be copied into the output (as root, any file).
 */
export interface PkiTree {
  readonly dir: string;
  readonly exists: boolean;
  /** paths of the files below `dir` */
  readonly files: ReadonlySet<string>;
  /** paths of the directories below `dir` ('' is `dir`) with their modes, parents first */
  readonly dirs: ReadonlyMap<string, number>;
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;
const writableBy = (mode: number) =>
  [mode & 0o020 ? 'its group' : '', mode & 0o002 ? 'everyone' : ''].filter(Boolean).join(' and ');

/** Why an entry of a PKI dir cannot be trusted, or undefined. */
function unsafe(full: string, info: Stats): string | undefined {
  if (info.isSymbolicLink())
    return `${full} is a symbolic link (to ${readlinkSync(full)}), which k8sm never follows in a PKI dir — put the file itself there, or remove the link`;
  if (!info.isDirectory() && !info.isFile())
    return `${full} is not a regular file (a FIFO, socket or device) — remove it`;
  if (info.mode & 0o022)
    return `${full} is writable by ${writableBy(info.mode)} (mode ${octal(info.mode)}): anyone who can write there can plant a CA — ${info.isDirectory() ? 'chmod 700' : 'chmod go-w'} ${full}`;
  return undefined;
}

/**
 * The PKI dir `dir`, refused whole (naming every entry and its fix) if any part is writable by
 * others, a symbolic link (dangling or not) or neither a file nor a directory.
 */
export function scanPkiTree(dir: string): PkiTree {
  const files = new Set<string>();
  const dirs = new Map<string, number>();
  let root: Stats;
  try {
    root = lstatSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { dir, exists: false, files, dirs };
    throw new FileAccessError(`cannot read PKI dir ${dir}: ${describeSystemError(error)}`);
  }
  if (root.isFile()) throw new FileAccessError(`PKI dir ${dir} is a file, not a directory`);
  const problems: string[] = [];
  const visit = (path: string, info: Stats) => {
    const full = path === '' ? dir : join(dir, path);
    const problem = unsafe(full, info);
    if (problem) problems.push(problem);
    if (info.isFile()) files.add(path);
    // a writable directory is still walked, so that one run names every problem
    else if (info.isDirectory()) {
      dirs.set(path, info.mode & 0o777);
      for (const name of readdirSync(full).sort()) {
        const child = path === '' ? name : `${path}/${name}`;
        visit(child, lstatSync(join(dir, child)));
      }
    }
  };
  try {
    visit('', root);
  } catch (error) {
    throw new FileAccessError(`cannot read PKI dir ${dir}: ${describeSystemError(error)}`);
  }
  if (problems.length > 0)
    throw new UnsafePkiError(
      [
        `PKI dir ${dir} cannot be trusted; nothing was read or written:`,
        ...problems.map((p) => `  ${p}`),
      ].join('\n'),
    );
  return { dir, exists: true, files, dirs };
}

/** A file of the tree, opened without following a link; undefined if the tree has no such file. */
export function readPkiFile(tree: PkiTree, path: string): string | undefined {
  if (!tree.files.has(path)) return undefined;
  const full = join(tree.dir, path);
  try {
    return withFileNoFollow(full, (fd, info) => {
      const problem = unsafe(full, info);
      if (problem) throw new UnsafePkiError(problem);
      return readFileSync(fd, 'utf8');
    });
  } catch (error) {
    if (error instanceof UnsafePkiError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw new UnsafePkiError(
        `${full} became a symbolic link while k8sm read the PKI dir — remove the link`,
      );
    throw new FileAccessError(`cannot read ${full}: ${describeSystemError(error)}`);
  }
}

/** How a run reads its PKI dirs: `scanPkiTree` and `readPkiFile`, or the same once each (pkiReads). */
export interface PkiReads {
  readonly scan: (dir: string) => PkiTree;
  readonly read: (tree: PkiTree, path: string) => string | undefined;
}

export const READ_AFRESH: PkiReads = { scan: scanPkiTree, read: readPkiFile };

/**
 * One run's reads of its PKI dirs, each dir scanned and each file read once: a render reads every
 * kubelet certificate for the kubeconfigs, then again for the expiry warning, and scans the dirs
 * for keys once more (5,013 dirs at 10,000 hosts). Only for what a run reads after it last wrote
 * a PKI dir.
 */
export function pkiReads(): PkiReads {
  const trees = new Map<string, PkiTree>();
  const files = new Map<string, string | undefined>();
  return {
    scan: (dir) => {
      let tree = trees.get(dir);
      if (tree === undefined) {
        tree = scanPkiTree(dir);
        trees.set(dir, tree);
      }
      return tree;
    },
    read: (tree, path) => {
      const full = join(tree.dir, path);
      if (!files.has(full)) files.set(full, readPkiFile(tree, path));
      return files.get(full);
    },
  };
}

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
