import type { ProbeFormat } from './index.js';
import { label } from './prometheus.js';

/**
 * What each format prints when k8sm-probe could not judge at all (bad input: exit 3, UNKNOWN).
 * Nagios shows "(No output)" for a plugin that prints nothing, and a scrape of an empty
 * exposition cannot tell "no probe ran" from "nothing to report", so every format says UNKNOWN.
 */
export const UNKNOWN_FORMATS: Readonly<Record<ProbeFormat, (reason: string) => string>> = {
  table: () => 'overall: UNKNOWN (nothing was probed: the reason is on stderr)',
  nagios: (reason) => `K8SM UNKNOWN - ${reason.replaceAll('|', '/').replaceAll('\n', ' ')}`,
  json: (reason) => JSON.stringify({ status: 'UNKNOWN', reason, ensembles: [] }, null, 2),
  prometheus: (reason) =>
    [
      '# HELP k8sm_probe_status 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (nothing was probed: see reason).',
      '# TYPE k8sm_probe_status gauge',
      `k8sm_probe_status{reason="${label(reason)}"} 3`,
      '',
    ].join('\n'),
};
