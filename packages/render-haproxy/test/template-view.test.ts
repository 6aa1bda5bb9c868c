import { readFileSync } from 'node:fs';
import test from 'ava';
import { HAPROXY_TEMPLATE_VARIABLES } from '../src/index.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test("the README's table of haproxy.template variables is HAPROXY_TEMPLATE_VARIABLES, row for row", (t) => {
  const rows = [...readme.matchAll(/^\| `(\w+)` \| (.*) \|$/gm)].map((m) => [m[1], m[2]]);
  t.deepEqual(rows, Object.entries(HAPROXY_TEMPLATE_VARIABLES));
});
