import test from 'ava';
import { describeQuorum, quorum } from '../src/index.js';

// [members, majority, tolerated failures]: the table of the ZooKeeper and etcd admin guides.
const TABLE: readonly [number, number, number][] = [
  [1, 1, 0],
  [2, 2, 0],
  [3, 2, 1],
  [4, 3, 1],
  [5, 3, 2],
  [6, 4, 2],
  [7, 4, 3],
];

for (const [n, majority, tolerates] of TABLE)
  test(`${n} member(s): majority ${majority}, tolerates ${tolerates}`, (t) => {
    const q = quorum(n);
    t.is(q.members, n);
    t.is(q.majority, majority, 'a strict majority: floor(n/2)+1');
    t.is(q.tolerates, tolerates);
    t.is(q.even, n === 2 || n === 4 || n === 6);
  });

test('an even size tolerates no more failures than the odd size below it', (t) => {
  for (const n of [2, 4, 6]) t.is(quorum(n).tolerates, quorum(n - 1).tolerates, `${n} vs ${n - 1}`);
  t.regex(describeQuorum(quorum(4)), /^4 members: majority 3, tolerates 1 failure, the same as 3 members/);
  t.is(describeQuorum(quorum(3)), '3 members: majority 2, tolerates 1 failure');
  t.is(describeQuorum(quorum(1)), '1 member: majority 1, tolerates 0 failures');
});

test('an empty, negative or fractional ensemble is refused', (t) => {
  for (const n of [0, -3, 1.5, Number.NaN])
    t.throws(() => quorum(n), { instanceOf: RangeError, message: /at least 1 member/ }, String(n));
});

test('the odd size an even one equals is named in the right number', (t) => {
  t.regex(describeQuorum(quorum(2)), /the same as 1 member:/);
});
