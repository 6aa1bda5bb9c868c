import { spawnSync } from 'node:child_process';
import { chmodSync, linkSync, lstatSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { example, removeTempDirs, render, snapshot, tempDir } from './helpers.js';

// A re-render writes only what changed: an unchanged file is the previous output's own inode,
// linked into the staging tree; anything that differs, or that the previous output holds in a
// way k8sm cannot trust (a link, a second hard link, another mode), is written anew. What the
// next run holds is judged by GNU diff and find against a render of the same spec into a new dir.

test.after.always(removeTempDirs);

const spec = readFileSync(example('mesosphere-3-masters.json'), 'utf8');

interface Summary {
  files: { path: string }[];
  changed: number | null;
}

function renderInto(cwd: string, text = spec): Summary {
  writeFileSync(join(cwd, 'spec.json'), text);
  const r = render(['spec.json', '-o', 'out', '--json'], cwd);
  if (r.code !== 0) throw new Error(`render exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Summary;
}

/**
 * GNU diff and find judge the re-rendered tree against a render of the same spec into a new
 * directory: the same files, bytes, modes and no link anywhere.
 */
function sameAsFreshRender(t: ExecutionContext, cwd: string): void {
  rmSync(join(cwd, 'fresh'), { recursive: true, force: true });
  t.is(render(['spec.json', '-o', 'fresh'], cwd).code, 0);
  const diff = spawnSync('diff', ['-r', '--no-dereference', 'out', 'fresh'], { cwd, encoding: 'utf8' });
  t.is(diff.status, 0, diff.stdout + diff.stderr);
  const listing = (dir: string) =>
    spawnSync('find', [dir, '-printf', '%y %m %P\\n'], { cwd, encoding: 'utf8' }).stdout.split('\n').sort();
  t.deepEqual(listing('out'), listing('fresh'));
  t.false(
    listing('out').some((l) => l.startsWith('l ')),
    'no symbolic link in the output',
  );
}

const inodes = (dir: string) =>
  new Map(Object.keys(snapshot(dir)).map((path) => [path, lstatSync(join(dir, path)).ino]));

test('an unchanged re-render carries every file over: 0 changed, the same inodes, one link each', (t) => {
  const cwd = tempDir();
  const first = renderInto(cwd);
  t.is(first.changed, first.files.length, 'a first render writes every file');
  const before = inodes(join(cwd, 'out'));
  const again = renderInto(cwd);
  t.is(again.changed, 0);
  const after = inodes(join(cwd, 'out'));
  t.deepEqual([...after.keys()], [...before.keys()]);
  for (const [path, ino] of after) {
    t.is<number | undefined, number | undefined>(ino, before.get(path), `${path} carried over`);
    t.is(lstatSync(join(cwd, 'out', path)).nlink, 1, `${path}: the previous output is gone`);
  }
  sameAsFreshRender(t, cwd);
});

test('a changed spec writes exactly the files whose bytes differ', (t) => {
  const cwd = tempDir();
  renderInto(cwd);
  const out = join(cwd, 'out');
  const before = snapshot(out);
  const beforeInodes = inodes(out);
  const parsed = JSON.parse(spec) as { marathon: Record<string, unknown> };
  parsed.marathon = { ...parsed.marathon, httpPort: 8090 };
  const changed = renderInto(cwd, JSON.stringify(parsed, null, 2));
  const after = snapshot(out);
  const differs = Object.keys(after).filter((path) => after[path] !== before[path]);
  t.true(differs.length > 0 && differs.length < Object.keys(after).length / 2, differs.join(', '));
  t.is(changed.changed, differs.length);
  const afterInodes = inodes(out);
  for (const path of Object.keys(after))
    if (differs.includes(path)) t.not(afterInodes.get(path), beforeInodes.get(path), `${path} written anew`);
    else
      t.is<number | undefined, number | undefined>(
        afterInodes.get(path),
        beforeInodes.get(path),
        `${path} carried over`,
      );
  sameAsFreshRender(t, cwd);
});

test('what the previous output holds is trusted only as a lone regular file with the same bytes and mode', (t) => {
  const cwd = tempDir();
  const first = renderInto(cwd);
  const out = join(cwd, 'out');
  const paths = first.files.map((f) => f.path).filter((p) => p.startsWith('hosts/'));
  const [edited, linked, twice, moded] = paths;
  if (!edited || !linked || !twice || !moded) return t.fail('the example renders host files');
  const expected = snapshot(out);

  // the same size, other bytes: an operator's edit in place
  const text = readFileSync(join(out, edited), 'utf8');
  writeFileSync(
    join(out, edited),
    text.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
  );
  // a symbolic link to a file with the very same bytes: never followed, never linked
  const decoy = join(cwd, 'decoy');
  writeFileSync(decoy, readFileSync(join(out, linked)));
  rmSync(join(out, linked));
  symlinkSync(decoy, join(out, linked));
  // a second hard link outside the output: a change there would reach the new output
  const outside = join(cwd, 'outside');
  linkSync(join(out, twice), outside);
  // the mode changed by hand
  chmodSync(join(out, moded), 0o600);

  const again = renderInto(cwd);
  t.is(again.changed, 4);
  t.deepEqual(snapshot(out), expected, 'the new output is what the spec renders');
  t.false(lstatSync(join(out, linked)).isSymbolicLink());
  t.not(lstatSync(join(out, twice)).ino, lstatSync(outside).ino, 'the doubly-linked file was written anew');
  t.is(lstatSync(outside).nlink, 1);
  sameAsFreshRender(t, cwd);
});
