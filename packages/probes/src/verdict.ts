import { quorum } from '@k8sm/spec';
import { judgedWithCredentials } from './credentials.js';
import type { PeerCertificate } from './http.js';
import type { Discovery, Membership } from './membership.js';
import { fail, type ProbeResult } from './result.js';

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
  /**
   * The election the member is in: ZooKeeper's zxid epoch, etcd's raft term. Of two members that
   * both say they lead, the one of the older election is a stale leader, not a split brain.
   */
  readonly term?: { readonly value: number; readonly name: string };
  /** the cluster it says it belongs to (etcd's `cluster_id`, in hex) */
  readonly cluster?: string;
  /** the ensemble as it lists it (ZooKeeper's conf, etcd's member list) */
  readonly membership?: Membership;
  /**
   * What the probe could not read on this up member, and the fix, without the member's name (the
   * same words from several members are one note naming them all): makes an OK a WARNING.
   */
  readonly partial?: string;
  /** the certificate it presented in the probe's TLS handshake */
  readonly certificate?: PeerCertificate;
}

/**
 * `quorum`: a majority elects one leader (ZooKeeper, etcd, Mesos masters). `standbys`: one
 * leader, the others wait to take over, no majority needed (Marathon). `none`: any member serves.
 */
export type Election = 'quorum' | 'standbys' | 'none';

export interface EnsembleVerdict {
  readonly system: string;
  readonly status: Status;
  /** how it elects: `none` (apiservers, HAProxy backends) has no quorum to report */
  readonly election?: Election;
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
  /** members that answered for another cluster, and leaders of an older election, set apart */
  readonly foreign?: readonly string[];
  readonly staleLeaders?: readonly string[];
  /** members the list given did not name, found in the members' own list and probed too */
  readonly discovered?: readonly string[];
  /** members given that the members' own list does not name: not counted */
  readonly strangers?: readonly string[];
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
  discovery?: Discovery,
): EnsembleVerdict => ({
  ...judgedWithCredentials(countedVerdict(system, members, election, discovery)),
  election: election === true ? 'quorum' : election === false ? 'none' : election,
});

/**
 * The cluster most members say they belong to (ties: the first member's); undefined when the
 * members do not say or all agree.
 */
function clusterOfMost(members: readonly MemberResult[]): string | undefined {
  const said = members.filter((m) => m.result.ok && m.cluster !== undefined).map((m) => m.cluster as string);
  if (new Set(said).size < 2) return undefined;
  const count = (c: string) => said.filter((x) => x === c).length;
  return said.reduce((best, c) => (count(c) > count(best) ? c : best), said[0] as string);
}

/**
 * A member of another cluster (an unrelated etcd in the list) is set apart as `foreign`, not
 * counted; of several members that say they lead, those of an older election (a ZooKeeper leader
 * just after SIGCONT, still at its old epoch with no synced follower) are stale, not leaders.
 */
function settled(
  members: readonly MemberResult[],
  majority: (total: number) => number,
): { members: MemberResult[]; foreign: string[]; stale: string[]; notes: string[] } {
  const ours = clusterOfMost(members);
  const notes: string[] = [];
  const foreign: string[] = [];
  let out = members.map((m) => {
    if (ours === undefined || !m.result.ok || m.cluster === undefined || m.cluster === ours) return m;
    foreign.push(m.member);
    return {
      ...m,
      leader: false,
      result: fail(
        'foreign',
        `${m.member}: a member of another cluster (cluster_id ${m.cluster}, the others' ${ours}): not counted; take it out of this list`,
      ),
    };
  });
  if (foreign.length > 0)
    notes.push(`${plural(foreign.length, 'member')} of another cluster not counted (${foreign.join(', ')})`);
  const leaders = out.filter((m) => m.result.ok && m.leader);
  const stale = new Set<string>();
  if (leaders.length > 1) {
    const terms = leaders.map((m) => m.term?.value);
    if (terms.every((v) => v !== undefined)) {
      const newest = Math.max(...(terms as number[]));
      for (const m of leaders)
        if ((m.term?.value ?? newest) < newest) {
          stale.add(m.member);
          notes.push(
            `${m.member} still says it leads at ${m.term?.name} ${m.term?.value}, older than the leader's ${newest}: a stale leader stepping down`,
          );
        }
    }
    // the same election (or none said): a leader without the synced followers a quorum needs
    // cannot commit, so where exactly one has them, the others are stale
    const left = leaders.filter((m) => !stale.has(m.member));
    const need = majority(out.length - foreign.length) - 1;
    const backed = left.filter((m) => (m.self?.syncedFollowers ?? -1) >= need);
    if (left.length > 1 && backed.length === 1)
      for (const m of left)
        if (m !== backed[0] && m.self?.syncedFollowers !== undefined) {
          stale.add(m.member);
          notes.push(
            `${m.member} still says it leads with ${plural(m.self.syncedFollowers, 'synced follower')}: a stale leader stepping down`,
          );
        }
    out = out.map((m) => (stale.has(m.member) ? { ...m, leader: false } : m));
  }
  return { members: out, foreign, stale: [...stale], notes };
}

/** The verdict from the members counted, before any refused TLS or credentials are considered. */
function countedVerdict(
  system: string,
  given: readonly MemberResult[],
  election: Election | boolean,
  discovery: Discovery | undefined,
): EnsembleVerdict {
  const kind: Election = election === true ? 'quorum' : election === false ? 'none' : election;
  const partial = partialNotes(given);
  const only = given.length === 1 ? given[0] : undefined;
  const alone = only && kind !== 'none' && !discovery ? judgedByItself(system, only, kind) : undefined;
  if (alone) return noted(alone, partial);
  const known = discovery ? withoutStrangers(given, discovery) : { members: given, notes: [], strangers: [] };
  const { members, foreign, stale, notes } = settled(
    known.members,
    (n) => quorum(Math.max(discovery?.voting ?? n, 1)).majority,
  );
  const counted = discovery ? discovery.voting : members.length - foreign.length;
  const verdict = noted(countedOf(system, members, counted, kind), [...known.notes, ...notes, ...partial]);
  const found = discovery?.unlisted ?? [];
  return {
    ...verdict,
    // members found beyond the list are news, not a fault: a per-host check names one member
    ...(found.length > 0
      ? {
          discovered: found,
          summary: `${verdict.summary}; probed ${found.length} more ${found.length === 1 ? 'member' : 'members'} from ${discovery?.membership.source} (${found.join(', ')})`,
        }
      : {}),
    ...(known.strangers.length > 0 ? { strangers: known.strangers } : {}),
    ...(foreign.length > 0 ? { foreign } : {}),
    ...(stale.length > 0 ? { staleLeaders: stale } : {}),
  };
}

/**
 * Members given that the ensemble's own list does not name are not counted: one that answers
 * belongs to another ensemble, one that does not is a stale entry in the list.
 */
function withoutStrangers(
  given: readonly MemberResult[],
  discovery: Discovery,
): { members: MemberResult[]; notes: string[]; strangers: string[] } {
  // a member of another etcd cluster is told by its cluster_id, in settled()
  const ours = clusterOfMost(given);
  const otherCluster = new Set(
    given
      .filter((m) => ours !== undefined && m.cluster !== undefined && m.cluster !== ours)
      .map((m) => m.member),
  );
  const strangers = new Set(discovery.strangers.filter((m) => !otherCluster.has(m)));
  if (strangers.size === 0) return { members: [...given], notes: [], strangers: [] };
  const source = discovery.membership.source;
  const members = given.map((m) =>
    strangers.has(m.member) && m.result.ok
      ? {
          ...m,
          leader: false,
          result: fail(
            'foreign',
            `${m.member}: answers, but ${source} does not name it: another ensemble's member, not counted; take it out of this list`,
          ),
        }
      : m,
  );
  return {
    members,
    strangers: [...strangers],
    notes: [
      `${[...strangers].join(', ')} ${strangers.size === 1 ? 'is' : 'are'} listed but not in ${source}: not counted; take ${strangers.size === 1 ? 'it' : 'them'} out of the list`,
    ],
  };
}

function partialNotes(members: readonly MemberResult[]): string[] {
  const by = new Map<string, string[]>();
  for (const m of members)
    if (m.result.ok && m.partial) by.set(m.partial, [...(by.get(m.partial) ?? []), m.member]);
  return [...by].map(([text, names]) => `${names.join(', ')}: ${text}`);
}

/** Notes to an operator: each goes into the summary, and an OK with notes is a WARNING. */
/** Notes that make an OK a WARNING, appended to the summary; a worse status stands. */
export function noted(verdict: EnsembleVerdict, notes: readonly string[]): EnsembleVerdict {
  if (notes.length === 0) return verdict;
  return {
    ...verdict,
    status: verdict.status === 'OK' ? 'WARNING' : verdict.status,
    summary: `${verdict.summary}; ${notes.join('; ')}`,
  };
}

/** Up, leaders and quorum over the members counted (`total` of them: members of another cluster are not). */
function countedOf(
  system: string,
  members: readonly MemberResult[],
  total: number,
  kind: Election,
): EnsembleVerdict {
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
    // members that still follow a leader which did not answer: the leader just died and the
    // election is not over (etcd's followers name the dead one for an election timeout), or the
    // probe cannot reach a leader that its peers can: the majority stands either way
    // (of a listed ensemble: a member alone that reports no larger one is not judged by its report)
    const named =
      total < 2
        ? []
        : [
            ...new Set(
              members.flatMap((m) => (m.result.ok && m.self?.leader !== undefined ? [m.self.leader] : [])),
            ),
          ];
    status = named.length > 0 ? 'WARNING' : 'CRITICAL';
    summary =
      named.length > 0
        ? `${up}/${total} up, no leader among them: they follow ${named.map((l) => (l === true ? 'a leader' : `leader ${l}`)).join(' and ')} that did not answer (an election under way, or the leader unreachable from here)`
        : `${up}/${total} up but no leader`;
  } else if (up < q.majority) {
    status = 'CRITICAL';
    summary = `${up}/${total} up: quorum lost (majority ${q.majority})`;
  } else {
    status = up < total ? 'WARNING' : 'OK';
    summary = `${up}/${total} up, leader ${leaders[0]}, tolerates ${plural(tolerable, 'more failure')}`;
  }
  return { system, status, up, total, leaders, majority: q.majority, tolerable, summary, members };
}
