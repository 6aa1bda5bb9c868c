import test from 'ava';
import { ensembleVerdict, epochOfZxid, fail, type MemberResult } from '../src/index.js';

// Leaders judged on their election, members on their cluster: the verdicts real ensembles gave
// (issue 15) are checked against real ZooKeeper and etcd in apps/cli/test/probe-elections.test.ts.

const member = (
  name: string,
  leader: boolean,
  extra: Partial<Pick<MemberResult, 'term' | 'cluster' | 'self' | 'partial'>> = {},
): MemberResult => ({ member: name, leader, result: { ok: true, latencyMs: 1 }, ...extra });

const epoch = (value: number) => ({ term: { value, name: 'zxid epoch' } });

test('the epoch of a zxid is its high 32 bits; anything else is not a zxid', (t) => {
  t.is(epochOfZxid('0x100000002'), 1);
  t.is(epochOfZxid('0x3000000000'), 0x30);
  t.is(epochOfZxid('0xffffffff00000000'), 0xffffffff);
  t.is(epochOfZxid('0x2'), 0);
  t.is(epochOfZxid(''), undefined);
  t.is(epochOfZxid('1234'), undefined);
});

test('a leader of an older epoch beside the leader of the newest is stale: WARNING, not split brain', (t) => {
  const v = ensembleVerdict('zookeeper', [
    member('a:2181', true, epoch(1)),
    member('b:2181', true, epoch(2)),
    member('c:2181', false, epoch(2)),
  ]);
  t.is(v.status, 'WARNING');
  t.deepEqual(v.leaders, ['b:2181']);
  t.deepEqual(v.staleLeaders, ['a:2181']);
  t.regex(
    v.summary,
    /^3\/3 up, leader b:2181, tolerates 1 more failure; a:2181 still says it leads at zxid epoch 1, older than the leader's 2: a stale leader stepping down$/,
  );
});

test('two leaders of the same epoch are a split brain', (t) => {
  const v = ensembleVerdict('zookeeper', [
    member('a:2181', true, epoch(2)),
    member('b:2181', true, epoch(2)),
    member('c:2181', false, epoch(2)),
  ]);
  t.is(v.status, 'CRITICAL');
  t.regex(v.summary, /^2 leaders \(a:2181, b:2181\): split brain$/);
});

test('of two leaders that do not say their epoch, the one without the synced followers a quorum needs is stale', (t) => {
  const synced = (n: number) => ({ self: { syncedFollowers: n, source: 'mntr' } });
  const v = ensembleVerdict('zookeeper', [
    member('a:2181', true, synced(0)),
    member('b:2181', true, synced(1)),
    member('c:2181', false),
  ]);
  t.is(v.status, 'WARNING');
  t.deepEqual(v.leaders, ['b:2181']);
  t.regex(v.summary, /a:2181 still says it leads with 0 synced followers: a stale leader stepping down/);
  // both backed by a quorum (impossible in one ensemble): still a split brain
  const both = ensembleVerdict('zookeeper', [
    member('a:2181', true, synced(1)),
    member('b:2181', true, synced(1)),
    member('c:2181', false),
  ]);
  t.is(both.status, 'CRITICAL');
});

test('a member of another cluster is foreign: not counted, not a second leader, and the list is flagged', (t) => {
  const ours = (name: string, leader: boolean) =>
    member(name, leader, { cluster: 'c0ffee', term: { value: 7, name: 'raft term' } });
  const v = ensembleVerdict('etcd', [
    ours('http://a:2379', true),
    ours('http://b:2379', false),
    ours('http://c:2379', false),
    member('http://other:2379', true, { cluster: 'beef', term: { value: 2, name: 'raft term' } }),
  ]);
  t.is(v.status, 'WARNING');
  t.like(v, { up: 3, total: 3, majority: 2, tolerable: 1 });
  t.deepEqual(v.leaders, ['http://a:2379']);
  t.deepEqual(v.foreign, ['http://other:2379']);
  const foreign = v.members[3]?.result;
  t.true(foreign !== undefined && !foreign.ok && foreign.reason === 'foreign');
  t.regex(
    v.summary,
    /^3\/3 up, leader http:\/\/a:2379, tolerates 1 more failure; 1 member of another cluster not counted \(http:\/\/other:2379\)$/,
  );
  // one member each of two clusters: the first listed is taken as ours
  const pair = ensembleVerdict('etcd', [
    member('http://a:2379', true, { cluster: 'x' }),
    member('http://b:2379', true, { cluster: 'y' }),
  ]);
  t.deepEqual(pair.leaders, ['http://a:2379']);
  t.deepEqual(pair.foreign, ['http://b:2379']);
});

test('members whose whitelist hides mntr are judged on srvr, and noted once naming them all: OK becomes WARNING', (t) => {
  const partial = 'its 4lw.commands.whitelist refuses mntr, so … cannot be read';
  const v = ensembleVerdict('zookeeper', [
    member('a:2181', true, { partial }),
    member('b:2181', false, { partial }),
    member('c:2181', false),
  ]);
  t.is(v.status, 'WARNING');
  t.is(v.up, 3);
  t.deepEqual(v.leaders, ['a:2181']);
  t.is(v.summary.split(partial).length, 2, v.summary);
  t.regex(v.summary, /; a:2181, b:2181: its 4lw\.commands\.whitelist refuses mntr/);
  // a down member's partial is not news
  const down = ensembleVerdict('zookeeper', [
    member('a:2181', true),
    member('b:2181', false),
    { member: 'c:2181', leader: false, result: fail('refused', 'c:2181: refused'), partial },
  ]);
  t.is(down.status, 'WARNING');
  t.notRegex(down.summary, /whitelist/);
  // a follower probed alone keeps its self-judged verdict, with the note
  const alone = ensembleVerdict('zookeeper', [
    member('b:2181', false, { partial, self: { leader: true, source: 'Mode: follower' } }),
  ]);
  t.is(alone.status, 'WARNING');
  t.regex(alone.summary, /b:2181: its 4lw/);
});

test('a majority up that still follows a leader which did not answer is an election under way: WARNING, not "no leader"', (t) => {
  const follows = (name: string) =>
    member(name, false, { self: { size: 3, leader: 'df2ac1f686b45fe', source: 'its status names leader' } });
  const v = ensembleVerdict('etcd', [
    follows('http://a:2379'),
    { member: 'http://b:2379', leader: false, result: fail('refused', 'http://b:2379: refused') },
    follows('http://c:2379'),
  ]);
  t.like(v, { status: 'WARNING', up: 2, tolerable: 0 });
  t.deepEqual(v.leaders, []);
  t.regex(
    v.summary,
    /^2\/3 up, no leader among them: they follow leader df2ac1f686b45fe that did not answer/,
  );
  // members that say nothing of a leader are still "no leader", CRITICAL
  const silent = ensembleVerdict('etcd', [member('http://a:2379', false), member('http://c:2379', false)]);
  t.like(silent, { status: 'CRITICAL', summary: '2/2 up but no leader' });
  // and a minority that follows is still quorum lost
  const minority = ensembleVerdict('etcd', [
    follows('http://a:2379'),
    { member: 'http://b:2379', leader: false, result: fail('refused', 'refused') },
    { member: 'http://c:2379', leader: false, result: fail('refused', 'refused') },
  ]);
  t.is(minority.status, 'CRITICAL');
  t.regex(minority.summary, /quorum lost/);
});
