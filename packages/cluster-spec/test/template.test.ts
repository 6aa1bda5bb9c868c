import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { renderTemplate } from '../src/index.js';

test('renderTemplate writes every value as it is, with two braces or three: k8sm renders no HTML', (t) => {
  const value = `/etc/haproxy/ca.crt & <b>"x"</b> 'y' \`z\` =`;
  t.is(renderTemplate('{{v}}|{{{v}}}|{{&v}}', { v: value }), `${value}|${value}|${value}`);
  t.is(renderTemplate('uri {{path}}', { path: '/readyz' }), 'uri /readyz');
  t.is(renderTemplate('{{#xs}}[{{.}}]{{/xs}}', { xs: ['a/b', 'c&d'] }), '[a/b][c&d]');
});

test('no renderer calls Mustache itself: every template goes through renderTemplate', (t) => {
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? e.name === 'node_modules' || e.name === 'dist'
          ? []
          : files(join(dir, e.name))
        : e.name.endsWith('.ts')
          ? [join(dir, e.name)]
          : [],
    );
  const sources = ['packages', 'apps'].flatMap((top) =>
    readdirSync(join(root, top)).flatMap((pkg) => {
      try {
        return files(join(root, top, pkg, 'src'));
      } catch {
        return [];
      }
    }),
  );
  t.true(sources.length > 50);
  const callers = sources
    .filter((f) => /\bfrom 'mustache'/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(root, f));
  t.deepEqual(callers, ['packages/cluster-spec/src/template.ts']);
});
