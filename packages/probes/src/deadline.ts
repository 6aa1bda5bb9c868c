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
 * The work's answer, or `late()` once `ms` have passed. undici neither aborts a TLS handshake on
 * its signal nor fires its connect timeout on time (its timers tick every 500 ms, measured: a
 * stalled handshake answered after 1513 ms at a 1000 ms timeout), so the deadline is kept here.
 */
export function withinMs<T>(work: Promise<T>, ms: number, late: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late()), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
