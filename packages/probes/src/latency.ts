import { type ProbeReport, slowestMs } from './formats/report.js';
import { type Status, worst } from './verdict.js';

export interface LatencyThresholds {
  readonly warningMs?: number;
  readonly criticalMs?: number;
}

/**
 * `-w`/`-c`, as Nagios plugins take them: an ensemble whose slowest member that answered took
 * longer than a threshold is at least WARNING or CRITICAL, and its summary says who and how long.
 * A verdict already worse stands; members that did not answer are judged by the verdict alone.
 */
export function withLatencyThresholds(report: ProbeReport, thresholds: LatencyThresholds): ProbeReport {
  const { warningMs, criticalMs } = thresholds;
  if (warningMs === undefined && criticalMs === undefined) return report;
  const ensembles = report.ensembles.map((e) => {
    const slowest = slowestMs(e);
    if (slowest === undefined) return e;
    const over: [Status, string, number] | undefined =
      criticalMs !== undefined && slowest > criticalMs
        ? ['CRITICAL', '-c', criticalMs]
        : warningMs !== undefined && slowest > warningMs
          ? ['WARNING', '-w', warningMs]
          : undefined;
    if (!over) return e;
    const who = e.members.find((m) => m.result.ok && m.result.latencyMs === slowest)?.member;
    return {
      ...e,
      status: worst([e.status, over[0]]),
      summary: `${e.summary}; ${who} answered in ${(slowest / 1000).toFixed(3)} s, over ${over[1]} ${over[2] / 1000} s`,
    };
  });
  return {
    ...report,
    ensembles,
    status: worst(ensembles.map((e) => e.status)),
    latencyThresholds: thresholds,
  };
}
