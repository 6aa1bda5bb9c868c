import { readFileSync } from 'node:fs';
import test from 'ava';
import { ALERT_RULES } from '../src/alerts.js';

const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');

test("the README's alert table has one row per rule, with its severity and its for", (t) => {
  const rows = [...readme.matchAll(/^\| `(K8sm\w+)` \| (\w+) \| (.*) \|$/gm)];
  t.deepEqual(
    rows.map((r) => [r[1], r[2]]),
    ALERT_RULES.map((r) => [r.alert, r.severity]),
  );
  rows.forEach((row, i) => {
    const rule = ALERT_RULES[i];
    if (rule)
      t.true(row[3]?.includes(rule.for), `${rule.alert}: the README says ${row[3]}, not for ${rule.for}`);
  });
});
