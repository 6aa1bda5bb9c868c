import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { describeSystemError, FileAccessError } from './errors.js';
import type { OutputFile, OutputTree } from './tree.js';

/** Refuse to replace a directory that k8sm did not write: `-o /etc` must not wipe /etc. */
async function checkReplaceable(target: string, shown: string): Promise<boolean> {
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new FileAccessError(`cannot use output directory ${shown}: ${describeSystemError(error)}`);
  }
  if (!info.isDirectory())
    throw new FileAccessError(`output path ${shown} is a file, not a directory — pass a directory to -o`);
  const entries = await readdir(target);
  if (entries.length > 0 && !entries.includes('manifest.json'))
    throw new FileAccessError(
      `output directory ${shown} is not empty and was not written by k8sm-render (no manifest.json) — choose a new or empty directory`,
    );
  return true;
}

/**
 * Write the whole tree into a temporary directory beside the target, then swap it in. A run
 * that fails anywhere leaves the previous output exactly as it was.
 */
export async function writeOutputAtomically(dir: string, tree: OutputTree): Promise<void> {
  const target = resolve(dir);
  const exists = await checkReplaceable(target, dir);
  const parent = dirname(target);
  let staging: string | undefined;
  try {
    await mkdir(parent, { recursive: true });
    staging = await mkdtemp(join(parent, `.${basename(target)}.k8sm-`));
    writeTree(staging, tree);
    if (exists) {
      const old = `${staging}.old`;
      await rename(target, old);
      try {
        await rename(staging, target);
      } catch (error) {
        await rename(old, target);
        throw error;
      }
      staging = undefined;
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(staging, target);
      staging = undefined;
    }
  } catch (error) {
    if (error instanceof FileAccessError) throw error;
    throw new FileAccessError(
      `cannot write output directory ${dir}: ${describeSystemError(error)} — choose a directory you can write`,
    );
  } finally {
    if (staging) await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Synchronous on purpose: thousands of small files written one after another are several times
 * faster without a thread-pool round trip per call, and nothing else runs meanwhile.
 */
function writeTree(root: string, tree: OutputTree): void {
  const made = new Set<string>();
  for (const [path, file] of tree) {
    const full = join(root, path);
    const dir = dirname(full);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      made.add(dir);
    }
    writeFileSync(full, file.content, { mode: file.mode });
    chmodSync(full, file.mode); // the umask must neither loosen nor tighten what the artifact says
  }
}

/** Read an output directory back, for `--check`; a missing directory reads as empty. */
export async function readOutputTree(dir: string): Promise<Map<string, OutputFile> | undefined> {
  const root = resolve(dir);
  try {
    if (!(await stat(root)).isDirectory())
      throw new FileAccessError(`output path ${dir} is a file, not a directory`);
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
  await walk('');
  return tree;
}

export { readSpecFile } from './spec-file.js';

/** Write a new file, never replacing one (`k8sm-render init`). */
export async function writeNewFile(file: string, content: string): Promise<void> {
  try {
    await writeFile(file, content, { flag: 'wx', mode: 0o644 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileAccessError(
      `cannot write ${file}: ${describeSystemError(error)}${code === 'EEXIST' ? ' — choose another name or remove it first' : ''}`,
    );
  }
}
