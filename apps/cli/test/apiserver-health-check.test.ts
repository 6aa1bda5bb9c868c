import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import { createConnection, createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { envWords } from '@k8sm/testkit';
import test from 'ava';
import { parse } from 'yaml';
import { probeBin, removeTempDirs, render, tempDir, writeSpec } from './helpers.js';

// Real HAProxy (Debian 2.6) started from the rendered config, checking a fake apiserver that
// decides each request as the apiserver's authentication and authorization would, configured
// from the rendered apiserver flags and ABAC policy file. The backend must come UP in every mode.
const HAPROXY = '/usr/sbin/haproxy';
const available = existsSync(HAPROXY);
const daemonTest = available || process.env.CI === 'true' ? test.serial : test.skip;

const children: ChildProcess[] = [];
const servers: Server[] = [];
test.after.always(() => {
  // each HAProxy is its own process group; the ones a test stopped are gone already
  for (const c of children)
    if (c.pid && c.exitCode === null && c.signalCode === null) process.kill(-c.pid, 'SIGKILL');
  for (const s of servers) s.close();
  removeTempDirs();
});

const MASTER = '127.0.45.1';
const LB = '127.0.45.10';

const atLeast = (version: string, floor: string) => {
  const [a = 0, b = 0] = version.split('.').map(Number);
  const [c = 0, d = 0] = floor.split('.').map(Number);
  return a > c || (a === c && b >= d);
};

interface ApiserverConfig {
  readonly version: string;
  readonly modes: readonly string[];
  readonly policy: readonly Record<string, unknown>[];
}

/**
 * The apiserver's decision on a GET of a non-resource path, modelled from kubernetes/kubernetes:
 * - authentication: a client certificate signed by --client-ca-file is its CN, groups its O plus
 *   system:authenticated; without one the request is system:anonymous in system:unauthenticated
 *   when anonymous auth is on: from 1.5, and never with AlwaysAllow among the modes
 *   (pkg/kubeapiserver/options/authentication.go ApplyAuthorization, kubernetes#38706), else 401;
 * - authorization, the modes in order, first Allow wins (union authorizer), else 403:
 *   AlwaysAllow allows; RBAC's bootstrap policy allows /healthz to everyone from 1.6 and /livez,
 *   /readyz from 1.16 (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go system:discovery,
 *   system:public-info-viewer); ABAC allows when a policy line matches (pkg/auth/authorizer/abac/
 *   abac.go: user or group set and matching, "*" for any; nonResourcePath "*", equal, or a "*"
 *   prefix; a GET is read-only); Node has no opinion on anyone outside system:nodes; a Webhook
 *   k8sm cannot see is taken to refuse.
 */
function decide(
  config: ApiserverConfig,
  path: string,
  who: { user: string; groups: string[] } | undefined,
): 200 | 401 | 403 | 404 {
  const anonymous = atLeast(config.version, '1.5') && !config.modes.includes('AlwaysAllow');
  const subject =
    who ?? (anonymous ? { user: 'system:anonymous', groups: ['system:unauthenticated'] } : undefined);
  if (!subject) return 401;
  const abac = (rule: Record<string, unknown>) => {
    const {
      user,
      group,
      nonResourcePath: p,
    } = rule as { user?: string; group?: string; nonResourcePath?: string };
    if (user === undefined && group === undefined) return false;
    if (user !== undefined && user !== '*' && user !== subject.user) return false;
    if (group !== undefined && group !== '*' && !subject.groups.includes(group)) return false;
    return p === '*' || p === path || (p?.endsWith('*') === true && path.startsWith(p.replace(/\*+$/, '')));
  };
  const allowed = config.modes.some((mode) => {
    if (mode === 'AlwaysAllow') return true;
    if (mode === 'RBAC')
      return path === '/healthz' ? atLeast(config.version, '1.6') : atLeast(config.version, '1.16');
    if (mode === 'ABAC') return config.policy.some(abac);
    return false;
  });
  if (!allowed) return 403;
  return path === '/healthz' || ((path === '/readyz' || path === '/livez') && atLeast(config.version, '1.16'))
    ? 200
    : 404;
}

/** The apiserver's flags as rendered: the 1.6-style env file, or the kubeadm layout's static pod. */
function apiserverFlags(out: string, version: string): Map<string, string> {
  const words = atLeast(version, '1.20')
    ? (parse(readFileSync(join(out, 'hosts/m1/etc/kubernetes/manifests/kube-apiserver.yaml'), 'utf8')).spec
        .containers[0].command as string[])
    : envWords(readFileSync(join(out, 'hosts/m1/etc/kubernetes/master-config'), 'utf8'), 'KUBE_API_ARGS');
  return new Map(
    words
      .filter((w) => w.startsWith('--'))
      .map((w) => [w.slice(2, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] as [string, string]),
  );
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createTcpServer().listen(0, LB, () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });

/** `show stat` on the runtime socket, parsed by the CSV header's names. */
const backendStatus = (socket: string) =>
  new Promise<string>((resolve) => {
    let text = '';
    const c = createConnection(socket, () => c.end('show stat\n'));
    c.on('data', (d) => {
      text += d;
    });
    c.on('error', (e) => resolve(`no socket (${e.message})`));
    c.on('close', () => {
      const [header = '', ...rows] = text.trim().split('\n');
      const names = header.replace(/^# /, '').split(',');
      const col = (name: string) => names.indexOf(name);
      const row = rows
        .map((r) => r.split(','))
        .find((r) => r[col('pxname')] === 'kube-apiservers' && r[col('svname')] === 'm1');
      resolve(row ? `${row[col('status')]} ${row[col('check_status')]} ${row[col('check_code')]}` : 'no row');
    });
  });

const get = (port: number, path: string, ca: Buffer, client?: { cert: Buffer; key: Buffer }) =>
  new Promise<number>((resolve) => {
    const req = request(
      { host: MASTER, port, path, ca, agent: false, servername: 'localhost', ...client },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', () => resolve(0));
    req.end();
  });

const CASES: {
  version: string;
  authorization?: string[];
  abacPolicy?: Record<string, unknown>[];
  kind: string;
  /** what an anonymous GET of the path gets: the reason the old check was DOWN */
  anonymous: number;
}[] = [
  {
    version: '1.6.0',
    authorization: ['ABAC'],
    abacPolicy: [
      { user: 'kubernetes-admin', nonResourcePath: '*', namespace: '*', resource: '*', apiGroup: '*' },
    ],
    kind: 'anonymous',
    anonymous: 200,
  },
  { version: '1.6.0', kind: 'client-certificate', anonymous: 401 },
  { version: '1.6.0', authorization: ['AlwaysAllow'], kind: 'client-certificate', anonymous: 401 },
  { version: '1.6.0', authorization: ['RBAC'], kind: 'anonymous', anonymous: 200 },
  {
    version: '1.19.16',
    authorization: ['ABAC', 'RBAC'],
    abacPolicy: [{ group: 'system:nodes', namespace: '*', resource: '*', apiGroup: '*' }],
    kind: 'anonymous',
    anonymous: 200,
  },
  {
    version: '1.19.16',
    authorization: ['Node', 'ABAC'],
    abacPolicy: [{ group: 'system:nodes', namespace: '*', resource: '*', apiGroup: '*' }],
    kind: 'anonymous',
    anonymous: 200,
  },
  { version: '1.19.16', authorization: ['Webhook'], kind: 'tcp', anonymous: 403 },
  { version: '1.30.8', kind: 'anonymous', anonymous: 200 },
];

for (const c of CASES) {
  daemonTest(
    `Kubernetes ${c.version} ${c.authorization?.join(',') ?? 'default modes'}: the ${c.kind} check keeps the backend UP, and k8sm-probe --spec presents what the check needs`,
    async (t) => {
      t.timeout(90_000);
      t.true(available, `Debian's haproxy is missing (${HAPROXY})`);
      // the fake apiserver listens first (port 0), and serves the rendered certificates once rendered
      const api = createServer({ requestCert: true, rejectUnauthorized: false });
      servers.push(api);
      let config: ApiserverConfig | undefined;
      const verified = new Map<string, ReturnType<TLSSocket['getPeerCertificate']>>();
      api.on('request', (req, res) => {
        const socket = req.socket as TLSSocket;
        // a resumed TLS session shows node no peer certificate, where Go's apiserver keeps the
        // one of the session: the last one verified from that client address stands in for it
        const shown = socket.authorized ? socket.getPeerCertificate() : undefined;
        if (shown?.subject) verified.set(socket.remoteAddress ?? '', shown);
        const peer = shown?.subject ? shown : shown && verified.get(socket.remoteAddress ?? '');
        const o = peer?.subject?.O;
        const who = peer
          ? { user: String(peer.subject.CN), groups: [...(o ? [o].flat() : []), 'system:authenticated'] }
          : undefined;
        const status = config ? decide(config, (req.url ?? '').split('?')[0] ?? '', who) : 503;
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(status === 200 ? 'ok' : 'no');
      });
      const port = await new Promise<number>((resolve) =>
        api.listen(0, MASTER, () => {
          const a = api.address();
          resolve(typeof a === 'object' && a ? a.port : 0);
        }),
      );
      const cwd = tempDir();
      const spec = {
        name: 'health',
        hosts: [
          { name: 'm1', address: MASTER, roles: ['etcd', 'k8s-master'] },
          { name: 'lb', address: LB, roles: ['haproxy'] },
        ],
        etcd: { version: '3.5.16' },
        kubernetes: {
          version: c.version,
          flavor: 'standalone',
          pkiDir: 'pki',
          apiserver: { securePort: port },
          ...(c.authorization ? { authorization: c.authorization } : {}),
          ...(c.abacPolicy ? { abacPolicy: c.abacPolicy } : {}),
        },
        haproxy: { version: '2.6', frontendPort: await freePort(), checkInterval: '300ms', runtimeApi: true },
        waive: { 'no-redundancy': 'one master is enough to watch the check' },
      };
      const file = writeSpec(cwd, 'health.json', spec);
      t.is(render(['pki', file], cwd).code, 0);
      const r = render([file, '-o', 'out'], cwd);
      t.is(r.code, 0, r.stderr);
      const out = join(cwd, 'out');
      const plan = JSON.parse(readFileSync(join(out, 'cluster/k8sm-plan.json'), 'utf8'));
      t.is(plan.kubernetes.apiserverHealthCheck.kind, c.kind);

      // the apiserver as the rendered files configure it
      const flags = apiserverFlags(out, c.version);
      const host = (p: string | undefined) => readFileSync(join(out, 'hosts/m1', p ?? '/missing'));
      const policyFile = flags.get('authorization-policy-file');
      config = {
        version: c.version,
        modes: flags.get('authorization-mode')?.split(',') ?? ['AlwaysAllow'],
        policy: policyFile
          ? host(policyFile)
              .toString()
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l).spec)
          : [],
      };
      const ca = host(flags.get('client-ca-file'));
      api.setSecureContext({
        cert: host(flags.get('tls-cert-file')),
        key: host(flags.get('tls-private-key-file')),
        ca,
      });
      const path = plan.kubernetes.apiserverHealthCheck.path as string;
      t.is(await get(port, path, ca), c.anonymous, `an anonymous GET of ${path}`);

      const lbDir = join(out, 'hosts/lb/etc/haproxy');
      const socket = join(cwd, 'admin.sock');
      const cfg = readFileSync(join(lbDir, 'haproxy.cfg'), 'utf8')
        .replaceAll('/etc/haproxy/', `${lbDir}/`)
        .replace('/run/haproxy/admin.sock', socket);
      const cfgFile = join(cwd, 'haproxy.cfg');
      writeFileSync(cfgFile, cfg);
      const haproxy = spawn(HAPROXY, ['-db', '-f', cfgFile], { stdio: 'ignore', detached: true });
      children.push(haproxy);
      let status = await backendStatus(socket);
      for (let i = 0; i < 80 && !status.startsWith('UP'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        status = await backendStatus(socket);
      }
      t.regex(status, /^UP /, `${cfg}\n${status}`);
      if (haproxy.pid) process.kill(-haproxy.pid, 'SIGTERM');

      // k8sm-probe --spec asks the same apiserver with what the spec's PKI dir holds: the cluster
      // CA, and the health-check pair where anonymous requests are refused
      // (a child process that does not block this one: the fake apiserver answers from here)
      const probed = await new Promise<{ stdout: string; stderr: string }>((resolve) =>
        execFile(
          process.execPath,
          [probeBin, '--spec', file, '--json', '--timeout', '5'],
          { cwd, timeout: 30_000 },
          (_error, stdout, stderr) => resolve({ stdout, stderr }),
        ),
      );
      const apiservers = (
        JSON.parse(probed.stdout) as { ensembles: { system: string; status: string; summary: string }[] }
      ).ensembles.find((e) => e.system === 'apiserver');
      if (c.kind === 'tcp') t.like(apiservers, { status: 'UNKNOWN' }, `${probed.stdout}${probed.stderr}`);
      else t.like(apiservers, { status: 'OK' }, `${probed.stdout}${probed.stderr}`);
      api.close();
    },
  );
}
