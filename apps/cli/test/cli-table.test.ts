import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { type OptionTable, usageOf } from '../src/commands/command.js';
import { COMMANDS } from '../src/commands/index.js';
import { probeBin, removeTempDirs, render, renderBin, run, snapshot, tempDir, writeSpec } from './helpers.js';

test.after.always(removeTempDirs);

const binOf = (program: string) => (program === 'k8sm-probe' ? probeBin : renderBin);
const argsOf = (entry: (typeof COMMANDS)[number], ...rest: string[]) =>
  entry.default ? rest : [entry.name, ...rest];

/** Three etcd members over TLS with their PKI dir `pki` beside the spec. */
const tlsEtcd = {
  name: 'e',
  hosts: ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((address, i) => ({
    name: `etcd-${i + 1}`,
    address,
    roles: ['etcd'],
  })),
  etcd: { version: '3.4.23', tls: { client: true, peer: true, pkiDir: 'pki' } },
};

test('the table and the definitions agree: name, program, and a synopsis that starts with the name', async (t) => {
  for (const entry of COMMANDS) {
    const { command } = await entry.load();
    t.is(command.name, entry.name);
    t.is(command.program, entry.program);
    if (!entry.default) t.true(command.synopsis.startsWith(`${entry.name}`), entry.name);
    t.truthy(command.options.help, `${entry.name} takes --help`);
  }
  t.is(COMMANDS.filter((c) => c.default).length, 2, 'one default command per program');
});

test("every command's --help is its own and lists every option its table declares", async (t) => {
  for (const entry of COMMANDS) {
    const { command } = await entry.load();
    const r = run(binOf(entry.program), argsOf(entry, '--help'), tempDir());
    const title = entry.default ? entry.program : `${entry.program} ${entry.name}`;
    t.is(r.code, 0, title);
    t.is(r.stderr, '', title);
    t.true(r.stdout.startsWith(`Usage:\n  ${entry.program} ${command.synopsis}`), `${title}:\n${r.stdout}`);
    for (const [name, option] of Object.entries(command.options as OptionTable)) {
      t.regex(r.stdout, new RegExp(`(?<![\\w-])--${name}(?![\\w-])`), `${title} --help names --${name}`);
      if (option.short)
        t.regex(r.stdout, new RegExp(`(?<![\\w-])-${option.short},`), `${title}: -${option.short}`);
    }
    if (entry.default) {
      // the program's help lists every command with its summary
      for (const other of COMMANDS.filter((c) => c.program === entry.program)) {
        const { command: c } = await other.load();
        t.true(r.stdout.includes(`${entry.program} ${c.synopsis}`), `${title} lists ${other.name}`);
        t.true(r.stdout.includes(c.summary), `${title} gives ${other.name}'s summary`);
      }
    } else {
      t.is(r.stdout, `${usageOf(command)}\n`, `${title}: its own usage, not the program's`);
    }
  }
});

test('bridge --help and pki --help print their own options, bridge --timeout and --haproxy included', (t) => {
  const bridge = render(['bridge', '--help'], tempDir());
  t.is(bridge.code, 0);
  t.regex(bridge.stdout, /^Usage:\n {2}k8sm-render bridge --marathon/);
  t.regex(bridge.stdout, /^ {2}--timeout <s> +per request to Marathon/m);
  t.regex(bridge.stdout, /^ {2}--haproxy <path> +the haproxy binary/m);
  t.notRegex(bridge.stdout, /k8sm-render init|--strict/);
  const pki = render(['pki', '--help'], tempDir());
  t.is(pki.code, 0);
  t.regex(pki.stdout, /^Usage:\n {2}k8sm-render pki <spec>/);
  t.regex(pki.stdout, /^ {2}--dry-run +list the files that would be created; write nothing$/m);
  t.notRegex(pki.stdout, /k8sm-render bridge|--only/);
});

test('pki --dry-run lists the files it would create and leaves the PKI dir untouched', (t) => {
  const cwd = tempDir();
  const spec = writeSpec(cwd, 'spec.json', tlsEtcd);
  const dry = render(['pki', spec, '--dry-run'], cwd);
  t.is(dry.code, 0, dry.stderr);
  t.regex(dry.stdout, /^k8sm-render pki: .*\/pki: would create 18 file\(s\), keep 0 certificate\(s\)$/m);
  t.regex(dry.stdout, /^ {2}would create etcd\/ca\.crt$/m);
  t.regex(dry.stdout, /^ {2}would create etcd\/ca\.key \(0600\)$/m);
  t.notRegex(dry.stdout, /PRIVATE KEY/);
  t.false(existsSync(join(cwd, 'pki')), 'no PKI dir was made');
  t.deepEqual(readdirSync(cwd), ['spec.json']);

  // after a real run, one file removed: the dry run names that one, and touches nothing
  t.is(render(['pki', spec], cwd).code, 0);
  rmSync(join(cwd, 'pki/etcd/etcd-2/peer.crt'));
  rmSync(join(cwd, 'pki/etcd/etcd-2/peer.key'));
  const before = snapshot(join(cwd, 'pki'));
  const partial = render(['pki', spec, '--dry-run'], cwd);
  t.is(partial.code, 0, partial.stderr);
  t.regex(
    partial.stdout,
    /would create 2 file\(s\), keep \d+ certificate\(s\)\n {2}would create etcd\/etcd-2\/peer\.crt\n {2}would create etcd\/etcd-2\/peer\.key \(0600\)\n$/,
  );
  t.deepEqual(snapshot(join(cwd, 'pki')), before);
});

test('init --only is a usage error naming the option and the command; nothing is written', (t) => {
  const cwd = tempDir();
  const r = render(['init', '--only', 'zookeeper'], cwd);
  t.is(r.code, 2);
  t.regex(
    r.stderr,
    /^k8sm-render init: Unknown option '--only': k8sm-render init does not take it\n\nUsage:\n {2}k8sm-render init /,
  );
  t.deepEqual(readdirSync(cwd), []);
});

test("an option of another command is refused by this one, with this command's usage", (t) => {
  const cwd = tempDir();
  const spec = writeSpec(cwd, 'spec.json', tlsEtcd);
  const cases: [string, string[], string, string, number][] = [
    [renderBin, ['pki', spec, '--only', 'etcd'], '--only', 'k8sm-render pki', 2],
    [renderBin, ['pki', spec, '--check'], '--check', 'k8sm-render pki', 2],
    [renderBin, ['schema', '--json'], '--json', 'k8sm-render schema', 2],
    [
      renderBin,
      ['bridge', '--marathon', 'http://127.0.0.1:1', '-o', 'x.cfg', '--strict'],
      '--strict',
      'k8sm-render bridge',
      2,
    ],
    [renderBin, [spec, '-o', 'out', '--marathon', 'http://127.0.0.1:1'], '--marathon', 'k8sm-render', 2],
    [probeBin, ['quorum', '3', '--zk', '127.0.0.1:2181'], '--zk', 'k8sm-probe quorum', 3],
    [probeBin, ['--zk', '127.0.0.1:2181', '--dry-run'], '--dry-run', 'k8sm-probe', 3],
  ];
  for (const [bin, args, option, title, code] of cases) {
    const r = run(bin, args, cwd);
    t.is(r.code, code, args.join(' '));
    t.true(
      r.stderr.startsWith(`${title}: Unknown option '${option}': ${title} does not take it\n\nUsage:\n`),
      r.stderr,
    );
  }
  t.false(existsSync(join(cwd, 'pki')), 'pki wrote nothing');
  t.false(existsSync(join(cwd, 'out')));
});

test('a bad number names the flag and the accepted range', (t) => {
  const cwd = tempDir();
  const cases: [string, string[], RegExp][] = [
    [
      probeBin,
      ['--zk', '127.0.0.1:1', '--timeout', '0'],
      /--timeout 0: give a number of seconds from 0\.05 to 600/,
    ],
    [probeBin, ['--zk', '127.0.0.1:1', '--timeout', 'soon'], /--timeout soon: give a number of seconds from/],
    [
      probeBin,
      ['--zk', '127.0.0.1:1', '--concurrency', '1.5'],
      /--concurrency 1\.5: give a whole number from 1 to 4096/,
    ],
    [
      probeBin,
      ['--zk', '127.0.0.1:1', '--watch=-1'],
      /--watch -1: give a number of seconds from 0\.1 to 86400/,
    ],
    [probeBin, ['quorum', '1001'], /<members> 1001: give a whole number of members from 1 to 1000/],
    [probeBin, ['quorum', 'x'], /<members> x: give a whole number of members from 1 to 1000/],
    [
      renderBin,
      ['bridge', '--marathon', 'http://127.0.0.1:1', '-o', 'x.cfg', '--timeout', '99999'],
      /--timeout 99999: give a number of seconds from 0\.05 to 600/,
    ],
    [
      renderBin,
      ['bridge', '--marathon', 'http://127.0.0.1:1', '-o', 'x.cfg', '--watch', '0'],
      /--watch 0: give a number of seconds from 0\.1 to 86400/,
    ],
  ];
  for (const [bin, args, message] of cases) {
    const r = run(bin, args, cwd);
    t.is(r.code, bin === probeBin ? 3 : 2, args.join(' '));
    t.regex(r.stderr, message);
  }
  t.deepEqual(readdirSync(cwd), []);
});

test('a URL without its scheme names the flag and the value', (t) => {
  const cwd = tempDir();
  const cases: [string, string[], RegExp][] = [
    [
      probeBin,
      ['--etcd', '10.0.0.1:2379'],
      /^k8sm-probe: --etcd 10\.0\.0\.1:2379: write a URL with its scheme, e\.g\. http:\/\/10\.0\.0\.1:2379/,
    ],
    [
      probeBin,
      ['--apiserver', 'https://ok:6443,bad:6443'],
      /^k8sm-probe: --apiserver bad:6443: write a URL with its scheme, e\.g\. https:/,
    ],
    [
      renderBin,
      ['bridge', '--marathon', 'marathon:8080', '-o', 'x.cfg'],
      /^k8sm-render bridge: --marathon marathon:8080: write a URL with its scheme, e\.g\. http:\/\/10\.0\.0\.1:8080/,
    ],
  ];
  for (const [bin, args, message] of cases) {
    const r = run(bin, args, cwd);
    t.is(r.code, bin === probeBin ? 3 : 2, args.join(' '));
    t.regex(r.stderr, message);
  }
});

test('a command word after an option, and two output formats, are usage errors that say what to do', (t) => {
  const cwd = tempDir();
  const pki = render(['--json', 'pki', 'spec.json'], cwd);
  t.is(pki.code, 2);
  t.regex(pki.stderr, /^k8sm-render: pki is a command: put it first, as in k8sm-render pki --help/);
  const quorum = run(probeBin, ['--json', 'quorum', '3'], cwd);
  t.is(quorum.code, 3);
  t.regex(quorum.stderr, /^k8sm-probe: quorum is a command: put it first/);
  const two = run(probeBin, ['--zk', '127.0.0.1:1', '--json', '--nagios'], cwd);
  t.is(two.code, 3);
  t.regex(two.stderr, /^k8sm-probe: --json and --nagios: choose one output format/);
});
