/** Majority arithmetic shared by ZooKeeper, etcd and the Mesos replicated log. */
export interface Quorum {
  /** members in the ensemble */
  readonly members: number;
  /** smallest strict majority: floor(n/2)+1 */
  readonly majority: number;
  /** members that may fail while a majority remains */
  readonly tolerates: number;
  /** even sizes tolerate no more failures than the odd size below them */
  readonly even: boolean;
}

export function quorum(members: number): Quorum {
  if (!Number.isInteger(members) || members < 1) {
    throw new RangeError(`an ensemble needs at least 1 member, got ${members}`);
  }
  const majority = Math.floor(members / 2) + 1;
  return { members, majority, tolerates: members - majority, even: members % 2 === 0 };
}

/** One line an operator can read: "3 members: majority 2, tolerates 1 failure". */
export function describeQuorum(q: Quorum): string {
  const failures = q.tolerates === 1 ? 'failure' : 'failures';
  const base = `${q.members} member${q.members === 1 ? '' : 's'}: majority ${q.majority}, tolerates ${q.tolerates} ${failures}`;
  if (!q.even) return base;
  return `${base}, the same as ${q.members - 1} member${q.members - 1 === 1 ? '' : 's'}: an even size adds a machine that can fail, not tolerance`;
}
