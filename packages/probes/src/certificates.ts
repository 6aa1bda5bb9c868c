import type { ProbeReport } from './formats/report.js';
import { type Status, worst } from './verdict.js';

export interface CertificateThresholds {
  readonly warningDays?: number;
  readonly criticalDays?: number;
}

type Ensemble = ProbeReport['ensembles'][number];

const DAY_MS = 86_400_000;

/** Whole days the certificate has left at `now` (negative once expired). */
export const daysLeft = (notAfter: string, now: Date): number =>
  Math.floor((new Date(notAfter).getTime() - now.getTime()) / DAY_MS);

/** The member whose certificate expires first, and its days left; undefined when none showed one. */
export function soonestCertificate(e: Ensemble, now: Date): { member: string; days: number } | undefined {
  let soonest: { member: string; days: number } | undefined;
  for (const m of e.members) {
    if (!m.certificate) continue;
    const days = daysLeft(m.certificate.notAfter, now);
    if (!soonest || days < soonest.days) soonest = { member: m.member, days };
  }
  return soonest;
}

/**
 * `--cert-warning`/`--cert-critical` (days), as check_http's `-C w,c`: an ensemble a member of
 * which showed a certificate expiring sooner is at least WARNING or CRITICAL, its summary names
 * the member. A verdict already worse stands.
 */
export function withCertificateThresholds(
  report: ProbeReport,
  thresholds: CertificateThresholds,
  now = new Date(),
): ProbeReport {
  const { warningDays, criticalDays } = thresholds;
  if (warningDays === undefined && criticalDays === undefined) return report;
  const ensembles = report.ensembles.map((e) => {
    const soonest = soonestCertificate(e, now);
    if (!soonest) return e;
    const under: [Status, string, number] | undefined =
      criticalDays !== undefined && soonest.days < criticalDays
        ? ['CRITICAL', '--cert-critical', criticalDays]
        : warningDays !== undefined && soonest.days < warningDays
          ? ['WARNING', '--cert-warning', warningDays]
          : undefined;
    if (!under) return e;
    const when =
      soonest.days < 0 ? `expired ${-soonest.days} day(s) ago` : `expires in ${soonest.days} day(s)`;
    return {
      ...e,
      status: worst([e.status, under[0]]),
      summary: `${e.summary}; the certificate of ${soonest.member} ${when}, under ${under[1]} ${under[2]}`,
    };
  });
  return {
    ...report,
    ensembles,
    status: worst(ensembles.map((e) => e.status)),
    certificateThresholds: thresholds,
  };
}
