import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  type Stats,
} from 'node:fs';
import { join } from 'node:path';
import { describeSystemError, FileAccessError, UnsafePkiError } from './errors.js';

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
  let fd: number | undefined;
  try {
    // O_NONBLOCK: a FIFO swapped in since the scan must not hang the run
    fd = openSync(full, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    const info = fstatSync(fd);
    const problem = unsafe(full, info);
    if (problem) throw new UnsafePkiError(problem);
    return readFileSync(fd, 'utf8');
  } catch (error) {
    if (error instanceof UnsafePkiError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw new UnsafePkiError(
        `${full} became a symbolic link while k8sm read the PKI dir — remove the link`,
      );
    throw new FileAccessError(`cannot read ${full}: ${describeSystemError(error)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
