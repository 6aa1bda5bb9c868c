import { quorum } from '@k8sm/spec';
import { judgedWithCredentials } from './credentials.js';
import type { ProbeResult } from './result.js';

export type Status = 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';
const RANK: Record<Status, number> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };
export const worst = (statuses: readonly Status[]): Status =>
  statuses.reduce<Status>((a, b) => (RANK[b] > RANK[a] ? b : a), 'OK');

/**
 * What an up member says of its own ensemble, so one member probed alone can be judged: the
 * number of voting members, and the leader it is synced to (a ZooKeeper follower serves only
 * then; an etcd member names it in its status).
 */
export interface SelfReport {
  /** voting members, as the member counts them; undefined when it does not say (ZooKeeper 3.4) */
  readonly size?: number;
  /** the leader it follows, or `true` when it follows one it does not name */
  readonly leader?: string | true;
  /** for a leader: followers synced to it, when it says */
  readonly syncedFollowers?: number;
  /** where the report came from, printed in the summary */
  readonly source: string;
}

export interface MemberResult {
  readonly member: string;
  readonly result: ProbeResult<object>;
  readonly leader: boolean;
  readonly self?: SelfReport;
}

/**
 * `quorum`: a majority elects one leader (ZooKeeper, etcd, Mesos masters). `standbys`: one
 * leader, the others wait to take over, no majority needed (Marathon). `none`: any member serves.
 */
export type Election = 'quorum' | 'standbys' | 'none';

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
  /** set when one member was probed alone and judged by its own report of the ensemble */
  readonly reportedSize?: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * One member given alone (a per-host check): judged by what it says of its ensemble. A follower
 * synced to a leader proves a quorum exists; a leader is judged on its synced followers.
 * Undefined when the member does not report an ensemble larger than itself.
 */
function judgedByItself(system: string, only: MemberResult, kind: Election): EnsembleVerdict | undefined {
  const self = only.result.ok ? only.self : undefined;
  if (!self || (self.size ?? 2) < 2) return undefined;
  const size = self.size;
  const majority = size === undefined ? 0 : quorum(size).majority;
  const of = size === undefined ? '1 member probed' : `1 of ${size} members probed`;
  const from = `${kind === 'standbys' ? 'leader' : 'quorum'} judged from the member's own report (${self.source})`;
  const base = {
    system,
    up: 1,
    total: 1,
    majority,
    members: [only],
    ...(size ? { reportedSize: size } : {}),
  };
  if (only.leader) {
    const synced = self.syncedFollowers;
    const leaders = [only.member];
    if (synced !== undefined && size !== undefined && synced + 1 < majority)
      return {
        ...base,
        leaders,
        status: 'CRITICAL',
        tolerable: synced + 1 - majority,
        summary: `${of}: leader with ${plural(synced, 'synced follower')}, below the majority of ${majority}; ${from}`,
      };
    const tolerable = synced !== undefined && size !== undefined ? synced + 1 - majority : 0;
    return {
      ...base,
      leaders,
      status: 'OK',
      tolerable,
      summary: `${of}: leader${synced === undefined ? '' : ` with ${plural(synced, 'synced follower')}`}; ${from}`,
    };
  }
  if (self.leader === undefined) return undefined;
  return {
    ...base,
    leaders: [],
    status: 'OK',
    // a quorum exists, so at least a majority is up: no more failures are known to be tolerable
    tolerable: 0,
    summary: `${of}: ${kind === 'standbys' ? 'standby' : 'follower'} of ${self.leader === true ? 'a leader' : `leader ${self.leader}`}; ${from}`,
  };
}

/**
 * Members up, leaders (none or more than one is CRITICAL), quorum held, failures still
 * tolerable. `needsLeader` is false for systems without one (apiservers, HAProxy backends).
 */
export const ensembleVerdict = (
  system: string,
  members: readonly MemberResult[],
  election: Election | boolean = 'quorum',
): EnsembleVerdict => judgedWithCredentials(countedVerdict(system, members, election));

/** The verdict from the members counted, before any refused TLS or credentials are considered. */
function countedVerdict(
  system: string,
  members: readonly MemberResult[],
  election: Election | boolean,
): EnsembleVerdict {
  const kind: Election = election === true ? 'quorum' : election === false ? 'none' : election;
  const only = members.length === 1 ? members[0] : undefined;
  const alone = only && kind !== 'none' ? judgedByItself(system, only, kind) : undefined;
  if (alone) return alone;
  const total = members.length;
  const up = members.filter((m) => m.result.ok).length;
  const leaders = members.filter((m) => m.result.ok && m.leader).map((m) => m.member);
  const q = quorum(Math.max(total, 1));
  const tolerable = up - q.majority;
  let status: Status = 'OK';
  let summary: string;
  if (kind === 'none') {
    // no election (apiservers, load-balanced servers): any member serves
    status = up === 0 ? 'CRITICAL' : up < total ? 'WARNING' : 'OK';
    summary = `${up}/${total} up`;
    return { system, status, up, total, leaders, majority: q.majority, tolerable: up - 1, summary, members };
  }
  if (kind === 'standbys') {
    // Marathon: the leader serves alone, standbys only wait to take over (no majority)
    const missing = total - up;
    if (leaders.length > 1) {
      status = 'CRITICAL';
      summary = `${leaders.length} leaders (${leaders.join(', ')}): split brain`;
    } else if (leaders.length === 0) {
      status = 'CRITICAL';
      summary = up === 0 ? `0/${total} up` : `${up}/${total} up but no leader`;
    } else {
      status = missing > 0 ? 'WARNING' : 'OK';
      summary = `${up}/${total} up, leader ${leaders[0]}, ${plural(up - 1, 'standby')}${
        missing > 0 ? `, ${missing} missing` : ''
      }`;
    }
    return { system, status, up, total, leaders, majority: 1, tolerable: up - 1, summary, members };
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
    summary = `${up}/${total} up, leader ${leaders[0]}, tolerates ${plural(tolerable, 'more failure')}`;
  }
  return { system, status, up, total, leaders, majority: q.majority, tolerable, summary, members };
}
