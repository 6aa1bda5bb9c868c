import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { selfSigned } from '@k8sm/testkit';
import test from 'ava';
import fc from 'fast-check';
import {
  closeHttpAgents,
  ensembleVerdict,
  httpRequest,
  parseHaproxyCsv,
  parseMntr,
  parseSrvr,
  parseVerboseChecks,
  probeApiserver,
  probeEtcd,
  probeMarathon,
  probeMesosMaster,
} from '../src/index.js';

const servers: Server[] = [];
test.after.always(async () => {
  for (const s of servers) s.close();
  await closeHttpAgents();
});

/** A fake on 127.0.45.x, port 0, answering by path. */
function fake(
  host: string,
  routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void>,
): Promise<string> {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      const route = routes[req.url ?? ''];
      if (route) route(req, res);
      else {
        res.writeHead(404);
        res.end();
      }
    });
    servers.push(server);
    server.listen(0, host, () => resolve(`http://${host}:${(server.address() as AddressInfo).port}`));
  });
}
const send =
  (status: number, body: unknown, type = 'application/json') =>
  (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': type });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

test.serial('Mesos: the elected master and a standby, from /metrics/snapshot', async (t) => {
  const metrics = (elected: number) => ({
    'master/elected': elected,
    'master/slaves_active': 3,
    'master/slaves_connected': 3,
    'master/uptime_secs': 120.5,
    'registrar/log/recovered': 1,
  });
  const leader = await fake('127.0.45.11', {
    '/master/health': send(200, ''),
    '/metrics/snapshot': send(200, metrics(1)),
  });
  const standby = await fake('127.0.45.12', {
    '/master/health': send(200, ''),
    '/metrics/snapshot': send(200, metrics(0)),
    '/master/state': (_q, res) => {
      res.writeHead(307, { location: `${leader}/master/state` });
      res.end();
    },
  });
  t.like(await probeMesosMaster(leader), {
    ok: true,
    elected: true,
    agentsActive: 3,
    registrarRecovered: true,
  });
  t.like(await probeMesosMaster(standby), { ok: true, elected: false });
  const redirecting = await fake('127.0.45.14', {
    '/master/health': send(200, ''),
    '/metrics/snapshot': send(200, metrics(0)),
    '/master/redirect': (_q, res) => {
      res.writeHead(307, { location: '//10.16.40.2:5050' });
      res.end();
    },
  });
  t.like(await probeMesosMaster(redirecting), {
    ok: true,
    elected: false,
    leaderRedirect: '//10.16.40.2:5050',
  });
  const leaderless = await fake('127.0.45.15', {
    '/master/health': send(200, ''),
    '/metrics/snapshot': send(200, metrics(0)),
    '/master/redirect': send(503, 'No leader elected', 'text/plain'),
  });
  const none = await probeMesosMaster(leaderless);
  t.like(none, { ok: true, elected: false });
  t.false(none.ok && 'leaderRedirect' in none);
  const down = await fake('127.0.45.13', { '/master/health': send(503, '') });
  t.like(await probeMesosMaster(down), { ok: false, reason: 'http-status' });
});

test.serial(
  'etcd 2.x: /v2/stats/self ids are hex already and stay so, even when every digit is 0-9',
  async (t) => {
    // etcd 2.x answers /v2/stats/self with hex ids ("id": "8e9e05c52164694d" in etcd's docs and
    // metricbeat's etcd self metricset example); an id of only decimal digits is still hex. The v3
    // gateway's decimal ids are compared with etcdctl's hex on a real etcd in apps/cli/test/probe.test.ts.
    const id = '1234567890123456';
    const url = await fake('127.0.45.31', {
      '/health': send(200, { health: 'true' }),
      '/v2/stats/self': send(200, { id, state: 'StateLeader', leaderInfo: { leader: id } }),
    });
    t.like(await probeEtcd(url), { ok: true, memberId: id, leader: id, isLeader: true });
  },
);

test.serial('Marathon: a standby proxies to the leader, /v2/leader names it', async (t) => {
  const a = await fake('127.0.45.21', {});
  const leaderHost = new URL(a).host;
  const routes = {
    '/ping': send(200, 'pong', 'text/plain'),
    '/v2/leader': send(200, { leader: leaderHost }),
  };
  servers.pop()?.close();
  const leader = await fake('127.0.45.21', routes);
  const standby = await fake('127.0.45.22', routes);
  const l = await probeMarathon(leader);
  const s = await probeMarathon(standby);
  t.like(s, { ok: true, isLeader: false });
  if (l.ok) t.is(l.leader === new URL(leader).host, l.isLeader);
  const none = await fake('127.0.45.23', { '/ping': send(200, 'pong', 'text/plain') });
  t.like(await probeMarathon(none), { ok: false, reason: 'not-serving' });
});

test.serial(
  'apiserver: /readyz?verbose checks parsed, a failing etcd check, 401 without credentials',
  async (t) => {
    const verbose =
      '[+]ping ok\n[+]log ok\n[-]etcd failed: reason withheld\n[+]poststarthook/start-kube-aggregator-informers ok\nreadyz check failed\n';
    const bad = await fake('127.0.45.31', {
      '/readyz?verbose': send(500, verbose, 'text/plain'),
      '/livez': send(200, 'ok', 'text/plain'),
      '/version': send(200, { gitVersion: 'v1.30.8' }),
    });
    const r = await probeApiserver(bad);
    t.like(r, { ok: true, live: true, ready: false, version: 'v1.30.8' });
    if (r.ok)
      t.deepEqual(
        r.checks.filter((c) => !c.ok).map((c) => c.name),
        ['etcd'],
      );
    const locked = await fake('127.0.45.32', { '/readyz?verbose': send(401, 'Unauthorized', 'text/plain') });
    const u = await probeApiserver(locked);
    t.like(u, { ok: false, reason: 'unauthorized' });
    if (!u.ok) t.regex(u.message, /anonymous access disabled/);
    // 1.6 with RBAC: authorization before routing refuses the unknown /readyz, /healthz is granted
    const rbac16 = await fake('127.0.45.34', {
      '/readyz?verbose': send(403, 'Forbidden', 'text/plain'),
      '/healthz': send(200, 'ok', 'text/plain'),
      '/version': send(200, { gitVersion: 'v1.6.0' }),
    });
    t.like(await probeApiserver(rbac16), { ok: true, ready: true, live: true, version: 'v1.6.0' });
    const both = await fake('127.0.45.35', {
      '/readyz?verbose': send(401, 'Unauthorized', 'text/plain'),
      '/healthz': send(401, 'Unauthorized', 'text/plain'),
    });
    t.like(await probeApiserver(both), { ok: false, reason: 'unauthorized' });
    const old = await fake('127.0.45.33', {
      '/healthz': send(200, 'ok', 'text/plain'),
      '/version': send(200, { gitVersion: 'v1.6.0' }),
    });
    t.like(await probeApiserver(old), { ok: true, ready: true, live: true, version: 'v1.6.0' });
  },
);

test.serial('verdicts: quorum, tolerance, no leader and split brain', (t) => {
  const up = (member: string, leader = false) => ({
    member,
    leader,
    result: { ok: true as const, latencyMs: 1 },
  });
  const down = (member: string) => ({
    member,
    leader: false,
    result: { ok: false as const, reason: 'refused' as const, message: 'x' },
  });
  t.like(ensembleVerdict('zk', [up('a', true), up('b'), up('c')]), { status: 'OK', tolerable: 1 });
  t.like(ensembleVerdict('zk', [up('a', true), up('b'), down('c')]), { status: 'WARNING', tolerable: 0 });
  t.like(ensembleVerdict('zk', [up('a'), down('b'), down('c')]), { status: 'CRITICAL' });
  t.like(ensembleVerdict('zk', [up('a'), up('b'), up('c')]), {
    status: 'CRITICAL',
    summary: '3/3 up but no leader',
  });
  t.like(ensembleVerdict('zk', [up('a', true), up('b', true), up('c')]), { status: 'CRITICAL' });
  t.like(ensembleVerdict('api', [up('a'), down('b')], false), { status: 'WARNING' });
  // Marathon: a leader and standbys, no majority
  t.like(ensembleVerdict('marathon', [up('a', true), down('b'), down('c')], 'standbys'), {
    status: 'WARNING',
    summary: '1/3 up, leader a, 0 standbys, 2 missing',
  });
  t.like(ensembleVerdict('marathon', [up('a'), up('b'), down('c')], 'standbys'), { status: 'CRITICAL' });
  t.like(ensembleVerdict('marathon', [down('a'), down('b')], 'standbys'), { status: 'CRITICAL' });
});

test('one member alone is judged by its own report: a synced follower or leader is OK, a lone leader is not', (t) => {
  const alone = (leader: boolean, self: object) => [
    { member: 'a', leader, result: { ok: true as const, latencyMs: 1 }, self: { source: 'srvr', ...self } },
  ];
  t.like(ensembleVerdict('zk', alone(false, { size: 3, leader: true })), {
    status: 'OK',
    reportedSize: 3,
    summary: "1 of 3 members probed: follower of a leader; quorum judged from the member's own report (srvr)",
  });
  t.like(ensembleVerdict('zk', alone(true, { size: 3, syncedFollowers: 2 })), { status: 'OK', tolerable: 1 });
  t.like(ensembleVerdict('zk', alone(true, { size: 3, syncedFollowers: 0 })), { status: 'CRITICAL' });
  // no leader in its report: judged as before, from the list given
  t.like(ensembleVerdict('zk', alone(false, { size: 3 })), {
    status: 'CRITICAL',
    summary: '1/1 up but no leader',
  });
  t.like(ensembleVerdict('zk', alone(false, { size: 1, leader: true })), { status: 'CRITICAL' });
});

test.serial('parsers never throw, whatever the bytes', (t) => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (s) => {
      parseSrvr(s);
      parseMntr(s);
      parseHaproxyCsv(s);
      parseVerboseChecks(s);
    }),
    { numRuns: 2000 },
  );
  // and near-misses of the real shapes
  fc.assert(
    fc.property(
      fc.array(
        fc.constantFrom(
          'Zookeeper version: 3.8.0-abc',
          'Mode: leader',
          'Mode: x',
          'Zxid: 0x1',
          'Latency min/avg/max: 0/a/',
          'Node count: -1',
          '',
        ),
        { maxLength: 12 },
      ),
      (lines) => {
        const r = parseSrvr(lines.join('\n'));
        return (
          r === undefined || ['leader', 'follower', 'observer', 'standalone', 'read-only'].includes(r.mode)
        );
      },
    ),
  );
  t.pass();
});

test.serial('srvr, mntr and the stats CSV parse the real shapes', (t) => {
  const srvr =
    'Zookeeper version: 3.8.0-5a02a05eddb59aee6ac762f7ea82e92a68eb9c0f, built on 2022-02-25 08:49 UTC\nLatency min/avg/max: 0/0.5/3\nReceived: 10\nSent: 9\nConnections: 2\nOutstanding: 0\nZxid: 0x100000002\nMode: follower\nNode count: 5\n';
  t.like(parseSrvr(srvr), {
    version: '3.8.0',
    mode: 'follower',
    zxid: '0x100000002',
    connections: 2,
    nodeCount: 5,
    latency: { min: 0, avg: 0.5, max: 3 },
  });
  t.deepEqual(parseMntr('zk_version\t3.4.14\nzk_followers\t2\nzk_synced_followers\t2\n'), {
    zk_version: '3.4.14',
    zk_followers: '2',
    zk_synced_followers: '2',
  });
  const csv =
    '# pxname,svname,qcur,status,check_status\nkube-apiservers,m1,0,UP,L7OK\nkube-apiservers,m2,0,DOWN,L4CON\nkube-apiservers,BACKEND,0,UP,\n';
  t.deepEqual(parseHaproxyCsv(csv), [
    { backend: 'kube-apiservers', server: 'm1', status: 'UP', checkStatus: 'L7OK' },
    { backend: 'kube-apiservers', server: 'm2', status: 'DOWN', checkStatus: 'L4CON' },
  ]);
});

test.serial(
  'plain HTTP to a TLS port ends with its reason, in time; an unknown CA is a TLS failure',
  async (t) => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { createServer: createTls } = await import('node:https');
    const dir = mkdtempSync(join(tmpdir(), 'k8sm-probe-tls-'));
    const { key, cert } = selfSigned(dir, { days: 1, subject: '/CN=t' });
    const server = createTls({ key, cert }, (_q, res) => res.end('ok'));
    servers.push(server);
    rmSync(dir, { recursive: true, force: true });
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.45.41', () => resolve((server.address() as AddressInfo).port)),
    );
    const started = performance.now();
    const r = await probeEtcd(`http://127.0.45.41:${port}`, { timeoutMs: 500 });
    t.false(r.ok);
    if (!r.ok) t.true(['protocol', 'http-status'].includes(r.reason), `${r.reason}: ${r.message}`);
    t.true(performance.now() - started < 700);
    // The two handshakes get a deadline far above their cost: a loaded CI host once took > 500 ms,
    // and a timeout here would be the machine's verdict, not the probe's.
    const strict = await probeEtcd(`https://127.0.45.41:${port}`, { timeoutMs: 5000 });
    t.like(strict, { ok: false, reason: 'tls' });
    const insecure = await probeEtcd(`https://127.0.45.41:${port}`, {
      timeoutMs: 5000,
      tls: { insecure: true },
    });
    t.like(insecure, { ok: false, reason: 'protocol' }, 'it answers, but "ok" is not etcd JSON');
  },
);

test.serial(
  'two CAs of the same length get their own connection pools: each server is verified with its own',
  async (t) => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { createServer: createTls } = await import('node:https');
    const dir = mkdtempSync(join(tmpdir(), 'k8sm-probe-ca-'));
    const issue = (name: string, ip: string) => selfSigned(dir, { days: 1, name, ip });
    // ECDSA signatures vary by a byte or two: issue until the two PEMs are of one length (bounded)
    let a = issue('ca-a', '127.0.45.42');
    let b = issue('ca-b', '127.0.45.43');
    for (let i = 0; i < 40 && a.cert.length !== b.cert.length; i++) {
      a = issue('ca-a', '127.0.45.42');
      b = issue('ca-b', '127.0.45.43');
    }
    rmSync(dir, { recursive: true, force: true });
    t.is(a.cert.length, b.cert.length, 'two certificates of one length');
    const serve = async (pair: { cert: string; key: string }, host: string) => {
      const server = createTls(pair, (_q, res) => res.end('{"health":"true"}'));
      servers.push(server);
      const port = await new Promise<number>((resolve) =>
        server.listen(0, host, () => resolve((server.address() as AddressInfo).port)),
      );
      return `https://${host}:${port}`;
    };
    const [ua, ub] = [await serve(a, '127.0.45.42'), await serve(b, '127.0.45.43')];
    // the first request builds the pool with CA a; the second must not reuse it for CA b
    const first = await httpRequest(`${ua}/health`, { timeoutMs: 5000, tls: { ca: a.cert } });
    t.like(first, { ok: true, status: 200 });
    const second = await httpRequest(`${ub}/health`, { timeoutMs: 5000, tls: { ca: b.cert } });
    t.like(second, { ok: true, status: 200 }, JSON.stringify(second));
    // and the wrong CA still fails
    t.like(await httpRequest(`${ub}/health`, { timeoutMs: 5000, tls: { ca: a.cert } }), {
      ok: false,
      reason: 'tls',
    });
  },
);
