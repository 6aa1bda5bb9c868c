import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { probeBin, removeTempDirs, render, run, tempDir } from './helpers.js';

test.after.always(removeTempDirs);

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

test('--version and --help', (t) => {
  const cwd = tempDir();
  t.is(render(['--version'], cwd).stdout, `k8sm-render ${pkg.version}\n`);
  const help = render(['--help'], cwd);
  t.is(help.code, 0);
  t.regex(help.stdout, /Usage:\n\s+k8sm-render <spec\.json\|spec\.yaml> -o <dir>/);
});

test('schema prints the shipped JSON Schema', (t) => {
  const shipped = readFileSync(
    new URL('../../../../packages/cluster-spec/schema/k8sm-spec.schema.json', import.meta.url),
    'utf8',
  );
  t.is(render(['schema'], tempDir()).stdout, shipped);
});

test('init writes a starter spec that renders without a warning, and never overwrites', (t) => {
  const cwd = tempDir();
  const init = render(['init'], cwd);
  t.is(init.code, 0);
  const text = readFileSync(join(cwd, 'k8sm.yaml'), 'utf8');
  const r = render(['k8sm.yaml', '-o', 'out'], cwd);
  t.is(r.code, 0, r.stderr);
  t.is(r.stderr, '');
  const again = render(['init'], cwd);
  t.is(again.code, 1);
  t.regex(again.stderr, /cannot write k8sm\.yaml: it already exists \(EEXIST\) — choose another name/);
  t.is(readFileSync(join(cwd, 'k8sm.yaml'), 'utf8'), text);
  t.is(render(['init', '-'], cwd).stdout, text);
});

test('k8sm-probe quorum', (t) => {
  const cwd = tempDir();
  t.regex(run(probeBin, ['quorum', '5'], cwd).stdout, /^5 members: majority 3, tolerates 2 failures$/m);
  t.deepEqual(JSON.parse(run(probeBin, ['quorum', '4', '--json'], cwd).stdout), {
    members: 4,
    majority: 3,
    tolerates: 1,
    even: true,
  });
  for (const args of [
    ['quorum', '0'],
    ['quorum', 'x'],
    ['quorum'],
    ['frob'],
    [],
    ['--etcd', '10.0.0.1:2379'],
  ]) {
    const r = run(probeBin, args, cwd);
    t.is(r.code, 3, `${args.join(' ')}: UNKNOWN, the Nagios code for bad usage`);
    t.regex(r.stderr, /Usage:/);
  }
});
