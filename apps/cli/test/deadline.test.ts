import { execFile } from 'node:child_process';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Server } from 'node:net';
import test from 'ava';
import { type EnsembleTarget, type ProbeSettings, probeAll } from '../src/probe.js';
import { probeBin } from './helpers.js';

// `--timeout` bounds each member's whole probe. Hostile servers answer every request at 0.9 × the
// timeout: each answer alone is in time, the sequence is not. Before one deadline per member, at
// a 1000 ms timeout an etcd member took 2.7 s, Mesos and the apiserver 2.7 s, a ZooKeeper
// follower (srvr, mntr, conf) 2.7 s and a stalled TLS handshake 1.5 s; six ensembles 14 s.
const TIMEOUT_MS = 1000;
const SLOW_MS = 0.9 * TIMEOUT_MS;
/** the verdict's margin over the timeout, as issue 15 sets it */
const MARGIN_MS = 200;

/** Plausible answers, so the probe always has a next request to send. */
const BODIES: Record<string, string> = {
  '/health': '{"health":"true"}',
  '/v3/maintenance/status': '{"header":{"member_id":"1"},"leader":"1"}',
  '/v3/cluster/member/list': '{"members":[{},{},{}]}',
  '/metrics/snapshot': '{"master/elected":1}',
  '/v2/leader': '{"leader":"127.0.0.1:1"}',
  '/version': '{"gitVersion":"v1.30.0"}',
};
const SRVR = 'Zookeeper version: 3.8.0-1\nLatency min/avg/max: 0/0/0\nMode: follower\nZxid: 0x100000001\n';

const servers: (Server | HttpServer)[] = [];
const listen = async <S extends Server | HttpServer>(server: S): Promise<number> => {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};
test.after.always(() => {
  for (const server of servers) {
    (server as HttpServer).closeAllConnections?.();
    server.close();
  }
});

let http = 0;
let zookeeper = 0;
let stalled = 0;
test.before(async () => {
  http = await listen(
    createHttpServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      setTimeout(() => {
        res.writeHead(path === '/master/redirect' ? 503 : 200);
        res.end(BODIES[path] ?? 'ok');
      }, SLOW_MS);
    }),
  );
  // every four-letter word answered as srvr, each at 0.9 × timeout
  zookeeper = await listen(
    createTcpServer({ allowHalfOpen: true }, (socket) => {
      socket.on('data', () => {});
      socket.on('error', () => {});
      setTimeout(() => socket.end(SRVR), SLOW_MS);
    }),
  );
  // accepts, then never answers the ClientHello
  stalled = await listen(
    createTcpServer((socket) => {
      socket.on('data', () => {});
      socket.on('error', () => {});
    }),
  );
});

const settings = (concurrency = 256): ProbeSettings => ({
  timeoutMs: TIMEOUT_MS,
  concurrency,
  http: { tls: {} },
});

const targets = (): EnsembleTarget[] => [
  { system: 'zookeeper', members: [`127.0.0.1:${zookeeper}`] },
  { system: 'etcd', members: [`http://127.0.0.1:${http}`] },
  { system: 'etcd', members: [`https://127.0.0.1:${stalled}`] },
  { system: 'mesos', members: [`http://127.0.0.1:${http}`] },
  { system: 'marathon', members: [`http://127.0.0.1:${http}`] },
  { system: 'apiserver', members: [`http://127.0.0.1:${http}`] },
];

const elapsed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
};

test.serial(
  'each member has its verdict within the timeout + 200 ms, every request and the TLS handshake included',
  async (t) => {
    for (const target of targets()) {
      const [report, ms] = await elapsed(() => probeAll([target], settings()));
      const member = report.ensembles[0]?.members[0];
      const label = `${target.system} ${target.members[0]}`;
      t.true(ms < TIMEOUT_MS + MARGIN_MS, `${label}: verdict after ${Math.round(ms)} ms`);
      if (target.system === 'zookeeper') {
        // srvr answered in time; mntr and conf are cut at the deadline, and the member stays up
        t.true(member?.result.ok, label);
      } else {
        t.false(member?.result.ok, label);
        if (member && !member.result.ok) {
          t.is(member.result.reason, 'timeout', label);
          t.regex(member.result.message, /within the 1000 ms deadline/, label);
        }
      }
    }
  },
);

test.serial('ensembles are probed at once: six ensembles take one deadline, not six', async (t) => {
  const [report, ms] = await elapsed(() => probeAll(targets(), settings()));
  t.is(report.ensembles.length, 6);
  t.true(ms < TIMEOUT_MS + MARGIN_MS, `six ensembles after ${Math.round(ms)} ms`);
  // the report keeps the order the ensembles were given
  t.deepEqual(
    report.ensembles.map((e) => e.system),
    targets().map((e) => e.system),
  );
});

test.serial('--concurrency bounds members in flight over all ensembles together', async (t) => {
  const three: EnsembleTarget[] = [1, 2, 3].map(() => ({
    system: 'etcd',
    members: [`https://127.0.0.1:${stalled}`],
  }));
  const [, ms] = await elapsed(() => probeAll(three, settings(1)));
  // one at a time: three deadlines one after another
  t.true(ms >= 3 * TIMEOUT_MS - 50, `three stalled members one at a time took ${Math.round(ms)} ms`);
});

test.serial(
  'the built CLI: --timeout 1 over hostile members ends CRITICAL within the deadline, each reason timeout',
  async (t) => {
    const args = [
      '--etcd',
      `http://127.0.0.1:${http}`,
      '--etcd',
      `https://127.0.0.1:${stalled}`,
      '--mesos',
      `http://127.0.0.1:${http}`,
      '--timeout',
      '1',
      '--json',
    ];
    const r = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(process.execPath, [probeBin, ...args], { timeout: 20_000 }, (error, stdout) =>
        resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout }),
      ),
    );
    t.is(r.code, 2);
    const report = JSON.parse(r.stdout) as { ensembles: { members: { reason?: string }[] }[] };
    t.deepEqual(
      report.ensembles.flatMap((e) => e.members.map((m) => m.reason)),
      ['timeout', 'timeout', 'timeout'],
    );
  },
);

test.serial(
  'the built CLI: -w/-c judge the slowest member that answered (a srvr at 0.9 s is over -w 0.5), with the limits in perfdata',
  async (t) => {
    const args = ['--zk', `127.0.0.1:${zookeeper}`, '--timeout', '1', '-w', '0.5', '-c', '2', '--nagios'];
    const r = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(process.execPath, [probeBin, ...args], { timeout: 20_000 }, (error, stdout) =>
        resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout }),
      ),
    );
    t.is(r.code, 1, r.stdout);
    t.regex(
      r.stdout,
      /^K8SM WARNING - zookeeper: .*; 127\.0\.0\.1:\d+ answered in 0\.9\d\d s, over -w 0\.5 s \|/,
    );
    t.regex(r.stdout, /'zookeeper_latency'=0\.9\d\ds;0\.5;2;0$/m);
  },
);
