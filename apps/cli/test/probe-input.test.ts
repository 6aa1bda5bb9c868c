import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import test from 'ava';
import { freeSubnet, killAll, startZookeeper, waitForModes, zkTest } from './daemons.js';
import { noStack, probeBin, removeTempDirs } from './helpers.js';

// Bad input to the real built k8sm-probe: exit 3 (UNKNOWN, the Nagios plugin convention for "could
// not judge"), a message naming the flag, the value and the fix, no probe sent, and an UNKNOWN
// line on stdout in every format, checked by the real consumers (promtool, a real ZooKeeper).
const PROMTOOL = '/usr/bin/promtool';
const promtoolTest = existsSync(PROMTOOL) || process.env.CI === 'true' ? test : test.skip;

test.after.always(() => {
  killAll();
  removeTempDirs();
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The built CLI, run without blocking this process (the listener below must accept meanwhile). */
const probe = (args: readonly string[]): Promise<Run> =>
  new Promise((resolve) => {
    execFile(process.execPath, [probeBin, ...args], { timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });

/** A loopback listener counting the connections it is sent: a probe sent is a connection. */
async function listener(): Promise<{ server: Server; port: number; connections: () => number }> {
  let count = 0;
  const server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : 0,
    connections: () => count,
  };
}

const BAD: readonly { args: (port: number) => string[]; says: RegExp }[] = [
  {
    args: (p) => ['--zk', `127.0.0.1:${p},h:99999`],
    says: /--zk h:99999: port 99999 is not a TCP port: give 1 to 65535/,
  },
  { args: (p) => ['--zk', `127.0.0.1:${p},h:0`], says: /--zk h:0: port 0 is not a TCP port/ },
  {
    args: (p) => ['--zk', `127.0.0.1:${p}`, '--zk', ''],
    says: /--zk "": no member in it: list them comma-separated/,
  },
  { args: (p) => ['--zk', `127.0.0.1:${p}`, '--zk', ',,,'], says: /--zk ",,,": no member in it/ },
  {
    args: (p) => ['--etcd', `http://127.0.0.1:${p},http://h:99999`],
    says: /--etcd http:\/\/h:99999: port 99999 is not a TCP port/,
  },
  {
    args: (p) => ['--etcd', `http://127.0.0.1:${p},http://u:pw@h:0/`],
    says: /--etcd http:\/\/u:\*\*\*@h:0\/: port 0 is not a TCP port/,
  },
  {
    args: (p) => ['--zk', `127.0.0.1:${p}`, '--timeout', '1e9'],
    says: /--timeout 1e9: give a number of seconds from 0.05 to 600/,
  },
  {
    args: (p) => ['--zk', `127.0.0.1:${p}`, '-w', '2', '-c', '1'],
    says: /-w 2 is above -c 1: the WARNING latency must not exceed the CRITICAL one/,
  },
  {
    args: (p) => ['--zk', `127.0.0.1:${p}`, '--critical', 'soon'],
    says: /-c\/--critical soon: give a number of seconds from 0.05 to 600/,
  },
  {
    args: (p) => [
      '--zk',
      Array.from({ length: 300 }, (_, i) => `127.0.0.1:${p + (i % 2)}${i ? `,h${i}:1` : ''}`).join(','),
    ],
    says: /--zk: \d+ members, more than the 256 k8sm-probe takes per flag/,
  },
];

test.serial(
  'bad input: exit 3 with the flag, the value and the fix, no stack, no probe sent, UNKNOWN in every format',
  async (t) => {
    const { server, port, connections } = await listener();
    try {
      // the listener does count a probe: a good member list reaches it
      const good = await probe(['--zk', `127.0.0.1:${port}`, '--timeout', '0.5']);
      t.true(connections() > 0, good.stderr);
      const before = connections();
      for (const { args, says } of BAD) {
        for (const format of ['table', 'nagios', 'json', 'prometheus'] as const) {
          const r = await probe([...args(port), ...(format === 'table' ? [] : [`--${format}`])]);
          const what = `${args(port).join(' ').slice(0, 80)} --${format}`;
          t.is(r.code, 3, `${what}: ${r.stderr}`);
          t.regex(r.stderr.split('\n')[0] ?? '', says, what);
          t.true(noStack(r.stderr), what);
          t.notRegex(r.stderr, /internal error/, what);
          t.notRegex(`${r.stdout}${r.stderr}`, /:pw@/, what);
          if (format === 'nagios') t.regex(r.stdout, /^K8SM UNKNOWN - /, what);
          if (format === 'json') t.like(JSON.parse(r.stdout), { status: 'UNKNOWN', ensembles: [] }, what);
          if (format === 'json') t.regex(JSON.parse(r.stdout).reason, says, what);
          if (format === 'prometheus') t.regex(r.stdout, /^k8sm_probe_status\{reason=".*"\} 3$/m, what);
          if (format === 'table') t.regex(r.stdout, /^overall: UNKNOWN/, what);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      t.is(connections(), before, 'a bad list sent no probe, not even to its good members');
    } finally {
      server.close();
    }
  },
);

promtoolTest('the UNKNOWN Prometheus exposition passes promtool check metrics', async (t) => {
  t.true(existsSync(PROMTOOL), `${PROMTOOL} is missing: Debian's prometheus package has it`);
  for (const value of ['h:99999', 'h:0', 'a"b\\c:0']) {
    const r = await probe(['--zk', value, '--prometheus']);
    t.is(r.code, 3, r.stderr);
    const check = spawnSync(PROMTOOL, ['check', 'metrics'], {
      input: r.stdout,
      encoding: 'utf8',
      timeout: 20_000,
    });
    t.is(check.status, 0, `${r.stdout}\n${check.stdout}${check.stderr}`);
  }
});

zkTest('a real ZooKeeper member listed three times is one member, with a warning per copy', async (t) => {
  t.timeout(120_000);
  const subnet = await freeSubnet([81, 82, 83, 84, 85], [2181, 2888, 3888, 8080]);
  const zk = await startZookeeper(t, 1, subnet);
  const [host] = zk.hosts;
  await waitForModes(zk.hosts, (m) => m[0] === 'standalone' || m[0] === 'leader');
  const r = await probe(['--zk', `${host}:2181,${host}:2181,${host}:02181`, '--json', '--timeout', '2']);
  t.is(r.code, 0, `${r.stdout}${r.stderr}`);
  const report = JSON.parse(r.stdout) as {
    ensembles: { total: number; leaders: string[]; members: unknown[] }[];
  };
  t.is(report.ensembles[0]?.total, 1);
  t.is(report.ensembles[0]?.members.length, 1);
  t.deepEqual(report.ensembles[0]?.leaders, [`${host}:2181`]);
  t.is(r.stderr.match(/warning: --zk .*: the same member as .*, probed once/g)?.length, 2, r.stderr);
});
