import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { execStartOf, systemdExecArgv } from '@k8sm/testkit';
import test, { type ExecutionContext } from 'ava';
import { render, tempDir, writeSpec } from './helpers.js';

// Real daemons from Debian's packages, started from the files k8sm-render wrote, on loopback
// "hosts". Shared by the ensemble, cluster and probe tests; every child is killed by killAll().

export const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
/** The package's environment file: the rendered unit sources it for CLASSPATH and JAVA. */
export const ZOOKEEPER_ENVIRONMENT = '/etc/zookeeper/conf/environment';
export const zookeeperAvailable =
  existsSync(ZOOKEEPER_JAR) && existsSync('/usr/bin/java') && existsSync(ZOOKEEPER_ENVIRONMENT);
export const ETCD = '/usr/bin/etcd';
export const etcdAvailable = existsSync(ETCD);

/** Serial tests that need Debian's daemons: skipped only off CI, never silently under CI=true. */
export const zkTest = zookeeperAvailable || process.env.CI === 'true' ? test.serial : test.skip;
export const etcdTest = etcdAvailable || process.env.CI === 'true' ? test.serial : test.skip;

const children: ChildProcess[] = [];
export function killAll(): void {
  for (const child of children) child.kill('SIGKILL');
}

/** Send a four-letter word and read the reply to EOF (the server closes the socket), bounded. */
export function fourLetterWord(host: string, word: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port: 2181 });
    let reply = '';
    const done = (text: string) => {
      socket.destroy();
      resolve(text);
    };
    socket.setTimeout(timeoutMs, () => done(`timeout after ${timeoutMs} ms`));
    socket.on('connect', () => socket.write(word));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.length > 65536) done(reply);
    });
    socket.on('end', () => done(reply));
    socket.on('error', (error) => done(`error: ${error.message}`));
  });
}

export const modeOf = (reply: string) => /^Mode: (\w+)/m.exec(reply)?.[1] ?? 'down';

/** Poll every host until `accept` holds for the modes, at most `seconds`. */
export async function waitForModes(
  hosts: string[],
  accept: (modes: string[]) => boolean,
  seconds = 60,
): Promise<string[]> {
  let modes: string[] = [];
  for (let i = 0; i < seconds * 2; i++) {
    modes = await Promise.all(hosts.map(async (h) => modeOf(await fourLetterWord(h, 'srvr'))));
    if (accept(modes)) return modes;
    await new Promise((r) => setTimeout(r, 500));
  }
  return modes;
}

export interface ZookeeperEnsemble {
  readonly hosts: string[];
  readonly names: string[];
  readonly members: ChildProcess[];
  /** start member i again from its rendered files */
  readonly restart: (i: number) => void;
  /** what member i wrote to stdout and stderr (the journal, under systemd) */
  readonly output: (i: number) => string;
}

/** Render a spec of `size` ZooKeeper hosts on `subnet`.1… and start every member. */
export async function startZookeeper(
  t: ExecutionContext,
  size: number,
  subnet: string,
  /** more of the spec's `zookeeper` section, e.g. `{ fourLetterWords: ['ruok'] }` */
  settings: Record<string, unknown> = {},
): Promise<ZookeeperEnsemble> {
  t.true(
    zookeeperAvailable,
    `Debian's zookeeper package is missing (${ZOOKEEPER_JAR}, ${ZOOKEEPER_ENVIRONMENT}): the test command installs it`,
  );
  const hosts = Array.from({ length: size }, (_, i) => `${subnet}.${i + 1}`);
  const names = hosts.map((_, i) => `zk${i + 1}`);
  const cwd = tempDir();
  const data = join(cwd, 'data');
  const spec = {
    name: `zk-loopback-${size}`,
    hosts: hosts.map((address, i) => ({
      name: names[i],
      address,
      roles: ['zookeeper'],
      // Several "hosts" share this machine: each binds its client port and AdminServer to its own address.
      zookeeper: { dataDir: join(data, `zk${i + 1}`), clientPortAddress: address, adminServer: { address } },
    })),
    zookeeper: { version: '3.8.0', tickTime: 500, initLimit: 10, syncLimit: 5, ...settings },
  };
  const r = render([writeSpec(cwd, 'zk.json', spec), '-o', 'out'], cwd);
  t.is(r.code, 0, r.stderr);

  const members: ChildProcess[] = [];
  const startMember = (i: number) => {
    const host = names[i] ?? '';
    const tree = join(cwd, 'out/hosts', host);
    const dataDir = join(data, host);
    mkdirSync(dataDir, { recursive: true });
    copyFileSync(join(tree, dataDir, 'myid'), join(dataDir, 'myid'));
    // Start exactly the ExecStart of the rendered unit, split as systemd splits it, pointed at the
    // rendered zoo.cfg; it sources the package's real /etc/zookeeper/conf/environment.
    const unit = readFileSync(join(tree, 'etc/systemd/system/zookeeper.service'), 'utf8');
    const [command, ...args] = systemdExecArgv(execStartOf(unit)).map((word) =>
      word
        .replace('/etc/zookeeper/conf/zoo.cfg', join(tree, 'etc/zookeeper/conf/zoo.cfg'))
        .replace(
          '-Dzookeeper.log.dir=/var/log/zookeeper',
          `-Dzookeeper.log.dir=${join(data, `log${i + 1}`)}`,
        ),
    );
    const out = openSync(join(data, `${host}.out`), 'a');
    const child = spawn(command ?? '/bin/sh', args, { stdio: ['ignore', out, out] });
    closeSync(out);
    children.push(child);
    members[i] = child;
  };
  for (const i of names.keys()) startMember(i);
  const output = (i: number) => {
    const file = join(data, `${names[i] ?? ''}.out`);
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  };
  return { hosts, names, members, restart: startMember, output };
}

export interface ClientTls {
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
}

export interface Reply {
  readonly status: number;
  readonly body: string;
}

/** One bounded HTTP(S) request; a connection or TLS failure comes back as status 0. */
export function call(url: string, method: 'GET' | 'POST', tls?: ClientTls, timeoutMs = 2000): Promise<Reply> {
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
export async function status(
  url: string,
  tls?: ClientTls,
): Promise<{ member: string; leader: string } | 'down'> {
  const r = await call(`${url}/v3/maintenance/status`, 'POST', tls);
  if (r.status !== 200) return 'down';
  const json = JSON.parse(r.body) as { header?: { member_id?: string }; leader?: string };
  return { member: json.header?.member_id ?? '?', leader: json.leader ?? '0' };
}

export async function healthy(url: string, tls?: ClientTls): Promise<boolean> {
  const r = await call(`${url}/health`, 'GET', tls);
  return r.status === 200 && /"health":\s*"true"/.test(r.body);
}

/** Poll until `accept` holds, at most `seconds`; returns the last value. */
export async function until<T>(probe: () => Promise<T>, accept: (v: T) => boolean, seconds = 60): Promise<T> {
  let value = await probe();
  for (let i = 0; i < seconds * 4 && !accept(value); i++) {
    await new Promise((r) => setTimeout(r, 250));
    value = await probe();
  }
  return value;
}

/** KEY=value lines of the rendered env file (values never need quotes in what k8sm writes). */
export function envFile(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m?.[1]) env[m[1]] = m[2] ?? '';
  }
  return env;
}

/**
 * The words of the `docker run` in a rendered host script that follow the etcd binary (3.x
 * images) or the image (2.x images, whose ENTRYPOINT is etcd).
 */
export function flagsOfDockerRun(script: string, image: string): string[] {
  const joined = script.replaceAll(' \\\n  ', ' ');
  const line = joined.split('\n').find((l) => l.startsWith('docker run') && l.includes(image)) ?? '';
  const words = line.split(' ').map((w) => (w.startsWith("'") ? w.slice(1, -1).replaceAll(`'\\''`, "'") : w));
  const binary = words.indexOf('/usr/local/bin/etcd');
  return words.slice((binary >= 0 ? binary : words.indexOf(image)) + 1);
}

export type Form = 'env' | 'flags';

/** Whether this address and port can be bound right now. */
function bindable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * The first `127.0.<n>` of `candidates` whose .1–.3 can all bind every port, for daemons with
 * fixed ports (etcd's legacy 4001/7001); throws when none can.
 */
export async function freeSubnet(candidates: readonly number[], ports: readonly number[]): Promise<string> {
  for (const n of candidates) {
    const checks = [1, 2, 3].flatMap((i) => ports.map((port) => bindable(`127.0.${n}.${i}`, port)));
    if ((await Promise.all(checks)).every(Boolean)) return `127.0.${n}`;
  }
  throw new Error(`no free 127.0.<n>.1-3 among ${candidates.join(',')} for ports ${ports.join(',')}`);
}

export interface Cluster {
  readonly urls: string[];
  readonly members: ChildProcess[];
  readonly cwd: string;
  /** start member i again from its rendered files */
  readonly restart: (i: number) => void;
}

export interface EtcdVariant {
  readonly tls?: { readonly pkiDir: string };
  /** the spec's etcd.version; the rendered flags or env run on Debian's etcd 3.4 either way */
  readonly version?: string;
  readonly legacyPorts?: boolean;
}

/** Render a 3-member spec and start each member the way its rendered files say. */
export async function startEtcd(
  t: ExecutionContext,
  subnet: string,
  form: Form,
  variant: EtcdVariant = {},
): Promise<Cluster> {
  const { tls, version = '3.4.23', legacyPorts } = variant;
  t.true(etcdAvailable, `Debian's etcd-server is missing (${ETCD}): the test command installs it`);
  const cwd = tempDir();
  const addresses = [1, 2, 3].map((i) => `${subnet}.${i}`);
  const spec = {
    name: `etcd-${form}${tls ? '-tls' : ''}${legacyPorts ? '-legacy' : ''}`,
    hosts: addresses.map((address, i) => ({
      name: `etcd-${i + 1}`,
      address,
      roles: ['etcd'],
      etcd: { dataDir: join(cwd, `data/etcd-${i + 1}`) },
    })),
    etcd: {
      version,
      runtime: form === 'env' ? 'package' : 'docker',
      ...(legacyPorts === undefined ? {} : { legacyPorts }),
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
  const startMember = (i: number) => {
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
      const flags = flagsOfDockerRun(script, `quay.io/coreos/etcd:v${version}`).map(local);
      t.true(flags.length >= 9, flags.join(' '));
      child = spawn(ETCD, flags, { env: { PATH: process.env.PATH ?? '' }, stdio: 'ignore' });
    }
    children.push(child);
    members[i] = child;
  };
  for (const i of addresses.keys()) startMember(i);
  const scheme = tls ? 'https' : 'http';
  return { urls: addresses.map((a) => `${scheme}://${a}:2379`), members, cwd, restart: startMember };
}
