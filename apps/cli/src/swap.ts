import {
  type Dirent,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  unlinkSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * A directory k8sm replaces whole (`-o`, a PKI dir) is staged beside it and renamed into place.
 * Beside `dir`: `.<name>.k8sm-new-<pid>-…` while staging, `.<name>.k8sm-old` between the two
 * renames of the swap, `.<name>.k8sm-lock` while a render holds it. Linux has no atomic swap of
 * two directories that Node can reach (renameat2 RENAME_EXCHANGE), so a kill between the renames
 * leaves `dir` missing and the previous tree in `-old`: every run starts by putting it back.
 */
export const aside = (dir: string, what: string) => join(dirname(dir), `.${basename(dir)}.k8sm-${what}`);

/** Whether `pid` is a running k8sm process; on Linux its command line must say so (pids are reused). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('k8sm');
  } catch {
    // no /proc (macOS): a live pid is taken as the run's
    return true;
  }
}

export const isDirectory = (path: string) => {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** A fresh staging dir beside `dir`, named by this process so that a later run can tell it is dead. */
export const stagingDir = (dir: string) => mkdtempSync(`${aside(dir, 'new')}-${process.pid}-`);

/**
 * `staging` becomes `dir`; the previous `dir`, if any, goes through `-old` and is removed. If the
 * second rename fails, the previous tree is put back before the error is thrown.
 */
export function swapIn(dir: string, staging: string, exists: boolean): void {
  if (!exists) {
    renameSync(staging, dir);
    return;
  }
  const old = aside(dir, 'old');
  rmSync(old, { recursive: true, force: true });
  renameSync(dir, old);
  try {
    renameSync(staging, dir);
  } catch (error) {
    renameSync(old, dir);
    throw error;
  }
  removeTree(old);
}

/**
 * `rm -r` of a tree this process's renders made (the previous output, once swapped out): one
 * readdir with types per directory instead of an lstat per entry, which rmSync's recursive
 * removal spends on 23,000 files. Links are removed, never followed.
 */
export function removeTree(dir: string): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
    rmSync(dir, { force: true });
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) removeTree(path);
    else unlinkSync(path);
  }
  rmdirSync(dir);
}

// k8sm-render before the lock staged `-o` as `.<name>.k8sm-XXXXXX` and kept it as `….old` in the swap
const LEGACY = /^k8sm-[A-Za-z0-9]{6}(\.old)?$/;

export interface Recovered {
  /** the directory `dir` was put back from, when a swap had stopped between its renames */
  readonly restored?: string;
  /** leftovers removed: staging dirs of runs that are gone, a previous tree no longer needed */
  readonly removed: readonly string[];
}

/**
 * Finishes what a killed run left beside `dir`: the previous tree is put back if `dir` is
 * missing, then the previous trees and the staging dirs of runs that are gone are removed.
 */
export function recoverSwap(dir: string): Recovered {
  const parent = dirname(dir);
  const prefix = `.${basename(dir)}.`;
  let names: string[];
  try {
    names = readdirSync(parent).filter((n) => n.startsWith(prefix));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { removed: [] };
    throw error;
  }
  const rest = (n: string) => n.slice(prefix.length);
  const olds = names
    .filter((n) => rest(n) === 'k8sm-old' || (LEGACY.test(rest(n)) && n.endsWith('.old')))
    .map((n) => join(parent, n))
    .filter(isDirectory);
  let restored: string | undefined;
  let dirMissing = false;
  try {
    lstatSync(dir);
  } catch (error) {
    dirMissing = (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
  if (dirMissing && olds.length > 0) {
    // the newest previous tree is the last that was whole in place
    restored = olds.reduce((a, b) => (lstatSync(b).mtimeMs > lstatSync(a).mtimeMs ? b : a));
    renameSync(restored, dir);
  }
  const removed: string[] = [];
  for (const name of names) {
    const full = join(parent, name);
    // a lock's draft or a broken lock of a run killed while it took the lock
    const draft = /^k8sm-lock\.(?:broken-)?(\d+)$/.exec(rest(name));
    if (draft && Number(draft[1]) !== process.pid && !alive(Number(draft[1]))) {
      rmSync(full, { force: true });
      removed.push(full);
      continue;
    }
    if (full === restored || !isDirectory(full)) continue;
    const r = rest(name);
    const pid = r.startsWith('k8sm-new-') ? Number(r.slice('k8sm-new-'.length).split('-')[0]) : Number.NaN;
    const dead = Number.isInteger(pid) ? pid !== process.pid && !alive(pid) : false;
    if (r === 'k8sm-old' || LEGACY.test(r) || dead) {
      rmSync(full, { recursive: true, force: true });
      removed.push(full);
    }
  }
  return { ...(restored ? { restored } : {}), removed };
}
