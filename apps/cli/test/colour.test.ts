import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatTable, type ProbeReport } from '@k8sm/probes';
import test from 'ava';
import { colourOn, paint } from '../src/colour.js';
import { probeBin, removeTempDirs, renderBin, tempDir, threeMasters, writeSpec } from './helpers.js';

// Colour on a real pseudo-terminal: util-linux `script` runs the command with its stdout and stderr
// on a terminal. Piped, or with NO_COLOR set, the same command prints no escape.
const servers: Server[] = [];
test.after.always(() => {
  for (const s of servers) s.close();
  removeTempDirs();
});

const ESC = String.fromCharCode(27);
const SGR = { red: `${ESC}[31m`, green: `${ESC}[32m`, yellow: `${ESC}[33m`, magenta: `${ESC}[35m` };
const RESET = `${ESC}[39m`;
const sq = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node bin args` on a terminal (`script`: stdout and stderr both go to it), or piped; without blocking the fakes. */
function runIn(
  where: 'tty' | 'pipe',
  bin: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<Ran> {
  // neither variable from the test's own environment (an empty one is left out too: Node warns
  // when FORCE_COLOR and NO_COLOR are both set)
  const { NO_COLOR: _n, FORCE_COLOR: _f, ...inherited } = process.env;
  const environment = { ...inherited, ...env };
  const command = [process.execPath, bin, ...args].map(sq).join(' ');
  const [file, argv] =
    where === 'tty' ? ['script', ['-qec', command, '/dev/null']] : [process.execPath, [bin, ...args]];
  return new Promise((resolve) => {
    execFile(file, argv, { cwd, env: environment, timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({
        code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
        stdout: stdout.replaceAll('\r\n', '\n'),
        stderr,
      }),
    );
  });
}

const hasEscape = (text: string) => text.includes(ESC);
/** The escape character made visible, for the regular expressions below. */
const v = (text: string) => text.replaceAll(ESC, '<ESC>');

/** A spec with one error and one with one warning (an even ZooKeeper ensemble). */
function specs() {
  const cwd = tempDir();
  const invalid = writeSpec(cwd, 'invalid.json', threeMasters({ zookeper: {} }));
  const even = threeMasters();
  even.hosts.push({ name: 'zk4', address: '10.16.40.4', roles: ['zookeeper'] });
  return { cwd, invalid, even: writeSpec(cwd, 'even.json', even) };
}

test('on a terminal an error is red and a warning yellow; NO_COLOR=1 and a pipe print none', async (t) => {
  const { cwd, invalid, even } = specs();
  for (const args of [
    ['validate', invalid],
    [invalid, '-o', 'out'],
  ]) {
    const tty = await runIn('tty', renderBin, args, cwd);
    t.is(tty.code, 1, args.join(' '));
    t.regex(v(tty.stdout), /invalid\.json:\d+:\d+: <ESC>\[31merror<ESC>\[39m zookeper: unknown key/);
    const plain = tty.stdout.replaceAll(SGR.red, '').replaceAll(RESET, '');
    const piped = await runIn('pipe', renderBin, args, cwd);
    t.is(piped.code, 1);
    t.false(hasEscape(piped.stderr), 'piped: no colour');
    t.is(plain.trimEnd(), piped.stderr.trimEnd(), 'the colour is the only difference');
    const noColor = await runIn('tty', renderBin, args, cwd, { NO_COLOR: '1' });
    t.is(noColor.code, 1);
    t.false(hasEscape(noColor.stdout), 'NO_COLOR=1 on a terminal: no colour');
    t.regex(noColor.stdout, /invalid\.json:\d+:\d+: error zookeper/);
  }
  const warned = await runIn('tty', renderBin, ['validate', even], cwd);
  t.is(warned.code, 0);
  t.regex(v(warned.stdout), /even\.json:\d+:\d+: <ESC>\[33mwarning<ESC>\[39m \[even-ensemble\]/);
  t.regex(warned.stdout, /is valid: 5 hosts, 1 warning\(s\)/, 'the summary line itself is not coloured');
  const strict = await runIn('tty', renderBin, ['validate', even, '--strict'], cwd);
  t.is(strict.code, 1);
  t.true(strict.stdout.includes(`${SGR.yellow}warning${RESET}`));
});

test('an empty NO_COLOR does not disable colour; FORCE_COLOR=1 colours a pipe, but NO_COLOR wins', async (t) => {
  const { cwd, invalid } = specs();
  const empty = await runIn('tty', renderBin, ['validate', invalid], cwd, { NO_COLOR: '' });
  t.true(empty.stdout.includes(`${SGR.red}error${RESET}`));
  const forced = await runIn('pipe', renderBin, ['validate', invalid], cwd, { FORCE_COLOR: '1' });
  t.true(forced.stderr.includes(`${SGR.red}error${RESET}`));
  t.false(hasEscape(forced.stdout));
  const both = await runIn('pipe', renderBin, ['validate', invalid], cwd, {
    FORCE_COLOR: '1',
    NO_COLOR: '1',
  });
  t.false(hasEscape(both.stderr));
});

test('--json is never coloured, on a terminal or forced', async (t) => {
  const { cwd, invalid } = specs();
  for (const args of [
    ['validate', invalid, '--json'],
    [invalid, '-o', 'out', '--json'],
  ]) {
    const tty = await runIn('tty', renderBin, args, cwd);
    t.is(tty.code, 1);
    t.false(hasEscape(tty.stdout), args.join(' '));
    t.like(JSON.parse(tty.stdout), { ok: false });
    const forced = await runIn('pipe', renderBin, args, cwd, { FORCE_COLOR: '1' });
    t.false(hasEscape(forced.stdout));
    t.like(JSON.parse(forced.stdout), { ok: false });
  }
});

/** A Marathon member that leads: `GET /ping` pong, `GET /v2/leader` itself. */
async function marathon(): Promise<string> {
  const server = createServer((req, res) => {
    if (req.url === '/ping') return res.writeHead(200, { 'content-type': 'text/plain' }).end('pong');
    if (req.url === '/v2/leader')
      return res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ leader: `127.0.0.1:${(server.address() as AddressInfo).port}` }));
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test("k8sm-probe's table on a terminal: OK green, WARNING yellow, CRITICAL red; machine formats and pipes plain", async (t) => {
  const cwd = tempDir();
  const leader = await marathon();
  // OK: one Marathon leading; WARNING: the leader and two standbys down; CRITICAL: a ZooKeeper down
  const args = [
    '--marathon',
    leader,
    '--marathon',
    `${leader},http://127.0.0.1:1,http://127.0.0.1:2`,
    '--zk',
    '127.0.0.1:1',
    '--timeout',
    '1',
  ];
  const tty = await runIn('tty', probeBin, args, cwd);
  t.is(tty.code, 2, tty.stdout);
  t.regex(v(tty.stdout), /^marathon {3}<ESC>\[32mOK<ESC>\[39m {7}1\/1 up/m);
  t.regex(v(tty.stdout), /^marathon {3}<ESC>\[33mWARNING<ESC>\[39m {2}1\/3 up/m);
  t.regex(v(tty.stdout), /^zookeeper {2}<ESC>\[31mCRITICAL<ESC>\[39m 0\/1 up/m);
  t.regex(v(tty.stdout), /^overall: <ESC>\[31mCRITICAL<ESC>\[39m$/m);
  const piped = await runIn('pipe', probeBin, args, cwd);
  t.false(hasEscape(piped.stdout));
  t.regex(piped.stdout, /^marathon {3}OK {7}1\/1 up/m, 'the columns are those of the coloured table');
  const noColor = await runIn('tty', probeBin, args, cwd, { NO_COLOR: '1' });
  t.false(hasEscape(noColor.stdout));
  t.regex(noColor.stdout, /^overall: CRITICAL$/m);
  for (const format of ['--json', '--prometheus', '--nagios']) {
    const r = await runIn('tty', probeBin, [...args, format], cwd);
    t.is(r.code, 2, format);
    t.false(hasEscape(r.stdout), `${format} on a terminal: no colour`);
    const forced = await runIn('pipe', probeBin, [...args, format], cwd, { FORCE_COLOR: '1' });
    t.false(hasEscape(forced.stdout), `${format} with FORCE_COLOR=1: no colour`);
  }
});

test("formatTable's paint, UNKNOWN magenta: the table is the same with or without colour but for the escapes", (t) => {
  const ensemble = (system: string, status: ProbeReport['status']) =>
    ({
      system,
      status,
      summary: `${status.toLowerCase()} summary`,
      members: [],
      details: [],
    }) as unknown as ProbeReport['ensembles'][number];
  const report = {
    status: 'UNKNOWN',
    ensembles: [
      ensemble('etcd', 'OK'),
      ensemble('mesos', 'WARNING'),
      ensemble('haproxy', 'CRITICAL'),
      ensemble('zookeeper', 'UNKNOWN'),
    ],
  } as ProbeReport;
  const colours = { OK: 'green', WARNING: 'yellow', CRITICAL: 'red', UNKNOWN: 'magenta' } as const;
  const painted = formatTable(report, { paint: (status, text) => paint(colours[status], text) });
  t.is(painted.split('\n')[3], `zookeeper  ${SGR.magenta}UNKNOWN${RESET}  unknown summary`);
  t.is(painted.split('\n').at(-1), `overall: ${SGR.magenta}UNKNOWN${RESET}`);
  t.is(painted.replace(new RegExp(`${ESC}\\[\\d+m`, 'g'), ''), formatTable(report));
  t.false(hasEscape(formatTable(report)), 'no colour by default');
});

test('colourOn: a terminal, NO_COLOR (non-empty) off, FORCE_COLOR on', (t) => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  t.true(colourOn(tty, {}));
  t.false(colourOn(pipe, {}));
  t.false(colourOn(tty, { NO_COLOR: '1' }));
  t.false(colourOn(tty, { NO_COLOR: 'anything' }));
  t.true(colourOn(tty, { NO_COLOR: '' }));
  t.true(colourOn(pipe, { FORCE_COLOR: '1' }));
  t.false(colourOn(pipe, { FORCE_COLOR: '0' }));
  t.false(colourOn(tty, { FORCE_COLOR: '0' }), 'FORCE_COLOR=0 turns it off');
  t.false(colourOn(pipe, { FORCE_COLOR: '' }), 'an empty FORCE_COLOR forces nothing');
  t.false(colourOn(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }), 'NO_COLOR wins');
});
