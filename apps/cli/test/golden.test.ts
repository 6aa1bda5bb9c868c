import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { example, examples, removeTempDirs, render, tempDir } from './helpers.js';

// Every example's whole output, file by file (bytes and mode), against the reviewed copy in
// test/golden/. After an intended change: K8SM_UPDATE_GOLDEN=1 pnpm test:unit, then review the diff.
const goldenRoot = fileURLToPath(new URL('../../test/golden/', import.meta.url));
const update = process.env.K8SM_UPDATE_GOLDEN === '1';

test.after.always(removeTempDirs);

/** Contents by path; modes are compared through manifest.json (git keeps only the x bit). */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else out[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('');
  return out;
}

for (const spec of readdirSync(examples).filter((f) => /\.(json|ya?ml)$/.test(f)))
  test(`golden output of ${spec}`, (t) => {
    const cwd = tempDir();
    const r = render([example(spec), '-o', 'out'], cwd);
    t.is(r.code, 0, r.stderr);
    const golden = join(goldenRoot, spec.replace(/\.(json|ya?ml)$/, ''));
    if (update) {
      rmSync(golden, { recursive: true, force: true });
      cpSync(join(cwd, 'out'), golden, { recursive: true });
    }
    t.true(existsSync(golden), `no golden output for ${spec}: run with K8SM_UPDATE_GOLDEN=1 and review it`);
    t.deepEqual(contents(join(cwd, 'out')), contents(golden));
  });
