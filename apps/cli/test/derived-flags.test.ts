import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import {
  noStack,
  removeTempDirs,
  render,
  renderableExample,
  snapshot,
  tempDir,
  writeSpec,
} from './helpers.js';

test.after.always(removeTempDirs);

// The drift of issue 12: the guard table lacked --tls-cert-file, so this spec rendered it twice.
test('render refuses an extra arg that repeats a derived flag, names its path, and leaves the output alone', (t) => {
  const cwd = tempDir();
  const { file } = renderableExample('k8s-1.6-standalone-ha.yaml', cwd);
  const good = render([file, '-o', 'out'], cwd);
  t.is(good.code, 0, good.stderr);
  const before = snapshot(join(cwd, 'out'));
  const drift = readFileSync(file, 'utf8').replace(
    /^kubernetes:\n/m,
    'kubernetes:\n  extraArgs: { apiserver: { tls-cert-file: /etc/kubernetes/pki/other.crt } }\n',
  );
  t.not(drift, readFileSync(file, 'utf8'));
  const r = render([writeSpec(cwd, 'drift.yaml', drift), '-o', 'out'], cwd);
  t.is(r.code, 1, r.stdout + r.stderr);
  t.regex(r.stderr, /kubernetes\.extraArgs\.apiserver\.tls-cert-file/);
  t.regex(r.stderr, /--tls-cert-file is derived by k8sm/);
  t.true(noStack(r.stderr), r.stderr);
  t.deepEqual(snapshot(join(cwd, 'out')), before);
});
