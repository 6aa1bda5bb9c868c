import { readdirSync, readFileSync } from 'node:fs';
import test from 'ava';
import { CHECK_DEFINITIONS, CHECKS, checksMarkdownTable, withChecksTable } from '../src/index.js';

// The compiled test runs from dist/test; the sources and the root README are found from there.
const packageDir = new URL('../../', import.meta.url);
const readme = () => readFileSync(new URL('../../README.md', packageDir), 'utf8');

test('every check id is defined once, and CHECKS lists exactly the definitions', (t) => {
  const ids = CHECK_DEFINITIONS.map((c) => c.id);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  t.deepEqual(twice, []);
  t.deepEqual(Object.keys(CHECKS), ids);
  for (const c of CHECK_DEFINITIONS)
    t.deepEqual(CHECKS[c.id], { severity: c.severity, waivable: c.waivable, about: c.about }, c.id);
});

/** `schema` names shape findings; the misspelt ids are waivers that tests misspell on purpose. */
const NOT_CHECKS = new Set(['schema', 'even-ensembel', 'even-ensmble']);

test('every check id that a test names is a registered check', (t) => {
  const testDir = new URL('test/', packageDir);
  const named = new Set<string>();
  for (const file of readdirSync(testDir).filter(
    (f) => f.endsWith('.test.ts') && f !== 'checks-registry.test.ts',
  )) {
    const text = readFileSync(new URL(file, testDir), 'utf8');
    // find(report, 'id'), paths(report, 'id'), waive: { 'id': … } and checks(report) lists
    for (const m of text.matchAll(/\b(?:find|paths)\([^,()]+(?:\([^()]*\))?, '([a-z0-9-]+)'\)/g))
      named.add(m[1] ?? '');
    for (const m of text.matchAll(/waive: \{ '([a-z0-9-]+)'/g)) named.add(m[1] ?? '');
    for (const m of text.matchAll(/checks\([^()]*(?:\([^()]*\))?\), \[([^\]]*)\]/g))
      for (const id of (m[1] ?? '').matchAll(/'([a-z0-9-]+)'/g)) named.add(id[1] ?? '');
  }
  t.true(named.size > 20, `the scan found ${named.size} ids: is it still reading the tests?`);
  const unknown = [...named].filter((id) => !Object.hasOwn(CHECKS, id) && !NOT_CHECKS.has(id));
  t.deepEqual(unknown, []);
});

test('the README check table is the one generated from the registry', (t) => {
  const text = readme();
  t.is(text, withChecksTable(text), 'run `pnpm --filter @k8sm/spec readme:checks`');
});

test('the check table has a row per check with its severity and waivability', (t) => {
  const rows = checksMarkdownTable().split('\n').slice(2);
  t.is(rows.length, CHECK_DEFINITIONS.length);
  for (const c of CHECK_DEFINITIONS)
    t.true(
      rows.includes(`| \`${c.id}\` | ${c.severity} | ${c.waivable ? 'yes' : 'no'} | ${c.about} |`),
      c.id,
    );
});

test('the table block is rewritten between its markers, and a README without them is an error', (t) => {
  const text = readme();
  const stale = text.replace(/\| `duplicate-host-name` \|[^\n]*\n/, '');
  t.not(stale, text);
  t.is(withChecksTable(stale), text);
  t.throws(() => withChecksTable('# no table here\n'), { message: /no check table block/ });
});
