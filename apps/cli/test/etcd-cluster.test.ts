import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { removeTempDirs, render, tempDir, writeSpec } from './helpers.js';

// A real three-member etcd cluster from Debian's etcd-server (3.4), started from the files that
// k8sm-render wrote, on three loopback "hosts". In CI a missing package fails the test.
const ETCD = '/usr/bin/etcd';
const available = existsSync(ETCD);
const daemonTest = available || process.env.CI === 'true' ? test.serial : test.skip;

const children: ChildProcess[] = [];
test.after.always(() => {
  for (const child of children) child.kill('SIGKILL');
  removeTempDirs();
});

interface ClientTls {
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
}

interface Reply {
  readonly status: number;
  readonly body: string;
}

/** One bounded HTTP(S) request; a connection or TLS failure comes back as status 0. */
function call(url: string, method: 'GET' | 'POST', tls?: ClientTls, timeoutMs = 2000): Promise<Reply> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const options = {
      method,
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      headers: { 'content-type': 'application/json' },
      timeout: timeoutMs,
      ...(tls ? { ca: tls.ca, cert: tls.cert, key: tls.key } : {}),
    };
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(options, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ status: 0, body: error.message }));
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

/** The member id and the leader it sees, from POST /v3/maintenance/status; 'down' when unreachable. */
async function status(url: string, tls?: ClientTls): Promise<{ member: string; leader: string } | 'down'> {
  const r = await call(`${url}/v3/maintenance/status`, 'POST', tls);
  if (r.status !== 200) return 'down';
  const json = JSON.parse(r.body) as { header?: { member_id?: string }; leader?: string };
  return { member: json.header?.member_id ?? '?', leader: json.leader ?? '0' };
}

async function healthy(url: string, tls?: ClientTls): Promise<boolean> {
  const r = await call(`${url}/health`, 'GET', tls);
  return r.status === 200 && /"health":\s*"true"/.test(r.body);
}

/** Poll until `accept` holds, at most `seconds`; returns the last value. */
async function until<T>(probe: () => Promise<T>, accept: (v: T) => boolean, seconds = 60): Promise<T> {
  let value = await probe();
  for (let i = 0; i < seconds * 4 && !accept(value); i++) {
    await new Promise((r) => setTimeout(r, 250));
    value = await probe();
  }
  return value;
}

/** KEY=value lines of the rendered env file (values never need quotes in what k8sm writes). */
function envFile(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m?.[1]) env[m[1]] = m[2] ?? '';
  }
  return env;
}

/** The words of the `docker run` in a rendered host script that follow the etcd binary or image. */
function flagsOfDockerRun(script: string, image: string): string[] {
  const joined = script.replaceAll(' \\\n  ', ' ');
  const line = joined.split('\n').find((l) => l.startsWith('docker run') && l.includes(image)) ?? '';
  const words = line.split(' ').map((w) => (w.startsWith("'") ? w.slice(1, -1).replaceAll(`'\\''`, "'") : w));
  const after = words.indexOf('/usr/local/bin/etcd');
  return words.slice(after + 1);
}

type Form = 'env' | 'flags';

interface Cluster {
  readonly urls: string[];
  readonly members: ChildProcess[];
  readonly cwd: string;
}

/** Render a 3-member spec and start each member the way its rendered files say. */
async function startCluster(
  t: ExecutionContext,
  subnet: string,
  form: Form,
  tls?: { pkiDir: string },
): Promise<Cluster> {
  t.true(available, `Debian's etcd-server is missing (${ETCD}): the test command installs it`);
  const cwd = tempDir();
  const addresses = [1, 2, 3].map((i) => `${subnet}.${i}`);
  const spec = {
    name: `etcd-${form}${tls ? '-tls' : ''}`,
    hosts: addresses.map((address, i) => ({
      name: `etcd-${i + 1}`,
      address,
      roles: ['etcd'],
      etcd: { dataDir: join(cwd, `data/etcd-${i + 1}`) },
    })),
    etcd: {
      version: '3.4.23',
      runtime: form === 'env' ? 'package' : 'docker',
      ...(tls ? { tls: { client: true, peer: true, pkiDir: tls.pkiDir } } : {}),
    },
  };
  const file = writeSpec(cwd, 'etcd.json', spec);
  if (tls) {
    const pki = render(['pki', file], cwd);
    t.is(pki.code, 0, pki.stderr);
  }
  const r = render([file, '-o', 'out'], cwd);
  t.is(r.code, 0, r.stderr);

  const members: ChildProcess[] = [];
  for (const [i] of addresses.entries()) {
    const host = `etcd-${i + 1}`;
    const tree = join(cwd, 'out/hosts', host);
    mkdirSync(join(cwd, `data/${host}`), { recursive: true, mode: 0o700 });
    // The rendered TLS paths are absolute host paths: point them at this host's output tree.
    const local = (value: string) => value.replaceAll('/etc/etcd/ssl/', `${tree}/etc/etcd/ssl/`);
    let child: ChildProcess;
    if (form === 'env') {
      const unit = readFileSync(join(tree, 'etc/systemd/system/etcd.service'), 'utf8');
      t.regex(unit, /^EnvironmentFile=\/etc\/etcd\/etcd\.conf$/m);
      const execStart = /^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '';
      const env = Object.fromEntries(
        Object.entries(envFile(join(tree, 'etc/etcd/etcd.conf'))).map(([k, v]) => [k, local(v)]),
      );
      child = spawn(execStart, [], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
    } else {
      const script = readFileSync(join(cwd, 'out/scripts', `${host}.sh`), 'utf8');
      const flags = flagsOfDockerRun(script, 'quay.io/coreos/etcd:v3.4.23').map(local);
      t.true(flags.length >= 9, flags.join(' '));
      child = spawn(ETCD, flags, { env: { PATH: process.env.PATH ?? '' }, stdio: 'ignore' });
    }
    children.push(child);
    members.push(child);
  }
  const scheme = tls ? 'https' : 'http';
  return { urls: addresses.map((a) => `${scheme}://${a}:2379`), members, cwd };
}

async function quorumBehaviour(t: ExecutionContext, cluster: Cluster, tls?: ClientTls): Promise<void> {
  const { urls, members } = cluster;
  const statuses = () => Promise.all(urls.map((u) => status(u, tls)));
  const oneLeader = (s: Awaited<ReturnType<typeof status>>[]) =>
    s.every((x) => x !== 'down' && x.leader !== '0' && x.leader === (s[0] as { leader: string }).leader);
  const formed = await until(statuses, oneLeader);
  t.true(oneLeader(formed), JSON.stringify(formed));
  const leader = (formed[0] as { leader: string }).leader;
  t.is(formed.filter((s) => s !== 'down' && s.member === leader).length, 1, 'the leader is one of the three');
  for (const url of urls) t.true(await until(() => healthy(url, tls), Boolean), `${url}/health`);

  // One member down: two of three are a majority.
  members[2]?.kill('SIGKILL');
  const rest = urls.slice(0, 2);
  for (const url of rest)
    t.true(await until(() => healthy(url, tls), Boolean), `${url}/health with one down`);

  // Two down: the survivor has no leader and reports unhealthy.
  members[1]?.kill('SIGKILL');
  const alone = urls[0] ?? '';
  const lost = await until(
    () => status(alone, tls),
    (s) => s !== 'down' && s.leader === '0',
    30,
  );
  t.like(lost, { leader: '0' }, 'no leader without a majority');
  t.false(
    await until(
      () => healthy(alone, tls),
      (h) => !h,
      30,
    ),
    `${alone}/health without a majority`,
  );
  for (const child of members) child.kill('SIGKILL');
}

daemonTest(
  'a rendered 3-member etcd cluster, started from its env files, keeps quorum at one loss',
  async (t) => {
    t.timeout(120_000);
    await quorumBehaviour(t, await startCluster(t, '127.0.41', 'env'));
  },
);

daemonTest(
  'the same cluster started from the rendered flags (the docker form) behaves the same',
  async (t) => {
    t.timeout(120_000);
    await quorumBehaviour(t, await startCluster(t, '127.0.42', 'flags'));
  },
);

daemonTest(
  'with TLS from `k8sm-render pki`: https with the client cert works, without one it fails',
  async (t) => {
    t.timeout(120_000);
    const cluster = await startCluster(t, '127.0.43', 'env', { pkiDir: 'pki' });
    const tree = join(cluster.cwd, 'out/hosts/etcd-1/etc/etcd/ssl');
    const clientTls = {
      ca: readFileSync(join(tree, 'ca.crt'), 'utf8'),
      cert: readFileSync(join(tree, 'healthcheck-client.crt'), 'utf8'),
      key: readFileSync(join(tree, 'healthcheck-client.key'), 'utf8'),
    };
    const url = cluster.urls[0] ?? '';
    t.true(await until(() => healthy(url, clientTls), Boolean), 'health over https with the client cert');
    const withoutCert = await call(`${url}/health`, 'GET', { ca: clientTls.ca });
    t.not(withoutCert.status, 200, 'client-cert-auth refuses a client without a certificate');
    const plain = await call(`${url.replace('https:', 'http:')}/health`, 'GET');
    t.not(plain.status, 200, 'no plain http on the client port');
    await quorumBehaviour(t, cluster, clientTls);
  },
);
