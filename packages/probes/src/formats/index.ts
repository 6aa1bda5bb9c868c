import { formatJson, formatJsonLine } from './json.js';
import { formatNagios } from './nagios.js';
import { formatPrometheus } from './prometheus.js';
import type { ProbeReport } from './report.js';
import { formatTable } from './table.js';

export type { TableOptions } from './table.js';

/** Every output format of a probe report, by the name the CLI flag gives it. */
export const PROBE_FORMATS = {
  table: (report: ProbeReport) => formatTable(report),
  json: formatJson,
  prometheus: formatPrometheus,
  nagios: formatNagios,
} as const satisfies Record<string, (report: ProbeReport) => string>;

export type ProbeFormat = keyof typeof PROBE_FORMATS;

export { formatHtml } from './html.js';
export { exitCodeOf, type ProbeReport, STATUS_CODE } from './report.js';
export { UNKNOWN_FORMATS } from './unknown.js';
export { WATCH_FORMATS } from './watch.js';
export { formatJson, formatJsonLine, formatNagios, formatPrometheus, formatTable };
