import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import test from 'ava';
import { removeTempDirs, render, tempDir, writeSpec } from './helpers.js';

// A local stand-in for Marathon answering /ping and PUT /v2/apps/<id> as Marathon does.
const puts: { path: string; body: unknown }[] = [];
let server: Server;
let port = 0;

test.before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/ping') return void res.end('pong');
      if (req.method === 'PUT' && req.url?.startsWith('/v2/apps/')) {
        puts.push({ path: req.url, body: JSON.parse(body) });
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end('{"version":"2026-11-24T00:00:00.000Z","deploymentId":"d1"}');
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.40.22', resolve));
  port = (server.address() as AddressInfo).port;
});

/** Async on purpose: the fake Marathon answers from this process's event loop. */
function bash(script: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', [script], { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test.after.always(() => {
  server?.close();
  removeTempDirs();
});

test.serial(
  'deploy.sh PUTs every app to the first Marathon that answers, skipping one that is down',
  async (t) => {
    const cwd = tempDir();
    const spec = {
      name: 'apps',
      hosts: [
        // nothing listens on .21: the script must move on to .22
        { name: 'm1', address: '127.0.40.21', roles: ['mesos-master', 'marathon'] },
        { name: 'm2', address: '127.0.40.22', roles: ['mesos-master', 'marathon'] },
        { name: 'm3', address: '127.0.40.23', roles: ['mesos-master', 'marathon'] },
      ],
      mesos: { version: '1.11.0', externalZookeeper: '127.0.40.30:2181' },
      marathon: {
        version: '1.11.24',
        httpPort: port,
        apps: [
          { id: '/hello', cmd: 'echo hello world; sleep 30', cpus: 0.1, mem: 16 },
          {
            id: '/web/nginx',
            cpus: 0.25,
            mem: 256,
            docker: { image: 'nginx', portMappings: [{ containerPort: 80 }] },
          },
        ],
      },
    };
    const r = render([writeSpec(cwd, 'apps.json', spec), '-o', 'out'], cwd);
    t.is(r.code, 0, r.stderr);
    const deploy = await bash(join(cwd, 'out/cluster/marathon/deploy.sh'));
    t.is(deploy.status, 0, deploy.stderr);
    t.deepEqual(
      puts.map((p) => p.path),
      ['/v2/apps/hello', '/v2/apps/web/nginx'],
    );
    t.like(puts[1]?.body, { id: '/web/nginx', networks: [{ mode: 'container/bridge' }] });
    t.regex(deploy.stdout, new RegExp(`deploy: /web/nginx -> http://127\\.0\\.40\\.22:${port}`));
  },
);

test.serial('deploy.sh fails clearly when no Marathon answers', async (t) => {
  const cwd = tempDir();
  const spec = {
    name: 'apps',
    hosts: [{ name: 'm1', address: '127.0.40.24', roles: ['mesos-master', 'marathon'] }],
    mesos: { version: '1.11.0', externalZookeeper: '127.0.40.30:2181' },
    marathon: {
      version: '1.11.24',
      httpPort: port,
      apps: [{ id: '/hello', cmd: 'true', cpus: 0.1, mem: 16 }],
    },
    waive: { 'no-redundancy': 'test' },
  };
  t.is(render([writeSpec(cwd, 'apps.json', spec), '-o', 'out'], cwd).code, 0);
  const deploy = await bash(join(cwd, 'out/cluster/marathon/deploy.sh'));
  t.is(deploy.status, 1);
  t.regex(deploy.stderr, new RegExp(`no Marathon answered /ping at http://127\\.0\\.40\\.24:${port}`));
});
