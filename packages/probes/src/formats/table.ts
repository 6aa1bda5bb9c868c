import type { ProbeReport } from './report.js';

/** One line per ensemble and one per member, for people. */
export function formatTable(report: ProbeReport): string {
  const lines: string[] = [];
  for (const e of report.ensembles) {
    lines.push(`${e.system.padEnd(10)} ${e.status.padEnd(8)} ${e.summary}`);
    e.members.forEach((m, i) => {
      const d = e.details[i] ?? {};
      const state = m.result.ok
        ? `${m.leader ? 'leader*' : typeof d.mode === 'string' ? d.mode : 'up'}`.padEnd(10) +
          `${Math.round(m.result.latencyMs * 10) / 10} ms`
        : `DOWN      ${m.result.reason}: ${m.result.message}`;
      lines.push(`  ${m.member.padEnd(32)} ${state}`);
    });
  }
  lines.push(`overall: ${report.status}`);
  return lines.join('\n');
}
