import { quorum } from '@k8sm/spec';
import type { ProbeResult } from './result.js';

export type Status = 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';
const RANK: Record<Status, number> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };
export const worst = (statuses: readonly Status[]): Status =>
  statuses.reduce<Status>((a, b) => (RANK[b] > RANK[a] ? b : a), 'OK');

export interface MemberResult {
  readonly member: string;
  readonly result: ProbeResult<object>;
  readonly leader: boolean;
}

export interface EnsembleVerdict {
  readonly system: string;
  readonly status: Status;
  readonly up: number;
  readonly total: number;
  readonly leaders: readonly string[];
  readonly majority: number;
  /** members that may still fail before quorum is lost (negative: already lost) */
  readonly tolerable: number;
  readonly summary: string;
  readonly members: readonly MemberResult[];
}

/**
 * Members up, leaders (none or more than one is CRITICAL), quorum held, failures still
 * tolerable. `needsLeader` is false for systems without one (apiservers, HAProxy backends).
 */
export function ensembleVerdict(
  system: string,
  members: readonly MemberResult[],
  needsLeader = true,
): EnsembleVerdict {
  const total = members.length;
  const up = members.filter((m) => m.result.ok).length;
  const leaders = members.filter((m) => m.result.ok && m.leader).map((m) => m.member);
  const q = quorum(Math.max(total, 1));
  const tolerable = up - q.majority;
  let status: Status = 'OK';
  let summary: string;
  if (!needsLeader) {
    // no election (apiservers, load-balanced servers): any member serves
    status = up === 0 ? 'CRITICAL' : up < total ? 'WARNING' : 'OK';
    summary = `${up}/${total} up`;
    return { system, status, up, total, leaders, majority: q.majority, tolerable: up - 1, summary, members };
  }
  if (leaders.length > 1) {
    status = 'CRITICAL';
    summary = `${leaders.length} leaders (${leaders.join(', ')}): split brain`;
  } else if (up >= q.majority && leaders.length === 0) {
    status = 'CRITICAL';
    summary = `${up}/${total} up but no leader`;
  } else if (up < q.majority) {
    status = 'CRITICAL';
    summary = `${up}/${total} up: quorum lost (majority ${q.majority})`;
  } else {
    status = up < total ? 'WARNING' : 'OK';
    summary = `${up}/${total} up, leader ${leaders[0]}, tolerates ${tolerable} more failure${tolerable === 1 ? '' : 's'}`;
  }
  return { system, status, up, total, leaders, majority: q.majority, tolerable, summary, members };
}
