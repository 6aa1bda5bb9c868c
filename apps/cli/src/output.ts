import {
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  filterKey,
  isPartial,
  OUTPUT_MARKER,
  type OutputFile,
  type OutputTree,
  type RenderFilter,
} from '@k8sm/render-cluster';
import { K8smError } from '@k8sm/spec/errors';
import { describeSystemError, FileAccessError, OutputOwnerError } from './errors.js';
import { acquireOutputLock } from './lock.js';
import { withFileNoFollow } from './no-follow.js';
import { type Recovered, recoverSwap, stagingDir, swapIn } from './swap.js';

interface Marker {
  readonly generator: string;
  readonly format: number;
  readonly spec: string;
  readonly filter?: RenderFilter;
}

/** The marker of an existing output, read without following a link; undefined when there is none. */
function readMarker(target: string): Marker | 'unreadable' | undefined {
  const file = join(target, OUTPUT_MARKER);
  let info: ReturnType<typeof lstatSync>;
  try {
    info = lstatSync(file);
  } catch {
    return undefined;
  }
  if (!info.isFile() || info.size > 4096) return 'unreadable';
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as Partial<Marker>;
    return m.generator === 'k8sm-render' && typeof m.spec === 'string' && typeof m.format === 'number'
      ? (m as Marker)
      : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** A `manifest.json` that k8sm-render wrote before it wrote a marker (k8sm-render 0.x). */
function legacyOutput(target: string): boolean {
  try {
    const file = join(target, 'manifest.json');
    if (!lstatSync(file).isFile()) return false;
    const m = JSON.parse(readFileSync(file, 'utf8')) as { generator?: unknown };
    return typeof m.generator === 'string' && m.generator.startsWith('k8sm-render ');
  } catch {
    return false;
  }
}

export interface OutputOwner {
  /** the spec's name, recorded in the marker */
  readonly spec: string;
  /** replace an output of another spec or another part of it, or adopt one an earlier k8sm-render wrote */
  readonly force?: boolean;
  /** the `--only`/`--host` of this render */
  readonly filter?: RenderFilter;
}

const described = (filter: RenderFilter | undefined) =>
  filter && isPartial(filter)
    ? [filter.only ? `--only ${filter.only.join(',')}` : '', filter.host ? `--host ${filter.host}` : '']
        .filter(Boolean)
        .join(' ')
    : 'a full render';

/**
 * Whether `-o` exists and may be replaced: it must be a real directory (a link would be replaced,
 * not its directory; a mount point cannot be renamed), empty or holding k8sm's marker, and the
 * marker must name this spec. `-o /etc` must not wipe /etc, nor `-o webapp` a web app.
 */
function checkReplaceable(target: string, shown: string, owner: OutputOwner): boolean {
  let info: ReturnType<typeof lstatSync>;
  try {
    info = lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new FileAccessError(`cannot use output directory ${shown}: ${describeSystemError(error)}`);
  }
  if (info.isSymbolicLink())
    throw new FileAccessError(
      `output path ${shown} is a symbolic link (to ${readlinkSync(target)}) — k8sm-render replaces -o by renaming, which would replace the link, not its directory: pass the directory it points to, or a new path`,
    );
  if (!info.isDirectory())
    throw new FileAccessError(`output path ${shown} is a file, not a directory — pass a directory to -o`);
  if (statSync(dirname(target)).dev !== info.dev)
    throw new FileAccessError(
      `output directory ${shown} is a mount point — k8sm-render replaces -o by renaming it, which a mount point refuses: pass a new directory inside it, e.g. -o ${join(shown, 'out')}`,
    );
  let entries: string[];
  try {
    entries = readdirSync(target);
  } catch (error) {
    throw new FileAccessError(
      `cannot read output directory ${shown}: ${describeSystemError(error)} — run as the user that wrote it (uid ${info.uid})`,
    );
  }
  if (entries.length === 0) return true;
  const marker = readMarker(target);
  if (marker === undefined) {
    if (legacyOutput(target)) {
      if (owner.force) return true;
      throw new OutputOwnerError(
        `output directory ${shown} was written by an earlier k8sm-render (its manifest.json says so, but it has no ${OUTPUT_MARKER} marker) — pass --force once to adopt it`,
      );
    }
    throw new OutputOwnerError(
      `output directory ${shown} is not empty and has no ${OUTPUT_MARKER}, the marker k8sm-render writes: it is not a k8sm output — choose a new or empty directory (--force does not replace a directory k8sm did not write)`,
    );
  }
  if (marker === 'unreadable')
    throw new OutputOwnerError(
      `output directory ${shown}: its ${OUTPUT_MARKER} is not the marker k8sm-render writes — choose a new or empty directory`,
    );
  if (marker.spec !== owner.spec && !owner.force)
    throw new OutputOwnerError(
      `output directory ${shown} holds the render of spec "${marker.spec}", not "${owner.spec}" — pass --force to replace it, or choose another directory`,
    );
  // A partial render is not merged into a fuller one: the host scripts, the manifest and the
  // playbooks are made from every component, so a merge is true only when the rest of the spec
  // is unchanged, and then a full render writes those same bytes. A full render may replace a
  // partial one: it holds all of it.
  const partial = owner.filter !== undefined && isPartial(owner.filter);
  if (partial && filterKey(marker.filter) !== filterKey(owner.filter) && !owner.force)
    throw new OutputOwnerError(
      `output directory ${shown} holds ${described(marker.filter)} of "${marker.spec}"; ${described(owner.filter)} would replace it with that part alone — render in full to update it, or give the part its own -o (--force replaces it)`,
    );
  return true;
}

/** What recovery did, in the operator's words. */
function recoveryNotes(shown: string, r: Recovered): string[] {
  return [
    ...(r.restored
      ? [
          `k8sm-render: ${shown}: put back from ${r.restored}, left by a render killed while it swapped the output in`,
        ]
      : []),
    ...(r.removed.length > 0
      ? [`k8sm-render: removed ${r.removed.length} leftover(s) of interrupted renders beside ${shown}`]
      : []),
  ];
}

/**
 * Write the whole tree into a staging directory beside the target, then swap it in; the caller
 * holds the target's lock (`lockOutput`) throughout. A run that fails anywhere leaves the previous output as it was; a run
 * killed anywhere leaves the previous output, or the new one, or (between the two renames of the
 * swap) the previous one aside, which the next run puts back first. Returns notes for stderr,
 * and how many files were written and how many carried over unchanged.
 */
export function writeOutputAtomically(
  dir: string,
  tree: OutputTree,
  owner: OutputOwner,
  _lock: OutputLock,
): { readonly notes: string[] } & WriteCounts {
  const target = resolve(dir);
  let staging: string | undefined;
  try {
    const notes = recoveryNotes(dir, recoverSwap(target));
    const exists = checkReplaceable(target, dir, owner);
    staging = stagingDir(target);
    const counts = writeTree(staging, tree, exists ? target : undefined);
    swapIn(target, staging, exists);
    staging = undefined;
    return { notes, ...counts };
  } catch (error) {
    if (error instanceof K8smError) throw error;
    throw new FileAccessError(
      `cannot write output directory ${dir}: ${describeSystemError(error)} — it is as it was; choose a directory you can write, on a file system with room for the whole output`,
    );
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
  }
}

/** A held lock of an output directory: only `lockOutput` makes one. */
export interface OutputLock {
  readonly release: () => void;
}

/**
 * Takes `-o`'s lock before anything is rendered, so that a second render fails at once rather
 * than after rendering; the caller releases it when done, whatever happens.
 */
export function lockOutput(dir: string): OutputLock {
  const target = resolve(dir);
  let made: string | undefined;
  try {
    made = mkdirSync(dirname(target), { recursive: true });
  } catch (error) {
    throw new FileAccessError(`cannot create the directory above ${dir}: ${describeSystemError(error)}`);
  }
  // the directories made for the lock go again when nothing was written (an invalid spec
  // touches nothing), each only if empty
  const unmake = () => {
    if (!made || existsSync(target)) return;
    for (let d = dirname(target); d.length >= made.length; d = dirname(d))
      try {
        rmdirSync(d);
      } catch {
        return;
      }
  };
  let release: () => void;
  try {
    release = acquireOutputLock(target, dir);
  } catch (error) {
    unmake();
    throw error;
  }
  return {
    release: () => {
      release();
      unmake();
    },
  };
}

/** How a write went: files written anew, and files carried over unchanged from the previous output. */
export interface WriteCounts {
  readonly written: number;
  readonly carried: number;
}

/**
 * The previous output's file at `path`, when it holds exactly `content` with `mode` and may be
 * linked into the staging tree instead of written: a regular file (opened without following a
 * link), with no other link (a file linked elsewhere could be changed from there). Returns its
 * inode, which the caller checks the link it makes against; undefined to write the file anew.
 */
function unchangedInode(previous: string, path: string, content: string, mode: number) {
  try {
    return withFileNoFollow(join(previous, path), (fd, info) => {
      if (!info.isFile() || info.nlink !== 1 || (info.mode & 0o7777) !== mode) return undefined;
      if (info.size !== Buffer.byteLength(content)) return undefined;
      return readFileSync(fd, 'utf8') === content ? { dev: info.dev, ino: info.ino } : undefined;
    });
  } catch {
    return undefined; // missing, a link, unreadable: written anew
  }
}

/**
 * Synchronous on purpose: thousands of small files written one after another are several times
 * faster without a thread-pool round trip per call, and nothing else runs meanwhile. With the
 * previous output (the directory the staging tree replaces), an unchanged file is hard-linked
 * from it instead of written: the previous output is never modified (a killed run leaves it as it
 * was), and once it is removed after the swap, each carried file has one link again.
 */
function writeTree(root: string, tree: OutputTree, previous?: string): WriteCounts {
  const made = new Set<string>();
  // the mode writeFileSync gives is the artifact's less the umask: chmod only where that differs
  const umask = process.umask();
  let carried = 0;
  for (const [path, file] of tree) {
    const full = join(root, path);
    const dir = dirname(full);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      made.add(dir);
    }
    const same = previous === undefined ? undefined : unchangedInode(previous, path, file.content, file.mode);
    if (same && linkedTo(join(previous ?? '', path), full, same)) {
      carried++;
      continue;
    }
    writeFileSync(full, file.content, { mode: file.mode });
    // the umask must neither loosen nor tighten what the artifact says
    if ((file.mode & ~umask) !== file.mode) chmodSync(full, file.mode);
  }
  return { written: tree.size - carried, carried };
}

/** Links `from` at `to`; true when the link is the inode that was checked (nothing swapped it meanwhile). */
function linkedTo(from: string, to: string, inode: { dev: number; ino: number }): boolean {
  try {
    linkSync(from, to);
  } catch {
    return false; // another file system, no right to link: written anew
  }
  const info = lstatSync(to);
  if (info.isFile() && info.dev === inode.dev && info.ino === inode.ino) return true;
  rmSync(to, { force: true });
  return false;
}

/** Read an output directory back, for `--check`, following no link; undefined when it is missing. */
export async function readOutputTree(dir: string): Promise<Map<string, OutputFile> | undefined> {
  const root = resolve(dir);
  try {
    const info = await lstat(root);
    if (info.isSymbolicLink())
      throw new FileAccessError(
        `output path ${dir} is a symbolic link (to ${await readlink(root)}) — --check follows no link: pass the directory it points to`,
      );
    if (!info.isDirectory()) throw new FileAccessError(`output path ${dir} is a file, not a directory`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (error instanceof FileAccessError) throw error;
    throw new FileAccessError(`cannot read ${dir}: ${describeSystemError(error)}`);
  }
  const tree = new Map<string, OutputFile>();
  const walk = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const full = join(root, path);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile())
        tree.set(path, { content: await readFile(full, 'utf8'), mode: (await lstat(full)).mode & 0o777 });
      // never read through a link (as root, `--check` would print any file it points to), nor a FIFO
      else
        tree.set(path, {
          content: entry.isSymbolicLink()
            ? `(a symbolic link to ${await readlink(full)}: not followed)\n`
            : '(not a regular file: not read)\n',
          mode: (await lstat(full)).mode & 0o777,
        });
    }
  };
  try {
    await walk('');
  } catch (error) {
    throw new FileAccessError(
      `cannot read output directory ${dir}: ${describeSystemError(error)} — run --check as the user that wrote it`,
    );
  }
  return tree;
}
