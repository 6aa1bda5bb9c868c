import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { join } from 'node:path';
import test from 'ava';
import { probeBin, removeTempDirs, run, tempDir } from './helpers.js';

// A real HAProxy (Debian 2.6) with backends that are whole, dead, in MAINT, DRAIN and `no check`;
// k8sm-probe reads its real stats CSV and must judge each backend as HAProxy itself reports it.
const HAPROXY = '/usr/sbin/haproxy';
const available = existsSync(HAPROXY);
const daemonTest = available || process.env.CI === 'true' ? test.serial : test.skip;
const HOST = '127.0.46.1';

const children: ChildProcess[] = [];
test.after.always(() => {
  for (const c of children) c.kill('SIGKILL');
  removeTempDirs();
});

/** Ports free now on HOST (bound to port 0, then released). */
async function freePorts(n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await new Promise<number>((resolve, reject) => {
        const s = createServer();
        s.once('error', reject);
        s.listen(0, HOST, () => {
          const { port } = s.address() as AddressInfo;
          s.close(() => resolve(port));
        });
      }),
    );
  }
  return out;
}

/** One command on HAProxy's runtime API (the admin stats socket). */
function runtimeApi(socket: string, command: string): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const c = connect(socket, () => c.end(`${command}\n`));
    c.setTimeout(3000, () => c.destroy());
    c.on('data', (d) => {
      out += d;
    });
    c.on('close', () => resolve(out));
    c.on('error', (e) => resolve(e.message));
  });
}

interface Report {
  status: string;
  ensembles: {
    system: string;
    status: string;
    summary: string;
    members: { member: string; ok: boolean }[];
  }[];
}

daemonTest(
  'a real HAProxy: a dead backend is CRITICAL among whole ones; MAINT and DRAIN are WARNING, all in MAINT is CRITICAL; no check is up; listeners are not servers',
  async (t) => {
    t.timeout(60_000);
    t.true(available, `Debian's haproxy is missing (${HAPROXY}): the test command installs it`);
    const dir = tempDir();
    const [stats, front, closed1, closed2, closed3] = await freePorts(5);
    const socket = join(dir, 'admin.sock');
    const up = `${HOST}:${stats}`;
    const check = 'check inter 200 rise 1 fall 1';
    const cfg = [
      'global',
      `  stats socket ${socket} mode 600 level admin`,
      'defaults',
      '  mode tcp',
      '  timeout connect 1s',
      '  timeout client 5s',
      '  timeout server 5s',
      'listen stats',
      `  bind ${HOST}:${stats}`,
      '  mode http',
      '  stats enable',
      '  stats uri /stats',
      'frontend in',
      `  bind ${HOST}:${front}`,
      '  option socket-stats',
      '  default_backend whole',
      'backend whole',
      `  server w1 ${up} ${check}`,
      `  server w2 ${up} ${check}`,
      'backend dead',
      `  server d1 ${HOST}:${closed1} ${check}`,
      `  server d2 ${HOST}:${closed2} ${check}`,
      'backend maint',
      `  server m1 ${up} ${check} disabled`,
      `  server m2 ${up} ${check}`,
      'backend drain',
      `  server r1 ${up} ${check}`,
      `  server r2 ${up} ${check}`,
      'backend offline',
      `  server o1 ${up} ${check} disabled`,
      `  server o2 ${up} ${check}`,
      'backend nocheck',
      `  server n1 ${HOST}:${closed3}`,
      '',
    ].join('\n');
    const cfgFile = join(dir, 'haproxy.cfg');
    writeFileSync(cfgFile, cfg);
    const haproxy = spawn(HAPROXY, ['-db', '-f', cfgFile], { stdio: 'ignore' });
    children.push(haproxy);

    const url = `http://${HOST}:${stats}/stats`;
    const probe = (): Report | undefined => {
      const r = run(probeBin, ['--haproxy', url, '--json', '--timeout', '3'], dir);
      try {
        return JSON.parse(r.stdout) as Report;
      } catch {
        return undefined;
      }
    };
    const settled = (r: Report | undefined) =>
      r !== undefined &&
      r.ensembles.length === 6 &&
      r.ensembles.find((e) => e.system.endsWith('backend dead'))?.status === 'CRITICAL' &&
      r.ensembles.find((e) => e.system.endsWith('backend whole'))?.status === 'OK';
    let report = probe();
    for (let i = 0; i < 40 && !settled(report); i++) {
      await new Promise((r) => setTimeout(r, 250));
      report = probe();
    }
    t.true(settled(report), JSON.stringify(report));
    t.regex(await runtimeApi(socket, 'set server drain/r1 state drain'), /^\s*$/);
    t.regex(await runtimeApi(socket, 'disable server offline/o2'), /^\s*$/);

    const r = run(probeBin, ['--haproxy', url, '--json', '--timeout', '3'], dir);
    t.is(r.code, 2, r.stdout + r.stderr);
    const final = JSON.parse(r.stdout) as Report;
    const byBackend = Object.fromEntries(
      final.ensembles.map((e) => [
        e.system.replace(`haproxy ${url}/;csv backend `, '').replace(`haproxy ${url} backend `, ''),
        [e.status, e.summary],
      ]),
    );
    t.deepEqual(byBackend, {
      whole: ['OK', '2/2 up'],
      dead: ['CRITICAL', '0/2 up, 2 DOWN'],
      maint: ['WARNING', '1/2 up, 1 in MAINT'],
      drain: ['WARNING', '1/2 up, 1 draining (existing sessions only, no new ones)'],
      offline: ['CRITICAL', '0/2 up, 2 in MAINT'],
      nocheck: ['OK', '1/1 up'],
    });
    // HAProxy's own words for the same servers, from its stats socket
    const csv = await runtimeApi(socket, 'show stat');
    const statusOf = (px: string, sv: string) =>
      csv
        .split('\n')
        .find((l) => l.startsWith(`${px},${sv},`))
        ?.split(',')[17];
    t.deepEqual(
      [
        statusOf('maint', 'm1'),
        statusOf('offline', 'o2'),
        statusOf('drain', 'r1'),
        statusOf('nocheck', 'n1'),
        statusOf('dead', 'd1'),
      ],
      ['MAINT', 'MAINT', 'DRAIN', 'no check', 'DOWN'],
    );
    t.false(
      final.ensembles.some((e) => e.members.some((m) => m.member.startsWith('in/'))),
      'listener rows are not servers',
    );
    t.regex(csv, /^in,sock-1,.*,OPEN,/m, 'HAProxy does list the listener');
  },
);
