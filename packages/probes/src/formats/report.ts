import type { EnsembleVerdict, Status } from '../verdict.js';

/** What one probe run found: every ensemble's verdict, with each member's details. */
export interface ProbeReport {
  readonly status: Status;
  readonly ensembles: readonly (EnsembleVerdict & { readonly details: readonly Record<string, unknown>[] })[];
}

/** The Nagios plugin codes, which k8sm-probe also exits with. */
export const STATUS_CODE: Readonly<Record<Status, 0 | 1 | 2 | 3>> = {
  OK: 0,
  WARNING: 1,
  CRITICAL: 2,
  UNKNOWN: 3,
};
export const exitCodeOf = (status: Status): 0 | 1 | 2 | 3 => STATUS_CODE[status];
