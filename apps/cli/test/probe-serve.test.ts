import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import test from 'ava';
import { noStack, probeBin, removeTempDirs, runAsync, tempDir, writeSpec } from './helpers.js';

// `k8sm-probe serve` as a process, against loopback stand-ins of ZooKeeper members that count the
// connections they get: what the exporter sends, and to whom, is what these tests measure.

const closers: (() => void)[] = [];
test.after.always(() => {
  for (const close of closers.splice(0)) close();
  removeTempDirs();
});

const STANDALONE =
  'Zookeeper version: 3.8.0-fake, built on 2022-02-25\nLatency min/avg/max: 0/0.1/1\nReceived: 1\nSent: 1\nConnections: 1\nOutstanding: 0\nZxid: 0x100000002\nMode: standalone\nNode count: 5\n';

interface FakeMember {
  readonly endpoint: string;
  readonly port: number;
  /** connections accepted so far */
  connections: () => number;
}

/** A ZooKeeper member on 127.0.0.1: answers srvr as a standalone server, or never answers. */
async function fakeMember(stall = false): Promise<FakeMember> {
  let count = 0;
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    count++;
    sockets.push(socket);
    socket.on('error', () => {});
    if (!stall) socket.once('data', () => socket.end(STANDALONE));
  });
  closers.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `127.0.0.1:${port}`, port, connections: () => count };
}

interface Served {
  readonly url: string;
  readonly child: ChildProcess;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

/** Start `k8sm-probe serve` on a free port; resolves once it says where it listens. */
async function serve(args: readonly string[]): Promise<Served> {
  const child = spawn(process.execPath, [probeBin, 'serve', '--listen', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  closers.push(() => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 15_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stderr?.on('data', check);
    child.once('exit', () => reject(new Error(`serve exited: ${stderr}`)));
  });
  return { url, child, stderr: () => stderr, exited };
}

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function get(url: string, method = 'GET', headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: timed out`)));
    req.on('error', reject);
    req.end();
  });
}

function specOf(dir: string, members: readonly FakeMember[]): string {
  return writeSpec(dir, 'spec.json', {
    name: 'served',
    hosts: members.map((m, i) => ({
      name: `zk${i + 1}`,
      address: '127.0.0.1',
      roles: ['zookeeper'],
      zookeeper: { clientPort: m.port },
    })),
    zookeeper: { version: '3.8.0' },
  });
}

const runServe = (args: readonly string[]) => runAsync(probeBin, ['serve', ...args], 15_000);

test('/metrics probes the spec, in the exposition format; /healthz; other paths and methods refused', async (t) => {
  const member = await fakeMember();
  const s = await serve(['--spec', specOf(tempDir(), [member]), '--timeout', '1']);
  const metrics = await get(`${s.url}/metrics`);
  t.is(metrics.status, 200);
  t.regex(String(metrics.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  t.regex(
    metrics.body,
    new RegExp(
      `^k8sm_member_up\\{system="zookeeper",ensemble="served/zookeeper",member="${member.endpoint}"\\} 1$`,
      'm',
    ),
  );
  t.regex(metrics.body, /^k8sm_ensemble_status\{system="zookeeper",[^}]*\} 0$/m);
  t.regex(metrics.body, /^k8sm_probe_duration_seconds \d/m);
  t.is((await get(`${s.url}/healthz`)).body, 'ok\n');
  t.is((await get(`${s.url}/nope`)).status, 404);
  const post = await get(`${s.url}/metrics`, 'POST');
  t.is(post.status, 405);
  t.is(post.headers.allow, 'GET, HEAD');
  const head = await get(`${s.url}/metrics`, 'HEAD');
  t.is(head.status, 200);
  t.is(head.body, '');
});

test('a scrape within --cache is answered from the last run: two scrapers do not double the probes', async (t) => {
  const member = await fakeMember();
  const s = await serve(['--spec', specOf(tempDir(), [member]), '--cache', '30']);
  const [a, b] = await Promise.all([get(`${s.url}/metrics`), get(`${s.url}/metrics`)]);
  const c = await get(`${s.url}/metrics`);
  t.is(a.status, 200);
  t.is(
    b.body
      .split('\n')
      .filter((l) => l.startsWith('k8sm_member_up'))
      .join(),
    a.body
      .split('\n')
      .filter((l) => l.startsWith('k8sm_member_up'))
      .join(),
  );
  // srvr, mntr and conf of one probe run: three connections for three scrapes
  const perRun = member.connections();
  t.true(perRun >= 1 && perRun <= 3, `${perRun} connections`);
  t.regex(
    c.body,
    /^k8sm_probe_age_seconds (?!0\.000)\d+\.\d+$/m,
    'the third scrape is served from the cache',
  );
  const fresh = await serve(['--spec', specOf(tempDir(), [member]), '--cache', '0']);
  const before = member.connections();
  await get(`${fresh.url}/metrics`);
  await get(`${fresh.url}/metrics`);
  t.is(member.connections() - before, 2 * perRun, '--cache 0: every scrape probes');
});

test('/probe asks only members of the spec: another target is 403 and gets no connection', async (t) => {
  const [mine, other] = [await fakeMember(), await fakeMember()];
  const s = await serve(['--spec', specOf(tempDir(), [mine])]);
  const own = await get(`${s.url}/probe?system=zookeeper&target=${mine.endpoint}`);
  t.is(own.status, 200);
  t.regex(own.body, /^k8sm_member_up\{[^}]*\} 1$/m);
  const refused = await get(`${s.url}/probe?system=zookeeper&target=${other.endpoint}`);
  t.is(refused.status, 403);
  t.regex(refused.body, /not a zookeeper member of the spec.*--allow-adhoc-targets/);
  // a spec member spelled otherwise is still the spec's; one outside in a list makes it all refused
  t.is((await get(`${s.url}/probe?system=zookeeper&target=${mine.endpoint},${other.endpoint}`)).status, 403);
  t.is((await get(`${s.url}/probe?system=etcd&target=http://${other.endpoint}`)).status, 403);
  t.is(other.connections(), 0, 'the exporter connected to a target outside the spec');
  const bad = await get(`${s.url}/probe?system=zookeeper&target=127.0.0.1:99999`);
  t.is(bad.status, 400);
  t.regex(bad.body, /target=127\.0\.0\.1:99999: .*not a TCP port/);
  t.is((await get(`${s.url}/probe?system=shell&target=x`)).status, 400);
  t.is((await get(`${s.url}/probe?system=zookeeper`)).status, 400);

  const open = await serve(['--allow-adhoc-targets', '--timeout', '0.5']);
  const adhoc = await get(`${open.url}/probe?system=zookeeper&target=${other.endpoint}`);
  t.is(adhoc.status, 200);
  t.true(other.connections() > 0);
  t.is((await get(`${open.url}/metrics`)).status, 200);
});

test('credentials in a target never reach the answer', async (t) => {
  const s = await serve(['--allow-adhoc-targets', '--timeout', '0.3']);
  const r = await get(
    `${s.url}/probe?system=marathon&target=${encodeURIComponent('http://admin:s3cret-pw@127.0.0.1:1')}`,
  );
  t.is(r.status, 200);
  t.notRegex(r.body, /s3cret-pw/);
  t.regex(r.body, /member="http:\/\/admin:\*\*\*@127\.0\.0\.1:1"/);
  t.notRegex(s.stderr(), /s3cret-pw/);
});

test('over --max-runs a scrape gets 503 at once, not a pile-up; the same target joins the run in flight', async (t) => {
  const [stalled, other] = [await fakeMember(true), await fakeMember()];
  const s = await serve(['--allow-adhoc-targets', '--max-runs', '1', '--timeout', '2']);
  const first = get(`${s.url}/probe?system=zookeeper&target=${stalled.endpoint}`);
  await new Promise((r) => setTimeout(r, 300));
  const started = performance.now();
  const busy = await get(`${s.url}/probe?system=zookeeper&target=${other.endpoint}`);
  t.is(busy.status, 503);
  t.is(busy.headers['retry-after'], '1');
  t.regex(busy.body, /1 probe runs in flight.*--max-runs/);
  t.true(performance.now() - started < 1500, 'the 503 waited for the run in flight');
  const joined = get(`${s.url}/probe?system=zookeeper&target=${stalled.endpoint}`);
  const [a, b] = await Promise.all([first, joined]);
  t.is(a.status, 200);
  t.is(b.status, 200);
  t.regex(a.body, /^k8sm_member_up\{[^}]*\} 0$/m);
  t.is(stalled.connections(), 1, 'the second scrape of the same target started a second run');
  t.is((await get(`${s.url}/probe?system=zookeeper&target=${other.endpoint}`)).status, 200);
});

test("Prometheus' scrape timeout header bounds the run: a silent member is cut before the scrape times out", async (t) => {
  const stalled = await fakeMember(true);
  const s = await serve(['--allow-adhoc-targets', '--timeout', '10', '--cache', '0']);
  const started = performance.now();
  const r = await get(`${s.url}/probe?system=zookeeper&target=${stalled.endpoint}`, 'GET', {
    'x-prometheus-scrape-timeout-seconds': '1.5',
  });
  const took = performance.now() - started;
  t.is(r.status, 200);
  t.regex(r.body, /^k8sm_member_up\{[^}]*\} 0$/m);
  t.true(took < 1500, `answered after ${Math.round(took)} ms, past the 1.5 s scrape timeout`);
});

test('SIGTERM: the scrape in flight is answered, then it exits 0', async (t) => {
  const stalled = await fakeMember(true);
  const s = await serve(['--allow-adhoc-targets', '--timeout', '1']);
  const inFlight = get(`${s.url}/probe?system=zookeeper&target=${stalled.endpoint}`);
  await new Promise((r) => setTimeout(r, 200));
  s.child.kill('SIGTERM');
  const r = await inFlight;
  t.is(r.status, 200);
  t.is(await s.exited, 0);
  t.regex(s.stderr(), /stopped on SIGTERM/);
  await t.throwsAsync(get(`${s.url}/healthz`), { message: /ECONNREFUSED/ });
});

test('refusals: an address in use or not of this host, a bad --listen, no --spec; exit codes and no stack', async (t) => {
  const taken = createServer();
  closers.push(() => taken.close());
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const { port } = taken.address() as AddressInfo;
  const spec = specOf(tempDir(), [await fakeMember()]);
  const inUse = await runServe(['--spec', spec, '--listen', `127.0.0.1:${port}`]);
  t.is(inUse.code, 1, inUse.stderr);
  t.regex(inUse.stderr, new RegExp(`--listen 127\\.0\\.0\\.1:${port}: the address is in use`));
  t.true(noStack(inUse.stderr), inUse.stderr);
  // TEST-NET-1 (RFC 5737) is on no interface: binding it fails without a packet sent
  const foreign = await runServe(['--spec', spec, '--listen', '192.0.2.1:9180']);
  t.is(foreign.code, 1, foreign.stderr);
  t.regex(foreign.stderr, /--listen 192\.0\.2\.1:9180: no interface of this host has that address/);
  const bad = await runServe(['--spec', spec, '--listen', 'localhost']);
  t.is(bad.code, 3);
  t.regex(bad.stderr, /--listen localhost: write address:port/);
  const none = await runServe([]);
  t.is(none.code, 3);
  t.regex(none.stderr, /give --spec <spec\.yaml>/);
  const badSpec = await runServe(['--spec', writeSpec(tempDir(), 'bad.json', { name: 'x', hosts: [] })]);
  t.is(badSpec.code, 3);
  t.regex(badSpec.stderr, /--spec .*bad\.json is not a valid cluster spec/);
  t.true(noStack(badSpec.stderr));
});
