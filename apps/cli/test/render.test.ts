import { createHash } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import {
  example,
  examples,
  removeTempDirs,
  render,
  renderableExample,
  snapshot,
  tempDir,
} from './helpers.js';

test.after.always(removeTempDirs);

const specs = readdirSync(examples).filter((f) => /\.(json|ya?ml)$/.test(f));

for (const spec of specs)
  test(`example ${spec} renders the layout, reproducibly`, (t) => {
    const cwd = tempDir();
    const { file } = renderableExample(spec, cwd);
    const a = render([file, '-o', 'a'], cwd);
    t.is(a.code, 0, a.stderr);
    const manifest = JSON.parse(readFileSync(join(cwd, 'a/manifest.json'), 'utf8'));
    t.true(existsSync(join(cwd, 'a/cluster/k8sm-plan.json')));
    for (const host of manifest.hosts as { name: string }[]) {
      const script = join(cwd, 'a/scripts', `${host.name}.sh`);
      const text = readFileSync(script, 'utf8');
      t.true(text.startsWith('#!/usr/bin/env bash\n'));
      t.true(text.includes('\nset -euo pipefail\n'));
      t.is(statSync(script).mode & 0o777, 0o755);
    }
    for (const f of manifest.files as { output: string; sha256?: string; secret?: true; mode: string }[]) {
      const bytes = readFileSync(join(cwd, 'a', f.output));
      if (f.mode === '0600')
        t.true(f.secret === true && f.sha256 === undefined, `${f.output}: no hash of a secret`);
      else t.is(createHash('sha256').update(bytes).digest('hex'), f.sha256 ?? '', f.output);
      t.is(`0${(statSync(join(cwd, 'a', f.output)).mode & 0o777).toString(8)}`, f.mode);
    }
    t.is(render([file, '-o', 'b'], cwd).code, 0);
    t.deepEqual(snapshot(join(cwd, 'a')), snapshot(join(cwd, 'b')));
  });

test('a rerun replaces the previous output whole', (t) => {
  const cwd = tempDir();
  t.is(render([example('mesosphere-3-masters.json'), '-o', 'out'], cwd).code, 0);
  writeFileSync(join(cwd, 'out/hand-made.txt'), 'stray');
  t.is(render([example('mesosphere-3-masters.json'), '-o', 'out'], cwd).code, 0);
  t.false(existsSync(join(cwd, 'out/hand-made.txt')));
  t.deepEqual(readdirSync(cwd).sort(), ['out']);
});

test('--dry-run lists and writes nothing; --json is machine-readable', (t) => {
  const cwd = tempDir();
  const dry = render([example('mesosphere-3-masters.json'), '-o', 'out', '--dry-run'], cwd);
  t.is(dry.code, 0);
  t.regex(dry.stdout, /scripts\/mesos-master1\.sh/);
  t.deepEqual(readdirSync(cwd), []);
  const json = render([example('mesosphere-3-masters.json'), '-o', 'out', '--json'], cwd);
  const summary = JSON.parse(json.stdout);
  t.true(summary.ok);
  t.is(summary.hosts, 6);
  t.true(summary.files.some((f: { path: string }) => f.path === 'manifest.json'));
});

test('--host and --only narrow the output; bad values are usage errors', (t) => {
  const cwd = tempDir();
  t.is(render([example('mesosphere-3-masters.json'), '-o', 'one', '--host', 'mesos-master1'], cwd).code, 0);
  t.deepEqual(readdirSync(join(cwd, 'one/scripts')), ['mesos-master1.sh']);
  t.false(existsSync(join(cwd, 'one/cluster')));
  t.is(render([example('mesosphere-3-masters.json'), '-o', 'zk', '--only', 'zookeeper,mesos'], cwd).code, 0);
  const badOnly = render([example('mesosphere-3-masters.json'), '-o', 'x', '--only', 'nosuch'], cwd);
  t.is(badOnly.code, 2);
  t.regex(badOnly.stderr, /--only nosuch: not a component/);
  const badHost = render([example('mesosphere-3-masters.json'), '-o', 'x', '--host', 'nosuch'], cwd);
  t.is(badHost.code, 2);
  t.regex(badHost.stderr, /hosts: mesos-master1, mesos-master2/);
  t.false(existsSync(join(cwd, 'x')));
});

test('--check passes on a fresh render and shows a diff after drift (exit 3); a missing -o is an error (exit 1)', (t) => {
  const cwd = tempDir();
  const spec = example('mesosphere-3-masters.json');
  const first = render([spec, '-o', 'out'], cwd);
  t.is(first.code, 0, first.stderr);
  const clean = render([spec, '-o', 'out', '--check'], cwd);
  t.is(clean.code, 0, clean.stderr);
  t.regex(clean.stdout, /matches/);

  appendFileSync(join(cwd, 'out/scripts/mesos-slave1.sh'), 'rm -rf /tmp/x\n');
  const drift = render([spec, '-o', 'out', '--check'], cwd);
  t.is(drift.code, 3);
  t.regex(drift.stdout, /--- a\/scripts\/mesos-slave1\.sh/);
  t.regex(drift.stdout, /\+\+\+ b\/scripts\/mesos-slave1\.sh/);
  t.regex(drift.stdout, /@@ .* @@/);
  t.regex(drift.stdout, /^-rm -rf \/tmp\/x$/m);

  t.is(render([spec, '-o', 'out'], cwd).code, 0);
  chmodSync(join(cwd, 'out/scripts/mesos-slave2.sh'), 0o644);
  const mode = render([spec, '-o', 'out', '--check'], cwd);
  t.is(mode.code, 3);
  t.regex(mode.stdout, /scripts\/mesos-slave2\.sh: mode 0644 should be 0755/);

  // a typo is an error (1), not a diff of every file
  const missing = render([spec, '-o', 'missing', '--check'], cwd);
  t.is(missing.code, 1);
  t.is(missing.stdout, '');
  t.regex(missing.stderr, /--check: output directory missing does not exist — render it first/);
});

test('waivers are recorded in the manifest and reported', (t) => {
  const cwd = tempDir();
  const r = render([example('k8s-on-mesos-single-master.json'), '-o', 'out'], cwd);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /waived \[no-redundancy\] \(3 findings\)/);
  const manifest = JSON.parse(readFileSync(join(cwd, 'out/manifest.json'), 'utf8'));
  t.is(manifest.waived[0].check, 'no-redundancy');
  t.regex(manifest.waived[0].reason, /single-master lab/);
});
