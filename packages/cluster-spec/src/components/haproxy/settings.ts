import { HAPROXY_DEFAULTS as D } from './facts.js';
import type { HaproxySpec } from './schema.js';

/** The stats listener with its default address: read by the plan and by the port checks. */
export type HaproxyStats = NonNullable<HaproxySpec['stats']> & { readonly address: string };

export function haproxyStats(ha: HaproxySpec | undefined): HaproxyStats | undefined {
  const stats = ha?.stats;
  return stats && { ...stats, address: stats.address ?? D.stats.address };
}
