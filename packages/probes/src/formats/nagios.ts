import type { ProbeReport } from './report.js';

/** One Nagios status line with perfdata. */
export function formatNagios(report: ProbeReport): string {
  const text = report.ensembles.map((e) => `${e.system}: ${e.summary}`).join('; ');
  const perf = report.ensembles
    .map((e) => {
      const name = e.system.replaceAll(/[^A-Za-z0-9_.-]/g, '_');
      return `'${name}_up'=${e.up};;;0;${e.total} '${name}_tolerable'=${e.tolerable}`;
    })
    .join(' ');
  return `K8SM ${report.status} - ${text} | ${perf}`;
}
