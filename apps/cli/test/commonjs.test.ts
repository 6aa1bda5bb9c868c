import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';

// A CommonJS consumer of each library: Node itself resolves the exports and loads the module.
// With require(esm) (Node >= 20.19, this one) the "module-sync" condition gives the ES module;
// without it (--no-experimental-require-module stands in for an older Node) a clear error.
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const cli = join(root, 'apps/cli');
const libraries = readdirSync(join(root, 'packages'))
  .map(
    (dir) =>
      JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as {
        name: string;
        private?: boolean;
      },
  )
  .filter((p) => !p.private)
  .map((p) => p.name);

function requireFrom(name: string, flags: readonly string[] = []) {
  // a .cjs file beside the CLI package, which has every library as a dependency
  const script = join(cli, 'dist', `require-${name.replace(/\W/g, '_')}.cjs`);
  writeFileSync(script, `const m = require(${JSON.stringify(name)});\nconsole.log(Object.keys(m).length);\n`);
  return spawnSync(process.execPath, [...flags, script], { encoding: 'utf8', cwd: cli });
}

test('require() of every library loads its ES module where Node can require one', (t) => {
  t.true(libraries.length >= 9, libraries.join());
  for (const name of libraries) {
    const r = requireFrom(name);
    t.is(r.status, 0, `${name}: ${r.stderr}`);
    t.true(Number(r.stdout.trim()) > 0, `${name} exported nothing to require()`);
  }
  const spec = spawnSync(process.execPath, ['-e', "console.log(typeof require('@k8sm/spec').loadSpec)"], {
    encoding: 'utf8',
    cwd: cli,
  });
  t.is(spec.stdout.trim(), 'function', spec.stderr);
});

test('where Node cannot require an ES module, require() says so and how to import it', (t) => {
  for (const name of libraries) {
    const r = requireFrom(name, ['--no-experimental-require-module']);
    t.not(r.status, 0, name);
    t.regex(
      r.stderr,
      new RegExp(
        `${name.replace('/', '\\/')} is an ES module .*await import\\('${name.replace('/', '\\/')}'\\)`,
      ),
      name,
    );
    t.notRegex(r.stderr, /ERR_PACKAGE_PATH_NOT_EXPORTED/);
  }
});
