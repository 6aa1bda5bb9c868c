import type { MemberResult } from './verdict.js';

/** One member of an ensemble as another member lists it. */
export interface ListedMember {
  /** ZooKeeper's server id (`server.N`), etcd's member id in hex */
  readonly id: string;
  /** where its clients reach it: `host:port` for ZooKeeper, a URL for etcd */
  readonly endpoint?: string;
  /** false for ZooKeeper observers and etcd learners, which do not vote */
  readonly voting: boolean;
}

/** The ensemble as one member lists it: its own id among the members'. */
export interface Membership {
  readonly self: string;
  readonly members: readonly ListedMember[];
  /** where the list came from, for the summary: "127.0.0.1:2181's conf" */
  readonly source: string;
}

/** What the members' lists say of the list given. */
export interface Discovery {
  /** the membership most of the answering members report */
  readonly membership: Membership;
  readonly voting: number;
  /** voting members the list given does not name, by their endpoint: to be probed too */
  readonly unlisted: readonly string[];
  /** members given that the membership does not name */
  readonly strangers: readonly string[];
  /** ids of voting members the list names without an endpoint (an etcd member not started yet) */
  readonly unaddressed: readonly string[];
}

const fingerprint = (m: Membership) =>
  m.members
    .map((x) => `${x.id}=${x.voting}`)
    .sort()
    .join(',');

/**
 * The real membership, from the members that answered (a per-host check names one member, and
 * the ensemble's size and quorum are the ensemble's, not the command line's). A given member is
 * matched by the id it reports for itself or, when it did not answer, by its endpoint.
 * Undefined when no member listed its ensemble.
 */
export function discoveryOf(
  given: readonly MemberResult[],
  sameEndpoint: (listed: string, given: string) => boolean,
): Discovery | undefined {
  const reports = given.flatMap((m) => (m.result.ok && m.membership ? [m.membership] : []));
  if (reports.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const r of reports) counts.set(fingerprint(r), (counts.get(fingerprint(r)) ?? 0) + 1);
  const membership = reports.reduce((a, b) =>
    (counts.get(fingerprint(b)) ?? 0) > (counts.get(fingerprint(a)) ?? 0) ? b : a,
  );
  const ids = new Set(membership.members.map((m) => m.id));
  const covered = new Set<string>();
  const strangers: string[] = [];
  for (const m of given) {
    const self = m.result.ok ? m.membership?.self : undefined;
    const byEndpoint = membership.members.find((x) => x.endpoint && sameEndpoint(x.endpoint, m.member));
    const id = self !== undefined && ids.has(self) ? self : byEndpoint?.id;
    if (id === undefined) strangers.push(m.member);
    else covered.add(id);
  }
  const unlisted = membership.members.flatMap((x) =>
    x.voting && !covered.has(x.id) && x.endpoint ? [x.endpoint] : [],
  );
  const unaddressed = membership.members.flatMap((x) =>
    x.voting && !covered.has(x.id) && !x.endpoint ? [x.id] : [],
  );
  return {
    membership,
    voting: membership.members.filter((x) => x.voting).length,
    unlisted,
    strangers,
    unaddressed,
  };
}
