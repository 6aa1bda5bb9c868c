import test from 'ava';
import {
  discoveryOf,
  ensembleVerdict,
  fail,
  type MemberResult,
  type Membership,
  membershipOfConf,
} from '../src/index.js';

// conf as Debian 12's ZooKeeper 3.8.0 printed it for a static 3-member zoo.cfg rendered by k8sm
// (captured from a real ensemble; apps/cli/test/probe-discovery.test.ts probes one live)
const CONF_3_8 = `clientPort=2181
secureClientPort=-1
dataDir=/tmp/k8sm-cli-C1LRtW/data/zk1/version-2
tickTime=500
serverId=1
initLimit=10
syncLimit=5
electionAlg=3
electionPort=3888
quorumPort=2888
peerType=0
membership: 
server.1=127.0.95.1:2888:3888:participant
server.2=127.0.95.2:2888:3888:participant
server.3=127.0.95.3:2888:3888:participant
version=0
`;

test('conf gives the members, their client endpoints and who is asking; observers do not vote', (t) => {
  t.deepEqual(membershipOfConf(CONF_3_8, '127.0.95.1:2181'), {
    self: '1',
    source: "127.0.95.1:2181's conf",
    members: [
      { id: '1', voting: true, endpoint: '127.0.95.1:2181' },
      { id: '2', voting: true, endpoint: '127.0.95.2:2181' },
      { id: '3', voting: true, endpoint: '127.0.95.3:2181' },
    ],
  });
  // a dynamic config's client part wins; 0.0.0.0 means the member's own address
  const dynamic = CONF_3_8.replace(
    'server.2=127.0.95.2:2888:3888:participant',
    'server.2=zk2.example:2888:3888:participant;0.0.0.0:2281',
  )
    .replace(
      'server.3=127.0.95.3:2888:3888:participant',
      'server.3=127.0.95.3:2888:3888:observer;10.0.0.3:2381',
    )
    .replace('serverId=1', 'serverId=2');
  t.deepEqual(membershipOfConf(dynamic, 'zk2.example:2281')?.members, [
    { id: '1', voting: true, endpoint: '127.0.95.1:2181' },
    { id: '2', voting: true, endpoint: 'zk2.example:2281' },
    { id: '3', voting: false, endpoint: '10.0.0.3:2381' },
  ]);
  // 3.4's conf has no membership; a standalone has no serverId
  t.is(membershipOfConf('clientPort=2181\ndataDir=/var/lib/zookeeper\n', 'a:2181'), undefined);
  t.is(membershipOfConf(CONF_3_8.replace(/^serverId=1\n/m, ''), 'a:2181'), undefined);
});

const listing = (self: string): Membership => ({
  self,
  source: "a:2181's conf",
  members: [
    { id: '1', voting: true, endpoint: 'a:2181' },
    { id: '2', voting: true, endpoint: 'b:2181' },
    { id: '3', voting: true, endpoint: 'c:2181' },
  ],
});
const up = (member: string, self: string, leader = false): MemberResult => ({
  member,
  leader,
  result: { ok: true, latencyMs: 1 },
  membership: listing(self),
  self: { size: 3, ...(leader ? {} : { leader: true as const }), source: 'srvr' },
});
const down = (member: string): MemberResult => ({
  member,
  leader: false,
  result: fail('refused', `${member}: refused`),
});
const same = (a: string, b: string) => a === b;

test("one follower given: the others are found from its conf and the quorum is the ensemble's", (t) => {
  const d = discoveryOf([up('b:2181', '2')], same);
  t.deepEqual(d && { unlisted: d.unlisted, strangers: d.strangers, voting: d.voting }, {
    unlisted: ['a:2181', 'c:2181'],
    strangers: [],
    voting: 3,
  });
  if (!d) return;
  const all = ensembleVerdict(
    'zookeeper',
    [up('b:2181', '2'), up('a:2181', '1', true), up('c:2181', '3')],
    'quorum',
    d,
  );
  t.like(all, { status: 'OK', up: 3, total: 3, tolerable: 1, leaders: ['a:2181'] });
  t.deepEqual(all.discovered, ['a:2181', 'c:2181']);
  t.regex(all.summary, /; probed 2 more members from a:2181's conf \(a:2181, c:2181\)$/);
  // one of the others down: the per-host check of a healthy follower tells the truth, WARNING
  const one = ensembleVerdict(
    'zookeeper',
    [up('b:2181', '2'), up('a:2181', '1', true), down('c:2181')],
    'quorum',
    d,
  );
  t.like(one, { status: 'WARNING', up: 2, total: 3, tolerable: 0 });
});

test("a given member the membership does not name is not counted: answering, it is another ensemble's; silent, a stale entry", (t) => {
  const other: MemberResult = {
    ...up('x:2181', '7'),
    membership: { ...listing('7'), members: [{ id: '7', voting: true, endpoint: 'x:2181' }] },
  };
  const given = [up('a:2181', '1', true), up('b:2181', '2'), up('c:2181', '3'), other, down('y:2181')];
  const d = discoveryOf(given, same);
  t.deepEqual(d?.strangers, ['x:2181', 'y:2181']);
  t.deepEqual(d?.unlisted, []);
  const v = ensembleVerdict('zookeeper', given, 'quorum', d);
  t.like(v, { status: 'WARNING', up: 3, total: 3, leaders: ['a:2181'] });
  t.deepEqual(v.strangers, ['x:2181', 'y:2181']);
  t.regex(v.summary, /x:2181, y:2181 are listed but not in a:2181's conf: not counted/);
  const x = v.members.find((m) => m.member === 'x:2181')?.result;
  t.true(x !== undefined && !x.ok && x.reason === 'foreign');
  // a member given that is down, but named by its endpoint, is the ensemble's: counted down
  const d2 = discoveryOf([up('a:2181', '1', true), down('c:2181')], same);
  t.deepEqual(d2 && [d2.unlisted, d2.strangers], [['b:2181'], []]);
});

test('a member listed without an endpoint (an etcd member not started yet) is counted but cannot be probed', (t) => {
  const early: Membership = {
    ...listing('1'),
    members: [
      { id: '1', voting: true, endpoint: 'a:2181' },
      { id: '2', voting: true, endpoint: 'b:2181' },
      { id: '3', voting: true },
    ],
  };
  const d = discoveryOf([{ ...up('a:2181', '1', true), membership: early }], same);
  t.deepEqual(d && [d.unlisted, d.unaddressed, d.voting], [['b:2181'], ['3'], 3]);
});

test('no member lists its ensemble (3.4, conf refused, all down): no discovery, the list given stands', (t) => {
  const { membership: _, ...silent } = up('b:2181', '2');
  t.is(discoveryOf([down('a:2181'), silent], same), undefined);
});

test('members that disagree: the membership most of them list is taken', (t) => {
  const two: Membership = {
    self: '1',
    source: 'a',
    members: [
      { id: '1', voting: true, endpoint: 'a:2181' },
      { id: '2', voting: true, endpoint: 'b:2181' },
    ],
  };
  const d = discoveryOf(
    [{ ...up('a:2181', '1'), membership: two }, up('b:2181', '2'), up('c:2181', '3')],
    same,
  );
  t.is(d?.voting, 3);
});
