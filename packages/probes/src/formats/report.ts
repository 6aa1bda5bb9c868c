import type { EnsembleVerdict, Status } from '../verdict.js';

/** What one probe run found: every ensemble's verdict, with each member's details. */
export interface ProbeReport {
  readonly status: Status;
  readonly ensembles: readonly (EnsembleVerdict & {
    readonly details: readonly Record<string, unknown>[];
    /** the system probed (`zookeeper`, `haproxy`, …); `system` when not given */
    readonly kind?: string;
    /** the ensemble's name, stable from run to run: its members as given, an HAProxy backend */
    readonly name?: string;
  })[];
  /** `-w`/`-c`: the slowest member's latency that makes an ensemble WARNING or CRITICAL */
  readonly latencyThresholds?: { readonly warningMs?: number; readonly criticalMs?: number };
  /** `--cert-warning`/`--cert-critical`: days left on a member's certificate */
  readonly certificateThresholds?: { readonly warningDays?: number; readonly criticalDays?: number };
  /** when the probe ran: certificate days are counted from it */
  readonly at?: string;
}

/**
 * Each ensemble's kind and a name unique in the report (the same members given twice get `#2`),
 * so metrics and perfdata never repeat a series.
 */
export function ensembleLabels(report: ProbeReport): { kind: string; name: string }[] {
  const seen = new Map<string, number>();
  return report.ensembles.map((e) => {
    const kind = e.kind ?? e.system;
    const base = e.name ?? e.system;
    const n = (seen.get(`${kind}\0${base}`) ?? 0) + 1;
    seen.set(`${kind}\0${base}`, n);
    return { kind, name: n === 1 ? base : `${base} #${n}` };
  });
}

/** The slowest member that answered, in milliseconds; undefined when none did. */
export function slowestMs(ensemble: ProbeReport['ensembles'][number]): number | undefined {
  const times = ensemble.members.flatMap((m) => (m.result.ok ? [m.result.latencyMs] : []));
  return times.length === 0 ? undefined : Math.max(...times);
}

/** The Nagios plugin codes, which k8sm-probe also exits with. */
export const STATUS_CODE: Readonly<Record<Status, 0 | 1 | 2 | 3>> = {
  OK: 0,
  WARNING: 1,
  CRITICAL: 2,
  UNKNOWN: 3,
};
export const exitCodeOf = (status: Status): 0 | 1 | 2 | 3 => STATUS_CODE[status];
