import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, request as httpsRequest, type Server } from 'node:https';
import { join } from 'node:path';
import test from 'ava';
import { probeBin, removeTempDirs, render, run, tempDir, writeSpec } from './helpers.js';

// A real HAProxy (Debian 2.6) started from the rendered config, in front of three fake TLS
// apiservers that serve the certificates `k8sm-render pki` issued, on loopback "hosts".
const HAPROXY = '/usr/sbin/haproxy';
const available = existsSync(HAPROXY);
const daemonTest = available || process.env.CI === 'true' ? test.serial : test.skip;

const children: ChildProcess[] = [];
const servers: Server[] = [];
test.after.always(() => {
  for (const c of children) c.kill('SIGKILL');
  for (const s of servers) s.close();
  removeTempDirs();
});

const MASTERS = ['127.0.44.1', '127.0.44.2', '127.0.44.3'];
const LB = '127.0.44.10';
const API_PORT = 16443;
const LB_PORT = 26443;
const STATS_PORT = 19360;
const PASSWORD = 'not-a-default-0f9c';

function get(url: string, options: Record<string, unknown> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
      // a new connection each time (agent: false): in tcp mode a kept-alive one stays on one server
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        timeout: 2000,
        agent: false,
        ...options,
      },
      (res) => {
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, body: e.message }));
    req.end();
  });
}

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, seconds = 30): Promise<T> {
  let v = await probe();
  for (let i = 0; i < seconds * 4 && !ok(v); i++) {
    await new Promise((r) => setTimeout(r, 250));
    v = await probe();
  }
  return v;
}

daemonTest(
  'a rendered HAProxy balances three TLS apiservers, marks one DOWN when it stops and UP when it returns',
  async (t) => {
    t.timeout(120_000);
    t.true(available, `Debian's haproxy is missing (${HAPROXY}): the test command installs it`);
    const cwd = tempDir();
    writeFileSync(join(cwd, 'stats.pass'), `${PASSWORD}\n`, { mode: 0o600 });
    const spec = {
      name: 'lb-failover',
      hosts: [
        ...MASTERS.map((address, i) => ({ name: `m${i + 1}`, address, roles: ['etcd', 'k8s-master'] })),
        { name: 'lb', address: LB, roles: ['haproxy'] },
      ],
      etcd: { version: '3.5.16' },
      kubernetes: {
        version: '1.30.8',
        flavor: 'standalone',
        pkiDir: 'pki',
        apiserver: { securePort: API_PORT },
      },
      haproxy: {
        version: '2.6',
        frontendPort: LB_PORT,
        checkInterval: '500ms',
        stats: { port: STATS_PORT, address: LB, user: 'ops', password: { file: 'stats.pass' } },
      },
    };
    const file = writeSpec(cwd, 'lb.json', spec);
    t.is(render(['pki', file], cwd).code, 0);
    const r = render([file, '-o', 'out'], cwd);
    t.is(r.code, 0, r.stderr);
    t.notRegex(r.stdout + r.stderr, new RegExp(PASSWORD), 'the password is never printed');

    // the fake apiservers serve the rendered apiserver certificates
    const start = (i: number) =>
      new Promise<Server>((resolve) => {
        const pki = join(cwd, `out/hosts/m${i + 1}/etc/kubernetes/pki`);
        const server = createServer(
          { cert: readFileSync(join(pki, 'apiserver.crt')), key: readFileSync(join(pki, 'apiserver.key')) },
          (req, res) => {
            res.writeHead(200, { 'content-type': 'text/plain' });
            res.end(req.url === '/readyz' ? 'ok' : `apiserver m${i + 1}`);
          },
        );
        servers.push(server);
        server.listen(API_PORT, MASTERS[i], () => resolve(server));
      });
    const apis = await Promise.all(MASTERS.map((_, i) => start(i)));

    const lbDir = join(cwd, 'out/hosts/lb/etc/haproxy');
    const cfg = readFileSync(join(lbDir, 'haproxy.cfg'), 'utf8').replaceAll('/etc/haproxy/', `${lbDir}/`);
    const cfgFile = join(cwd, 'haproxy.cfg');
    writeFileSync(cfgFile, cfg);
    const env = readFileSync(join(lbDir, 'k8sm-stats.env'), 'utf8').trim().split('=');
    const haproxy = spawn(HAPROXY, ['-db', '-f', cfgFile], {
      env: { PATH: process.env.PATH ?? '', [env[0] ?? '']: env.slice(1).join('=') },
      stdio: 'ignore',
    });
    children.push(haproxy);

    const auth = `Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}`;
    const statusOf = async (server: string) => {
      const csv = await get(`http://${LB}:${STATS_PORT}/;csv`, { headers: { authorization: auth } });
      const row = csv.body.split('\n').find((l) => l.startsWith(`kube-apiservers,${server},`));
      return row?.split(',')[17] ?? `no row (${csv.status})`;
    };
    const all = () => Promise.all(['m1', 'm2', 'm3'].map(statusOf));
    t.deepEqual(await until(all, (s) => s.every((x) => x === 'UP')), ['UP', 'UP', 'UP']);
    t.is((await get(`http://${LB}:${STATS_PORT}/;csv`)).status, 401, 'stats need the password');

    const ca = readFileSync(join(cwd, 'pki/kubernetes/ca.crt'));
    const through = () => get(`https://${LB}:${LB_PORT}/version`, { ca });
    const first = await until(through, (x) => x.status === 200);
    t.regex(first.body, /^apiserver m[123]$/, 'the LB address is a SAN of every apiserver certificate');
    const seen = new Set<string>();
    for (let i = 0; i < 9; i++) seen.add((await through()).body);
    t.is(seen.size, 3, `round robin over the three: ${[...seen].join(', ')}`);

    // one apiserver goes away: DOWN after 3 failed checks of 500 ms, and requests still succeed
    apis[1]?.close();
    apis[1]?.closeAllConnections();
    t.is(
      await until(
        () => statusOf('m2'),
        (s) => s === 'DOWN',
        15,
      ),
      'DOWN',
    );
    for (let i = 0; i < 6; i++) t.regex((await through()).body, /^apiserver m[13]$/);
    // k8sm-probe reads the same stats CSV: WARNING (exit 1), naming the server that is down
    process.env.K8SM_TEST_STATS_PASSWORD = PASSWORD;
    const probe = run(
      probeBin,
      [
        '--haproxy',
        `http://${LB}:${STATS_PORT}/`,
        '--stats-user',
        'ops',
        '--stats-password-env',
        'K8SM_TEST_STATS_PASSWORD',
        '--json',
      ],
      cwd,
    );
    t.is(probe.code, 1, probe.stderr);
    const report = JSON.parse(probe.stdout) as {
      ensembles: { up: number; total: number; members: { member: string; ok: boolean }[] }[];
    };
    t.like(report.ensembles[0], { up: 2, total: 3 });
    t.deepEqual(
      report.ensembles[0]?.members.filter((m) => !m.ok).map((m) => m.member),
      ['kube-apiservers/m2'],
    );
    t.notRegex(probe.stdout + probe.stderr, new RegExp(PASSWORD));

    // it comes back: UP after 2 good checks
    await start(1);
    t.is(
      await until(
        () => statusOf('m2'),
        (s) => s === 'UP',
        15,
      ),
      'UP',
    );
    haproxy.kill('SIGTERM');
  },
);
