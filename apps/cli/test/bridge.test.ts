import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate } from '@k8sm/pki';
import test from 'ava';
import { removeTempDirs, renderBin, tempDir } from './helpers.js';

// The bridge against a local fake Marathon (the documented /v2/apps?embed=apps.tasks shapes) and
// Debian's real haproxy for validation.
const HAPROXY = '/usr/sbin/haproxy';
const available = existsSync(HAPROXY);
const haproxyTest = available || process.env.CI === 'true' ? test.serial : test.skip;

const servers: Server[] = [];
test.after.always(() => {
  for (const s of servers) s.close();
  removeTempDirs();
});

const APPS = {
  apps: [
    {
      id: '/web/nginx',
      container: { type: 'DOCKER', portMappings: [{ containerPort: 80, hostPort: 0, servicePort: 10000 }] },
      healthChecks: [{ protocol: 'HTTP', path: '/' }],
      tasks: [
        { host: '10.0.0.12', ports: [31002], state: 'TASK_RUNNING', healthCheckResults: [{ alive: true }] },
        { host: '10.0.0.11', ports: [31001], state: 'TASK_RUNNING', healthCheckResults: [{ alive: true }] },
        { host: '10.0.0.13', ports: [31003], state: 'TASK_RUNNING', healthCheckResults: [{ alive: false }] },
      ],
    },
    {
      id: '/api',
      portDefinitions: [{ port: 10001 }, { port: 10002 }],
      tasks: [{ host: '10.0.0.14', ports: [31004, 31005], state: 'TASK_RUNNING' }],
    },
    { id: '/batch', portDefinitions: [], tasks: [{ host: '10.0.0.15', ports: [] }] },
  ],
};

/** A fake Marathon on 127.0.40.31, port 0; `handler` decides each answer. */
function marathon(handler: (url: string, res: import('node:http').ServerResponse) => void): Promise<string> {
  return new Promise((resolve) => {
    const server = createServer((req, res) => handler(req.url ?? '', res));
    servers.push(server);
    server.listen(0, '127.0.40.31', () =>
      resolve(`http://127.0.40.31:${(server.address() as AddressInfo).port}`),
    );
  });
}
const json = (body: unknown) => (url: string, res: import('node:http').ServerResponse) => {
  if (url === '/v2/apps?embed=apps.tasks') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  } else {
    res.writeHead(404);
    res.end();
  }
};

/** Run the CLI asynchronously (the fake Marathon lives in this process). */
function bridge(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [renderBin, 'bridge', ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

haproxyTest(
  'one listener per service port, healthy running tasks only, stable names; haproxy -c -dW clean',
  async (t) => {
    const url = await marathon(json(APPS));
    const cwd = tempDir();
    const r = await bridge(
      ['--marathon', `http://127.0.40.30:1,${url}`, '-o', 'haproxy.cfg', '--timeout', '1'],
      cwd,
    );
    t.is(r.code, 0, r.stderr);
    t.regex(
      r.stdout,
      /3 listener\(s\) for 2 app\(s\) from http:\/\/127\.0\.40\.31:\d+ → haproxy\.cfg \(changed\)/,
    );
    t.regex(r.stdout, /note: \/batch: no service port, skipped/);
    t.regex(r.stdout, /note: \/web\/nginx: task on 10\.0\.0\.13 is not healthy, left out/);
    const cfg = readFileSync(join(cwd, 'haproxy.cfg'), 'utf8');
    t.true(
      cfg.includes(
        [
          'listen web_nginx-10000',
          '    bind *:10000',
          '    mode tcp',
          '    option tcplog',
          '    balance leastconn',
          '    server 10.0.0.11_31001 10.0.0.11:31001 check',
          '    server 10.0.0.12_31002 10.0.0.12:31002 check',
          '',
        ].join('\n'),
      ),
      cfg,
    );
    t.regex(cfg, /listen api-10001\n(.*\n){4} {4}server 10\.0\.0\.14_31004 10\.0\.0\.14:31004 check\n/);
    t.regex(cfg, /listen api-10002\n(.*\n){4} {4}server 10\.0\.0\.14_31005 10\.0\.0\.14:31005 check\n/);
    const check = spawnSync(HAPROXY, ['-c', '-dW', '-f', join(cwd, 'haproxy.cfg')], { encoding: 'utf8' });
    t.is(check.status, 0, check.stdout + check.stderr);
    // a second run with the same apps changes nothing
    const again = await bridge(['--marathon', url, '-o', 'haproxy.cfg'], cwd);
    t.regex(again.stdout, /\(unchanged\)/);
  },
);

haproxyTest(
  '--apply drops the app HAProxy refuses, applies the rest, and reloads only on change',
  async (t) => {
    const broken = {
      apps: [
        ...APPS.apps,
        { id: '/broken', portDefinitions: [{ port: 99999 }], tasks: [{ host: '10.0.0.16', ports: [31006] }] },
      ],
    };
    const url = await marathon(json(broken));
    const cwd = tempDir();
    const reloads = join(cwd, 'reloads');
    const args = [
      '--marathon',
      url,
      '-o',
      'haproxy.cfg',
      '--apply',
      '--haproxy',
      HAPROXY,
      '--reload',
      `echo reload >> ${reloads}`,
    ];
    const r = await bridge(args, cwd);
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, /dropped \/broken \(service port 99999\): .*ALERT.*\S/);
    t.regex(r.stdout, /\(changed, reloaded\)/);
    const cfg = readFileSync(join(cwd, 'haproxy.cfg'), 'utf8');
    t.notRegex(cfg, /broken/);
    t.regex(cfg, /listen web_nginx-10000/);
    const again = await bridge(args, cwd);
    t.regex(again.stdout, /\(unchanged\)/);
    t.is(readFileSync(reloads, 'utf8'), 'reload\n', 'one reload: the second run changed nothing');
  },
);

test('the pre-1.11 text/plain /v2/tasks is the fallback when /v2/apps is not there', async (t) => {
  const url = await marathon((u, res) => {
    if (u === '/v2/tasks') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('web_nginx\t10000\t10.0.0.11:31001\t10.0.0.12:31002\t\n');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  const cwd = tempDir();
  const r = await bridge(['--marathon', url, '-o', 'haproxy.cfg'], cwd);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /\(\/v2\/tasks\)/);
  t.regex(
    readFileSync(join(cwd, 'haproxy.cfg'), 'utf8'),
    /server 10\.0\.0\.12_31002 10\.0\.0\.12:31002 check/,
  );
});

test('a Marathon answering 406, 502, garbage or nothing: a clear error, bounded, the old config kept', async (t) => {
  const cases: [string, (u: string, res: import('node:http').ServerResponse) => void, RegExp][] = [
    [
      '406',
      (_u, res) => {
        res.writeHead(406);
        res.end();
      },
      /\/v2\/apps answered 406 and \/v2\/tasks 406/,
    ],
    [
      '502',
      (_u, res) => {
        res.writeHead(502);
        res.end();
      },
      /HTTP 502 \(after 3 attempts\)/,
    ],
    [
      'garbage',
      (_u, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('<html>');
      },
      /not JSON: "<html>"/,
    ],
    ['silence', () => {}, /no answer within 1000 ms \(after 3 attempts\)/],
  ];
  for (const [name, handler, reason] of cases) {
    const url = await marathon(handler);
    const cwd = tempDir();
    writeFileSync(join(cwd, 'haproxy.cfg'), 'previous\n');
    const started = Date.now();
    const r = await bridge(['--marathon', url, '-o', 'haproxy.cfg', '--timeout', '1'], cwd);
    t.is(r.code, 1, name);
    t.regex(r.stderr, /no Marathon answered with its apps; the previous config is kept/, name);
    t.regex(r.stderr, reason, name);
    t.notRegex(r.stderr, /^\s+at /m, name);
    t.is(readFileSync(join(cwd, 'haproxy.cfg'), 'utf8'), 'previous\n', name);
    t.true(Date.now() - started < 15_000, `${name}: bounded`);
  }
});

test('an unresolvable task host drops only its server, with a note; no DNS query leaves the machine', async (t) => {
  const { bridgeOnce } = await import('../src/bridge.js');
  const url = await marathon(
    json({
      apps: [
        {
          id: '/web',
          portDefinitions: [{ port: 10000 }],
          tasks: [
            { host: 'gone.example', ports: [31001], state: 'TASK_RUNNING' },
            { host: '10.0.0.12', ports: [31002], state: 'TASK_RUNNING' },
          ],
        },
      ],
    }),
  );
  const cwd = tempDir();
  const asked: string[] = [];
  const r = await bridgeOnce(
    {
      marathon: [url],
      output: join(cwd, 'haproxy.cfg'),
      apply: false,
      reload: 'true',
      haproxy: HAPROXY,
      timeoutMs: 1000,
      attempts: 1,
      // the fake resolver: only the IP literal resolves
      resolves: async (host) => {
        asked.push(host);
        return host === '10.0.0.12';
      },
    },
    'test',
  );
  t.deepEqual(asked.sort(), ['10.0.0.12', 'gone.example']);
  t.true(
    r.notes.includes('app /web: task host gone.example does not resolve: server dropped'),
    r.notes.join('\n'),
  );
  const cfg = readFileSync(join(cwd, 'haproxy.cfg'), 'utf8');
  t.regex(cfg, /server 10\.0\.0\.12_31002 10\.0\.0\.12:31002 check/);
  t.notRegex(cfg, /gone\.example/);
});

haproxyTest(
  'a service port two apps claim: real HAProxy would split its connections over both, so the bridge writes one listener and names the other',
  async (t) => {
    t.timeout(60_000);
    // the hazard, on real HAProxy: two listeners on one port both start, and connections land on both apps
    const { createServer: tcp, connect } = await import('node:net');
    const backend = async (reply: string) => {
      const s = tcp((c) => c.end(reply));
      await new Promise<void>((resolve) => s.listen(0, '127.0.40.36', resolve));
      servers.push(s as unknown as Server);
      return (s.address() as AddressInfo).port;
    };
    const [a, b] = [await backend('api'), await backend('web')];
    const free = tcp();
    await new Promise<void>((resolve) => free.listen(0, '127.0.40.35', resolve));
    const port = (free.address() as AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));
    const dir = tempDir();
    const both = join(dir, 'both.cfg');
    const listen = (name: string, to: number) =>
      `listen ${name}\n    bind 127.0.40.35:${port}\n    mode tcp\n    timeout connect 1s\n    timeout client 1s\n    timeout server 1s\n    server s 127.0.40.36:${to}\n`;
    writeFileSync(both, `global\n    maxconn 100\n${listen('api-10001', a)}${listen('web-10001', b)}`);
    const haproxy = spawn(HAPROXY, ['-db', '-f', both], { stdio: 'ignore' });
    try {
      const ask = () =>
        new Promise<string>((resolve) => {
          let got = '';
          const c = connect(port, '127.0.40.35');
          c.on('data', (d) => {
            got += d;
          });
          c.on('close', () => resolve(got));
          c.on('error', () => resolve(''));
          c.setTimeout(2000, () => c.destroy());
        });
      const seen = new Set<string>();
      // bounded: at most 60 connections, 100 ms apart while HAProxy starts
      for (let i = 0; i < 60 && seen.size < 2; i++) {
        const got = await ask();
        if (got) seen.add(got);
        else await new Promise((r) => setTimeout(r, 100));
      }
      t.deepEqual([...seen].sort(), ['api', 'web'], 'both listeners served the one port');
    } finally {
      haproxy.kill('SIGKILL');
    }

    // the bridge: one listener on the port, the other app named, a config haproxy -c accepts
    const url = await marathon(
      json({
        apps: [
          {
            id: '/web',
            portDefinitions: [{ port: 10001 }, { port: 10003 }],
            tasks: [{ host: '10.0.0.2', ports: [31001, 31003] }],
          },
          { id: '/api', portDefinitions: [{ port: 10001 }], tasks: [{ host: '10.0.0.1', ports: [31000] }] },
        ],
      }),
    );
    const cwd = tempDir();
    const r = await bridge(['--marathon', url, '-o', 'haproxy.cfg'], cwd);
    t.is(r.code, 0, r.stderr);
    t.regex(
      r.stdout,
      /dropped service port 10001 is claimed by \/api and \/web: \/api \(first by id\) keeps it/,
    );
    const cfg = readFileSync(join(cwd, 'haproxy.cfg'), 'utf8');
    t.is(cfg.match(/bind \*:10001$/gm)?.length, 1, cfg);
    t.regex(cfg, /listen api-10001\n/);
    t.regex(cfg, /listen web-10003\n/);
    const check = spawnSync(HAPROXY, ['-c', '-dW', '-f', join(cwd, 'haproxy.cfg')], { encoding: 'utf8' });
    t.is(check.status, 0, check.stdout + check.stderr);
  },
);

test('the bridge speaks TLS and basic auth to Marathon through the probes client; the password is never printed', async (t) => {
  t.timeout(60_000);
  const { createServer: createTls } = await import('node:https');
  const dir = tempDir();
  // a CA and a server certificate for the fake Marathon's address, from k8sm's own PKI code
  const ca = await createCertificateAuthority({ commonName: 'marathon-ca', days: 1 });
  const leaf = await issueCertificate({
    ca,
    commonName: 'marathon',
    ipAddresses: ['127.0.40.37'],
    usages: ['server'],
    days: 1,
  });
  writeFileSync(join(dir, 'ca.crt'), ca.certPem);
  const secret = 'pa$$ w0rd;rm -rf';
  // Marathon with --http_credentials k8sm:<secret>: 401 without them
  const server = createTls({ key: leaf.keyPem, cert: leaf.certPem }, (req, res) => {
    const expected = `Basic ${Buffer.from(`k8sm:${secret}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return res.writeHead(401).end();
    if (req.url !== '/v2/apps?embed=apps.tasks') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        apps: [
          { id: '/api', portDefinitions: [{ port: 10001 }], tasks: [{ host: '10.0.0.1', ports: [31000] }] },
        ],
      }),
    );
  });
  servers.push(server as unknown as Server);
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.40.37', () => resolve((server.address() as AddressInfo).port)),
  );
  const url = `https://127.0.40.37:${port}`;
  const cwd = tempDir();
  const env = { ...process.env, MARATHON_PASSWORD: secret };
  const run = (args: string[]) =>
    bridge(['--marathon', url, '-o', 'haproxy.cfg', '--timeout', '2', ...args], cwd, env);
  const auth = ['--marathon-user', 'k8sm', '--marathon-password-env', 'MARATHON_PASSWORD'];
  const unverified = await run(auth);
  t.is(unverified.code, 1);
  t.regex(unverified.stderr, /TLS failed/);
  const refused = await run([
    '--cacert',
    join(dir, 'ca.crt'),
    '--marathon-user',
    'k8sm',
    '--marathon-password-env',
    'NO_SUCH_VAR',
  ]);
  t.is(refused.code, 2, 'a usage error');
  t.regex(refused.stderr, /--marathon-password-env NO_SUCH_VAR: the variable is not set/);
  const anonymous = await run(['--cacert', join(dir, 'ca.crt')]);
  t.is(anonymous.code, 1);
  t.regex(anonymous.stderr, /HTTP 401/);
  const ok = await run(['--cacert', join(dir, 'ca.crt'), ...auth]);
  t.is(ok.code, 0, ok.stderr);
  t.regex(ok.stdout, /1 listener\(s\) for 1 app\(s\) from https:\/\/127\.0\.40\.37:\d+/);
  for (const r of [unverified, refused, anonymous, ok]) {
    t.false(`${r.stdout}${r.stderr}`.includes(secret));
    t.false(`${r.stdout}${r.stderr}`.includes(Buffer.from(`k8sm:${secret}`).toString('base64')));
  }
});
