import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { describeSystemError, FileAccessError, OutputLockedError } from './errors.js';
import { alive, aside } from './swap.js';

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly text: string;
}

const lockFileOf = (dir: string) => aside(dir, 'lock');

function writeDraft(path: string, text: string): void {
  const fd = openSync(path, 'w', 0o644);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

function readHolder(file: string): Holder | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const [pid, host] = text.trim().split(' ');
  return { pid: Number(pid), host: host ?? '', text };
}

/** A holder on this machine whose process is gone (killed, or the machine rebooted) holds nothing. */
const stale = (h: Holder) => h.host === hostname() && !(Number.isInteger(h.pid) && alive(h.pid));

function lockedError(dir: string, shown: string, h: Holder): OutputLockedError {
  const elsewhere = h.host !== hostname();
  return new OutputLockedError(
    `another k8sm-render (pid ${h.pid}${elsewhere ? ` on ${h.host}` : ''}) is writing ${shown} — wait for it to finish${
      elsewhere ? `, or remove ${lockFileOf(dir)} if that run is gone` : ''
    }`,
  );
}

/**
 * Who holds `dir`'s lock, for `--check` (which writes nothing, the lock file included): a live
 * holder is an error, since a tree read during a swap is neither the old nor the new one.
 */
export function assertUnlocked(dir: string, shown: string): void {
  const h = readHolder(lockFileOf(dir));
  if (h && !stale(h)) throw lockedError(dir, shown, h);
}

/**
 * Takes `.<dir>.k8sm-lock` beside `dir` (created exclusively), or fails at once naming the run
 * that holds it. A lock whose process is gone is broken: it is renamed aside first and removed
 * only if it is still the one that was judged, so two runs breaking it at once cannot remove a
 * lock a third has just taken. Returns the release.
 */
export function acquireOutputLock(dir: string, shown: string): () => void {
  const file = lockFileOf(dir);
  const text = `${process.pid} ${hostname()} ${randomBytes(8).toString('hex')}\n`;
  try {
    for (let attempt = 0; attempt < 8; attempt++) {
      // written whole beside it, then linked into place: a reader never sees a lock half written
      const draft = `${file}.${process.pid}`;
      try {
        writeDraft(draft, text);
        try {
          linkSync(draft, file);
        } finally {
          unlinkSync(draft);
        }
        return () => {
          try {
            if (readFileSync(file, 'utf8') === text) unlinkSync(file);
          } catch {
            // gone already: nothing to release
          }
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readHolder(file);
      if (!holder) continue;
      if (!stale(holder)) throw lockedError(dir, shown, holder);
      const broken = `${file}.broken-${process.pid}`;
      try {
        renameSync(file, broken);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      // another run may have broken the stale lock and taken a new one meanwhile: give it back
      if (readFileSync(broken, 'utf8') !== holder.text)
        try {
          linkSync(broken, file); // never over a lock taken since
        } catch {}
      unlinkSync(broken);
    }
  } catch (error) {
    if (error instanceof OutputLockedError) throw error;
    throw new FileAccessError(
      `cannot write output directory ${shown}: its lock ${file} cannot be taken: ${describeSystemError(error)} — the directory above it must be writable`,
    );
  }
  throw new FileAccessError(
    `cannot lock output directory ${shown}: ${file} keeps changing — is another k8sm-render starting?`,
  );
}
