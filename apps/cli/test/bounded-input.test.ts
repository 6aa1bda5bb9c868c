import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { failsCleanly, withPreviousOutput } from './fails-cleanly.js';
import {
  example,
  noStack,
  removeTempDirs,
  render,
  renderBin,
  snapshot,
  tempDir,
  threeMasters,
  writeSpec,
} from './helpers.js';

test.after.always(removeTempDirs);

// bounded input (issue 13) ------------------------------------------------------------------------

/** k8sm-render with `input` on its standard input. */
const renderStdin = (args: readonly string[], cwd: string, input: string | Buffer) => {
  const r = spawnSync(process.execPath, [renderBin, ...args], {
    cwd,
    input,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

test('a spec over the size limit is refused before it is read, the limit in the message', (t) => {
  const big = join(tempDir(), 'big.json');
  writeFileSync(big, `{"name": "${'x'.repeat(5 * 1024 * 1024)}"}`);
  failsCleanly(t, big, /big\.json: the spec is larger than 4 MiB \(4194304 bytes\), the most k8sm reads/);
});

test('a FIFO, a device or a directory as the spec is refused at once, never read or waited on', (t) => {
  const fifo = join(tempDir(), 'spec.fifo');
  execFileSync('mkfifo', [fifo]);
  const started = Date.now();
  failsCleanly(
    t,
    fifo,
    /cannot read spec .*spec\.fifo: it is a named pipe \(FIFO\), not a file — pass the spec file, or -/,
  );
  failsCleanly(t, '/dev/zero', /cannot read spec \/dev\/zero: it is a character device, not a file/);
  failsCleanly(t, '/dev/null', /cannot read spec \/dev\/null: it is a character device/);
  t.true(Date.now() - started < 15_000);
});

test('- reads the spec from standard input, named <stdin> in locations, with the same limit', (t) => {
  const cwd = tempDir();
  const good = renderStdin(['-', '-o', 'out'], cwd, readFileSync(example('mesosphere-3-masters.json')));
  t.is(good.code, 0, good.stderr);
  t.regex(good.stdout, /rendered mesosphere-demo from <stdin> into out/);
  const hostFiles = (dir: string) =>
    Object.entries(snapshot(dir)).filter(
      ([path]) => path.startsWith('hosts/') || path.startsWith('scripts/'),
    );
  t.deepEqual(
    hostFiles(join(cwd, 'out')),
    hostFiles(join(withPreviousOutput().cwd, 'out')),
    'the same host files and scripts as from the file',
  );
  const bad = renderStdin(['-', '--dry-run'], cwd, 'name: x\nhosts: *nodes\n');
  t.is(bad.code, 1);
  t.regex(bad.stderr, /^k8sm-render: <stdin>:2:8: invalid YAML: the alias \*nodes names no anchor/);
  const big = renderStdin(['-', '--dry-run'], cwd, Buffer.alloc(50 * 1024 * 1024, 0x20));
  t.is(big.code, 1);
  t.regex(big.stderr, /<stdin>: the spec is larger than 4 MiB/);
  t.true(noStack(big.stderr));
});

test('alias bombs, undefined aliases, cycles and deep nesting are located syntax errors, not internal errors', (t) => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (const [i, name] of [...'bcdefghi'].entries())
    bomb.push(`${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`);
  for (const [name, text, where] of [
    ['bomb.yaml', bomb.join('\n'), /bomb\.yaml:5:8: invalid YAML: aliases copy in more than 10000 nodes/],
    ['undef.yaml', 'name: x\nhosts: *h\n', /undef\.yaml:2:8: invalid YAML: the alias \*h names no anchor/],
    [
      'cycle.yaml',
      'name: x\nhosts: &h [*h]\n',
      /cycle\.yaml:2:12: invalid YAML: the alias \*h is inside the node/,
    ],
    [
      'deep.yaml',
      `${'- '.repeat(100_000)}x`,
      /deep\.yaml:1:129: invalid YAML: nested more than 64 levels deep/,
    ],
    [
      'deep.json',
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      /deep\.json:1:65: invalid JSON: nested more than 64/,
    ],
  ] as const) {
    const r = failsCleanly(t, writeSpec(tempDir(), name, text), where);
    t.notRegex(r.stderr, /internal error|RangeError|Maximum call stack/, name);
  }
});

test('__proto__ is refused like any unknown key, at its line (it was dropped silently)', (t) => {
  const spec = JSON.stringify(threeMasters(), null, 2).replace(
    '{\n',
    '{\n  "__proto__": {"isAdmin": true},\n',
  );
  const r = failsCleanly(t, spec, /spec\.json:2:3: error __proto__: unknown key "__proto__"/);
  t.regex(r.stderr, /fix: remove it/);
});

test('what editors write is accepted: a byte-order mark in JSON and YAML, YAML merge keys', (t) => {
  const cwd = tempDir();
  const json = readFileSync(example('mesosphere-3-masters.json'), 'utf8');
  const bom = render([writeSpec(cwd, 'bom.json', `\uFEFF${json}`), '-o', 'a'], cwd);
  t.is(bom.code, 0, bom.stderr);
  const yaml = [
    '\uFEFFname: merged',
    'hosts:',
    '  - &master { name: m1, address: 10.16.40.1, roles: [zookeeper, mesos-master, marathon] }',
    '  - { <<: *master, name: m2, address: 10.16.40.2 }',
    '  - <<: *master',
    '    name: m3',
    '    address: 10.16.40.3',
    'zookeeper: { version: 3.4.6 }',
    'mesos: { version: 1.11.0 }',
    'marathon: { version: 1.11.24 }',
  ].join('\n');
  const merged = render([writeSpec(cwd, 'merged.yaml', yaml), '-o', 'b'], cwd);
  t.is(merged.code, 0, merged.stderr);
  t.regex(
    readFileSync(join(cwd, 'b/hosts/m3/etc/zookeeper/conf/zoo.cfg'), 'utf8'),
    /^server\.3=10\.16\.40\.3:/m,
  );
});

test('a control character in free text is refused at its line, and printed escaped', (t) => {
  const r = failsCleanly(
    t,
    threeMasters({ description: 'demo\u001b[2J\u001b[31m' }),
    /spec\.json:\d+:\d+: error description: an escape \(U\+001B\) at character 5 is not allowed here/,
  );
  t.false(r.stderr.includes('\u001b'), 'no raw escape reaches the terminal');
});
