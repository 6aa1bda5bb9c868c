import { constants, type Stats } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { SPEC_LIMITS, SpecTooLargeError } from '@k8sm/spec';
import { describeSystemError, FileAccessError } from './errors.js';

/** The spec file argument that means standard input. */
export const STDIN = '-';

/** How a spec file is named in messages and locations: `<stdin>` for `-`. */
export const specName = (file: string): string => (file === STDIN ? '<stdin>' : file);

const KINDS: [is: (info: Stats) => boolean, name: string][] = [
  [(info) => info.isFIFO(), 'named pipe (FIFO)'],
  [(info) => info.isCharacterDevice(), 'character device'],
  [(info) => info.isBlockDevice(), 'block device'],
  [(info) => info.isSocket(), 'socket'],
  [() => true, 'special file'],
];

function cannotRead(file: string, error: unknown): FileAccessError {
  const code = (error as NodeJS.ErrnoException).code;
  const fix =
    code === 'ENOENT'
      ? ' — check the path, or create a spec with `k8sm-render init`'
      : code === 'EISDIR'
        ? ' — pass the spec file, not a directory'
        : ' — check its permissions';
  return new FileAccessError(`cannot read spec ${file}: ${describeSystemError(error)}${fix}`);
}

/** Refuses anything but a regular file, judged on the open handle (what was stat'ed is what is read). */
async function openRegularFile(file: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO waits for a writer otherwise; a regular file ignores it
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw cannotRead(file, error);
  }
  const info = await handle.stat();
  const refuse = (why: string): never => {
    void handle.close();
    throw new FileAccessError(`cannot read spec ${file}: ${why}`);
  };
  if (info.isDirectory()) refuse('it is a directory (EISDIR) — pass the spec file, not a directory');
  if (!info.isFile()) {
    refuse(
      `it is a ${KINDS.find(([is]) => is(info))?.[1]}, not a file — pass the spec file, or - and the spec on standard input`,
    );
  }
  if (info.size > SPEC_LIMITS.bytes) {
    void handle.close();
    throw new SpecTooLargeError(file, SPEC_LIMITS.bytes);
  }
  return handle;
}

/** At most SPEC_LIMITS.bytes, refused at the first byte beyond: nothing larger is ever held. */
async function readBounded(chunks: AsyncIterable<Buffer | string>, name: string): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    const part = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += part.length;
    if (size > SPEC_LIMITS.bytes) throw new SpecTooLargeError(name, SPEC_LIMITS.bytes);
    parts.push(part);
  }
  return Buffer.concat(parts).toString('utf8');
}

/**
 * The spec's text: a regular file (FIFOs and devices are refused, never waited on or read
 * forever), or standard input for `-`, in both cases at most SPEC_LIMITS.bytes.
 */
export async function readSpecFile(file: string): Promise<string> {
  if (file === STDIN) return readBounded(process.stdin, specName(file));
  const handle = await openRegularFile(file);
  try {
    // the file may have grown since it was measured: the limit holds for what is read
    return await readBounded(handle.createReadStream({ autoClose: false }), file);
  } catch (error) {
    if (error instanceof SpecTooLargeError) throw error;
    throw cannotRead(file, error);
  } finally {
    await handle.close();
  }
}
