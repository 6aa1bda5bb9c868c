import test from 'ava';
import { CHECKS } from '../src/index.js';
import { checks, host, load, type SpecIn, threeMasters } from './helpers.js';

// waivers ---------------------------------------------------------------------------------------------

const fourZk = (waive?: Record<string, string>): SpecIn => {
  const spec = threeMasters(waive ? { waive } : {});
  spec.hosts.push({ name: 'zk4', address: '10.16.40.4', roles: ['zookeeper'] });
  return spec;
};

test('a waiver removes its warning and is recorded with the reason and what it silenced', (t) => {
  const unwaived = load(fourZk());
  t.deepEqual(checks(unwaived), ['even-ensemble']);
  const report = load(fourZk({ 'even-ensemble': 'adding a 4th before removing one' }));
  t.deepEqual(report.findings, []);
  t.truthy(report.plan);
  t.is(report.waived.length, 1);
  t.is(report.waived[0]?.check, 'even-ensemble');
  t.is(report.waived[0]?.reason, 'adding a 4th before removing one');
  t.deepEqual(report.waived[0]?.findings, [
    Object.fromEntries(Object.entries(unwaived.findings[0] ?? {}).filter(([k]) => k !== 'position')),
  ]);
});

test('a waiver silences its own check only', (t) => {
  const spec = fourZk({ 'even-ensemble': 'migrating' });
  host(spec, 3).zookeeper = { dataDir: '/data' };
  t.deepEqual(checks(load(spec)), ['override-without-role']);
});

test('a check that guards what cannot work cannot be waived', (t) => {
  const report = load(
    threeMasters({ mesos: { version: '1.11.0', quorum: 1 }, waive: { 'quorum-not-majority': 'yolo' } }),
  );
  const refused = report.findings.find((f) => f.path.join('.') === 'waive.quorum-not-majority');
  t.deepEqual(refused?.path, ['waive', 'quorum-not-majority']);
  t.is(refused?.severity, 'error');
  t.regex(refused?.message ?? '', /cannot be waived/);
  t.true(checks(report).includes('quorum-not-majority'), 'the finding stays');
  t.deepEqual(report.waived, []);
  t.falsy(report.plan);
});

test('every non-waivable check refuses a waiver', (t) => {
  for (const [id, { waivable }] of Object.entries(CHECKS)) {
    const report = load(threeMasters({ waive: { [id]: 'because' } }));
    const f = report.findings.find((x) => x.path.join('.') === `waive.${id}`);
    t.is(f?.severity, waivable ? 'warning' : 'error', id);
  }
});

test('a waiver of an unknown check is an error with a did-you-mean', (t) => {
  const report = load(fourZk({ 'even-ensembel': 'typo' }));
  const f = report.findings.find((x) => x.path.join('.') === 'waive.even-ensembel');
  t.is(f?.severity, 'error');
  t.regex(f?.fix ?? '', /did you mean "even-ensemble"/);
  t.true(checks(report).includes('even-ensemble'), 'the misspelt waiver silences nothing');
});

test('an unused waiver is a warning', (t) => {
  const report = load(threeMasters({ waive: { 'even-ensemble': 'nothing to waive' } }));
  t.is(report.findings.length, 1);
  t.is(report.findings[0]?.severity, 'warning');
  t.deepEqual(report.findings[0]?.path, ['waive', 'even-ensemble']);
  t.regex(report.findings[0]?.message ?? '', /matches nothing/);
  t.truthy(report.plan);
});

test('a waiver named like an Object.prototype member is an unknown check', (t) => {
  const f = load(threeMasters({ waive: { toString: 'x' } })).findings[0];
  t.is(f?.message, 'there is no check "toString" to waive');
});
