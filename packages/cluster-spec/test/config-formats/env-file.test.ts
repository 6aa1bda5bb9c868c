import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerEnvFileLine, envFileLine, envFileWords } from '@k8sm/spec';
import test from 'ava';
import { CONTROL, PRINTABLE, refusedOrReadBack, refusesAll } from './hostile.js';

const ETCD_CONF = '/etc/etcd/etcd.conf';

/**
 * Sources each file with a real shell (`set -a; .`, as the Mesos init wrapper does) and returns the
 * variables it added, NUL-separated `NAME=value` pairs; a payload that ran leaves a file `pwned`.
 */
function sourced(
  shell: string,
  files: readonly string[],
  after = 'env -0',
): { vars: string[][]; ran: boolean } {
  const dir = mkdtempSync(join(tmpdir(), 'k8sm-env-file-'));
  const run = (content: string) => {
    writeFileSync(join(dir, 'env'), content);
    const out = spawnSync('env', ['-i', 'PATH=/usr/bin:/bin', shell, '-c', `set -a; . ./env; ${after}`], {
      cwd: dir,
      encoding: 'utf8',
    });
    return out.stdout.split('\0').filter((v) => v !== '');
  };
  const baseline = new Set(run(''));
  const vars = files.map((content) => run(content).filter((v) => !baseline.has(v) && !v.startsWith('_=')));
  return { vars, ran: existsSync(join(dir, 'pwned')) };
}

for (const shell of ['bash', 'sh']) {
  test(`${shell} \`.\` reads back exactly one variable with exactly the value, and runs nothing`, (t) => {
    let ran = false;
    refusedOrReadBack(
      t,
      ETCD_CONF,
      [...CONTROL, ...PRINTABLE, 'tok\nETCD_NAME=evil', 'a\\\nb'],
      (value) => `# header\n${envFileLine(ETCD_CONF, 'ETCD_INITIAL_CLUSTER_TOKEN', value)}\n`,
      (files) => {
        const read = sourced(shell, files);
        ran = read.ran;
        return read.vars.map((vars) =>
          vars.length === 1 && vars[0]?.startsWith('ETCD_INITIAL_CLUSTER_TOKEN=')
            ? vars[0].slice(27)
            : undefined,
        );
      },
      PRINTABLE,
    );
    t.false(ran, 'a payload ran');
  });

  test(`${shell}: a command-line variable splits into exactly the words, and runs nothing`, (t) => {
    const words = PRINTABLE.filter((w) => !w.includes(' ')).map((w) => `--flag=${w}`);
    const file = `${envFileWords('/etc/kubernetes/node-config', 'KUBELET_ARGS', words)}\n`;
    // unquoted, as systemd's $KUBELET_ARGS splits it; no globbing either
    const read = sourced(shell, [file], 'set -f; printf "%s\\0" $KUBELET_ARGS');
    t.deepEqual(read.vars[0], words);
    t.false(read.ran);
  });
}

test('a word holding whitespace or a control character is refused: it would become two arguments', (t) => {
  refusesAll(t, '/etc/kubernetes/node-config', ['--a=b c', '--a=b\n--insecure-port=8080', '--a=\tb'], (w) =>
    envFileWords('/etc/kubernetes/node-config', 'KUBELET_ARGS', ['--v=2', w]),
  );
});

test('a plain value and a plain command line keep their bytes', (t) => {
  t.is(envFileLine(ETCD_CONF, 'ETCD_NAME', 'etcd1'), 'ETCD_NAME=etcd1');
  t.is(envFileLine(ETCD_CONF, 'ETCD_NAME', 'a b'), 'ETCD_NAME="a b"');
  t.is(
    envFileWords('/etc/kubernetes/node-config', 'KUBELET_ARGS', ['--v=2', '--a=$x']),
    'KUBELET_ARGS="--v=2 \\\n    --a=\\$x"',
  );
});

test('docker --env-file takes the value literally: written as it is, a newline refused', (t) => {
  t.is(dockerEnvFileLine('/etc/haproxy/k8sm-stats.env', 'P', `a"b'$c\\`), `P=a"b'$c\\`);
  refusesAll(t, '/etc/haproxy/k8sm-stats.env', CONTROL, (v) =>
    dockerEnvFileLine('/etc/haproxy/k8sm-stats.env', 'P', v),
  );
});
