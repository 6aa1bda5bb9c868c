/**
 * One deadline per member: `--timeout` bounds the member's whole probe, every sequential request
 * and the TLS handshake, not each request on its own (at --timeout 1 an etcd member took 4.8 s).
 */
export interface Deadline {
  /** `performance.now()` at which the member's probe must have its verdict */
  readonly at: number;
  /** the whole budget, for messages */
  readonly budgetMs: number;
}

export const deadlineIn = (budgetMs: number): Deadline => ({ at: performance.now() + budgetMs, budgetMs });

export const remainingMs = (deadline: Deadline): number => Math.max(0, deadline.at - performance.now());

/**
 * One request's time: what the member's deadline has left, or its own timeout when it has none
 * (a library caller). `budgetMs` is the whole budget, which messages name.
 */
export function timeLeft(options: { readonly deadline?: Deadline; readonly timeoutMs?: number }): {
  readonly budgetMs: number;
  readonly timeoutMs: number;
} {
  const budgetMs = options.deadline?.budgetMs ?? options.timeoutMs ?? 2000;
  return { budgetMs, timeoutMs: options.deadline ? remainingMs(options.deadline) : budgetMs };
}

/**
 * The work's answer, or `late()` once `ms` have passed. undici 7.30 fails an aborted request that
 * waits for its socket only when the connect ends (lib/api/api-request.js, onConnect), and runs its
 * connect timeout on a timer of 1 s resolution (lib/util/timers.js, RESOLUTION_MS): measured, a
 * stalled TLS handshake answered after 1513 ms at a 1000 ms timeout. So the deadline is kept here.
 */
export function withinMs<T>(work: Promise<T>, ms: number, late: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late()), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
