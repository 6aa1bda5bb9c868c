import { soonestCertificate } from '../certificates.js';
import { type ProbeReport, slowestMs } from './report.js';

const seconds = (ms: number) => `${Math.round(ms) / 1000}s`;

/**
 * One Nagios status line with perfdata per ensemble: members up of those counted, the failures
 * still tolerable where a quorum elects, and the slowest member's latency with the -w/-c
 * thresholds given, and the days left on the certificate that expires first with the
 * --cert-warning/--cert-critical limits (Nagios plugin guidelines: 'label'=value[UOM];warn;crit;min;max).
 */
export function formatNagios(report: ProbeReport): string {
  const text = report.ensembles.map((e) => `${e.system}: ${e.summary}`).join('; ');
  const seen = new Map<string, number>();
  const { warningMs, criticalMs } = report.latencyThresholds ?? {};
  const limits = `${warningMs === undefined ? '' : seconds(warningMs).slice(0, -1)};${
    criticalMs === undefined ? '' : seconds(criticalMs).slice(0, -1)
  }`;
  const days = report.certificateThresholds ?? {};
  // days left alert below the limit: a Nagios range `n:` (the plain `n` would mean above n)
  const dayLimits = `${days.warningDays === undefined ? '' : `${days.warningDays}:`};${
    days.criticalDays === undefined ? '' : `${days.criticalDays}:`
  }`;
  const now = report.at ? new Date(report.at) : new Date();
  const perf = report.ensembles
    .map((e) => {
      const base = e.system.replaceAll(/[^A-Za-z0-9_.-]/g, '_');
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      const name = n === 1 ? base : `${base}_${n}`;
      const slowest = slowestMs(e);
      const cert = soonestCertificate(e, now);
      return [
        `'${name}_up'=${e.up};;;0;${e.total}`,
        ...(e.election === 'none' ? [] : [`'${name}_tolerable'=${e.tolerable}`]),
        ...(slowest === undefined ? [] : [`'${name}_latency'=${seconds(slowest)};${limits};0`]),
        ...(cert === undefined ? [] : [`'${name}_cert_days'=${cert.days};${dayLimits}`]),
      ].join(' ');
    })
    .join(' ');
  return `K8SM ${report.status} - ${text} | ${perf}`;
}
