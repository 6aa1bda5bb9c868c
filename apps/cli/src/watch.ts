import { setTimeout as sleep } from 'node:timers/promises';

export interface WatchOptions<R> {
  /** pause between the end of one round and the start of the next */
  readonly intervalMs: number;
  readonly round: () => Promise<R>;
  /** whether `next` is worth printing after `previous` (undefined before the first round) */
  readonly changed: (previous: R | undefined, next: R) => boolean;
  readonly print: (result: R) => void;
  /** stop after this many rounds (tests); without it, only the stop signal ends the loop */
  readonly rounds?: number;
  /** ends the loop; by default SIGINT or SIGTERM */
  readonly signal?: AbortSignal;
}

/**
 * The one watch loop (`probe --watch`, `bridge --watch`): a round, then print it if it changed,
 * then wait, until stopped. A round in progress finishes; the wait does not. Returns the last result.
 */
export async function watch<R>(options: WatchOptions<R>): Promise<R | undefined> {
  const stop = options.signal ? undefined : stopOnSignals();
  const signal = options.signal ?? stop?.signal;
  let last: R | undefined;
  try {
    for (let round = 1; !signal?.aborted && round <= (options.rounds ?? Number.POSITIVE_INFINITY); round++) {
      const result = await options.round();
      if (options.changed(last, result)) options.print(result);
      last = result;
      if (round === options.rounds) break;
      await sleep(options.intervalMs, undefined, signal ? { signal } : {}).catch(() => undefined);
    }
  } finally {
    stop?.dispose();
  }
  return last;
}

/** An AbortSignal that SIGINT or SIGTERM aborts, while it is in use. */
function stopOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const end = () => controller.abort();
  process.once('SIGINT', end).once('SIGTERM', end);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', end).off('SIGTERM', end);
    },
  };
}
