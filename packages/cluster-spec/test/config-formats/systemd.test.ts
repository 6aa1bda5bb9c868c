import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemdExec, systemdValue } from '@k8sm/spec';
import test from 'ava';
import { CONTROL, oracleTest, PRINTABLE, refusesAll, runs } from './hostile.js';

const UNIT = '/etc/systemd/system/zookeeper.service';

/**
 * ExecStart= words as systemd reads them (systemd.service(5) "Command lines", systemd.syntax(7)
 * "Quoting"): split at blanks outside quotes, `\` escapes inside double quotes, `%%` → `%`, `$$` → `$`.
 * Only what the writer emits is modelled; systemd-analyze verify below checks the same lines are valid.
 */
function execWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g))
    words.push(
      (m[1] !== undefined ? m[1].replaceAll(/\\(.)/g, '$1') : (m[2] as string))
        .replaceAll('%%', '%')
        .replaceAll('$$', '$'),
    );
  return words;
}

/** Runs systemd-analyze verify on a unit; its complaints (or '' when none). */
function verify(unit: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'k8sm-systemd-'));
  const path = join(dir, 'k8sm-config-test.service');
  writeFileSync(path, unit);
  const run = spawnSync('systemd-analyze', ['verify', '--man=no', path], { encoding: 'utf8' });
  return `${run.stdout}${run.stderr}`.trim();
}

const analyze = runs('systemd-analyze', '--version');

test('every printable word reaches the program as exactly itself: quoted, `%` and `$` doubled', (t) => {
  const words = ['/bin/echo', ...PRINTABLE, ''];
  const line = systemdExec(UNIT, 'ExecStart', words);
  t.deepEqual(execWords(line), words);
  t.is(
    systemdExec(UNIT, 'ExecStart', ['/usr/bin/kubelet', { splitVariable: 'KUBELET_ARGS' }]),
    '/usr/bin/kubelet $KUBELET_ARGS',
  );
});

oracleTest(analyze)(
  'systemd-analyze verify accepts the unit the writers produce from hostile values',
  (t) => {
    const unit = [
      '[Unit]',
      `Description=${systemdValue(UNIT, 'Description', PRINTABLE.join(' '))}`,
      '[Service]',
      `ExecStart=${systemdExec(UNIT, 'ExecStart', ['/bin/echo', ...PRINTABLE])}`,
      '',
    ].join('\n');
    t.is(verify(unit), '');
    // the oracle can fail: an unescaped quote is a fatal error for systemd
    t.regex(verify('[Service]\nExecStart=/bin/echo "a\n'), /Unbalanced quoting/);
  },
);

test('a newline cannot add a setting: control characters are refused in values and words', (t) => {
  refusesAll(t, UNIT, CONTROL, (v) => systemdValue(UNIT, 'Description', v));
  refusesAll(t, UNIT, [...CONTROL, 'x\nExecStartPre=/bin/sh -c id'], (v) =>
    systemdExec(UNIT, 'ExecStart', ['/bin/echo', v]),
  );
  t.is(
    systemdValue(UNIT, 'Description', 'ZooKeeper 3.8, member 1 of 100%'),
    'ZooKeeper 3.8, member 1 of 100%%',
  );
});
