import test from 'ava';
import { describeQuorum, quorum } from '../src/index.js';

test('majority and tolerated failures follow floor(n/2)+1', (t) => {
  const table: [number, number, number][] = [
    [1, 1, 0],
    [2, 2, 0],
    [3, 2, 1],
    [4, 3, 1],
    [5, 3, 2],
    [6, 4, 2],
    [7, 4, 3],
  ];
  for (const [n, majority, tolerates] of table) {
    const q = quorum(n);
    t.is(q.majority, majority, `majority of ${n}`);
    t.is(q.tolerates, tolerates, `tolerance of ${n}`);
    t.is(q.even, n % 2 === 0);
  }
});

test('an even size says it tolerates no more than the odd size below it', (t) => {
  t.regex(describeQuorum(quorum(4)), /tolerates 1 failure, the same as 3 members/);
  t.notRegex(describeQuorum(quorum(3)), /same as/);
});

test('an empty or fractional ensemble is refused', (t) => {
  t.throws(() => quorum(0), { instanceOf: RangeError });
  t.throws(() => quorum(1.5), { instanceOf: RangeError });
});
