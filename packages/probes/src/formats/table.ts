import type { Status } from '../verdict.js';
import type { ProbeReport } from './report.js';

export interface TableOptions {
  /** how a status word is shown (a terminal's colour); the word alone by default */
  readonly paint?: (status: Status, text: string) => string;
}

/** One line per ensemble and one per member, for people. */
export function formatTable(report: ProbeReport, options: TableOptions = {}): string {
  const paint = options.paint ?? ((_status: Status, text: string) => text);
  const lines: string[] = [];
  for (const e of report.ensembles) {
    // padded outside the paint, so a colour's escapes do not shift the columns
    lines.push(
      `${e.system.padEnd(10)} ${paint(e.status, e.status)}${' '.repeat(Math.max(1, 9 - e.status.length))}${e.summary}`,
    );
    e.members.forEach((m, i) => {
      const d = e.details[i] ?? {};
      const state = m.result.ok
        ? `${m.leader ? 'leader*' : typeof d.mode === 'string' ? d.mode : 'up'}`.padEnd(10) +
          `${Math.round(m.result.latencyMs * 10) / 10} ms`
        : `DOWN      ${m.result.reason}: ${m.result.message}`;
      lines.push(`  ${m.member.padEnd(32)} ${state}`);
    });
  }
  lines.push(`overall: ${paint(report.status, report.status)}`);
  return lines.join('\n');
}
