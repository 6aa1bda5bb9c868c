import { formatJsonLine } from './json.js';
import { formatNagios } from './nagios.js';
import { formatPrometheus } from './prometheus.js';
import type { ProbeReport } from './report.js';
import { formatTable, type TableOptions } from './table.js';

/**
 * What `--watch` prints for one round, by format. Each round stays valid for its consumer: JSON is
 * one NDJSON line with the time inside; Prometheus is a whole exposition whose first line is a
 * comment carrying the time (the text format ignores `#` lines that are not HELP or TYPE); a
 * table and a Nagios line get the time on a line of their own, for people reading a terminal.
 */
const stamped =
  (format: (report: ProbeReport) => string) =>
  (report: ProbeReport, time: Date): string =>
    `${time.toISOString()}\n${format(report)}\n`;

export const WATCH_FORMATS = {
  table: (report: ProbeReport, time: Date, options?: TableOptions) =>
    stamped((r) => formatTable(r, options))(report, time),
  json: (report: ProbeReport, time: Date) => `${formatJsonLine(report, time)}\n`,
  prometheus: (report: ProbeReport, time: Date) =>
    `# k8sm-probe round at ${time.toISOString()}\n${formatPrometheus(report)}`,
  nagios: stamped(formatNagios),
} as const satisfies Record<string, (report: ProbeReport, time: Date) => string>;
