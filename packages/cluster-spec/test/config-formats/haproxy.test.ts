import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haproxyQuotedText, haproxyWord } from '@k8sm/spec';
import test from 'ava';
import { CONTROL, oracleTest, PRINTABLE, refusedOrReadBack, refusesAll, runs } from './hostile.js';

const CFG = '/etc/haproxy/haproxy.cfg';
const PASSWORD = 'pw-$not-expanded';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * Runs the real haproxy on a loopback port with `config(port)`, which must pass `haproxy -c`, and
 * gives `use` the base URL. HAProxy is the oracle: `http-request return … string <word>` answers
 * with the word as HAProxy parsed it, `stats auth` lets in exactly the user it parsed.
 */
async function withHaproxy<T>(
  config: (port: number) => string,
  use: (url: string) => Promise<T>,
): Promise<T> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'k8sm-haproxy-'));
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, config(port));
  const env = { ...process.env, K8SM_PW: PASSWORD };
  const check = spawnSync('haproxy', ['-c', '-f', file], { encoding: 'utf8', env });
  if (check.status !== 0) throw new Error(`haproxy -c refused the config:\n${check.stdout}${check.stderr}`);
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', file], { stdio: 'ignore', env });
  try {
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(`${url}/ready`).then(
          () => true,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return await use(url);
  } finally {
    child.kill();
  }
}

const head = (port: number) =>
  `defaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\n\nfrontend echo\n    bind 127.0.0.1:${port}\n`;
const haproxy = runs('haproxy', '-v');

oracleTest(haproxy)(
  'haproxy parses each word back as exactly the value, or the writer refuses it',
  async (t) => {
    const values = [...CONTROL, ...PRINTABLE, 'x\n    stats admin if TRUE'];
    const carried: string[] = [];
    for (const value of values) {
      try {
        carried.push(haproxyWord(CFG, 'string', value));
      } catch {}
    }
    const bodies = await withHaproxy(
      (port) =>
        `${head(port)}${carried.map((word, i) => `    http-request return status 200 content-type text/plain string ${word} if { path /${i} }\n`).join('')}    http-request return status 200 if { path /ready }\n`,
      (url) => Promise.all(carried.map((_, i) => fetch(`${url}/${i}`).then((r) => r.text()))),
    );
    let i = 0;
    refusedOrReadBack(
      t,
      CFG,
      values,
      (value) => haproxyWord(CFG, 'string', value),
      (written) => written.map(() => bodies[i++]),
      PRINTABLE,
    );
  },
);

oracleTest(haproxy)(
  'stats auth lets in exactly the user written, and only it; a `:` or a newline in the user is refused',
  async (t) => {
    const users = PRINTABLE.filter((u) => !u.includes(':'));
    const quoted = users.map((u) => haproxyQuotedText(CFG, 'stats auth', u, ':'));
    const statuses = await withHaproxy(
      (port) =>
        `${head(port)}    http-request return status 200 if { path /ready }\n    default_backend stats\n\nbackend stats\n    stats enable\n    stats uri /\n${quoted.map((q) => `    stats auth "${q}:\${K8SM_PW}"\n`).join('')}`,
      (url) => {
        const as = (user: string, password = PASSWORD) =>
          fetch(`${url}/`, {
            headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
          }).then((r) => r.status);
        return Promise.all([...users.map((u) => as(u)), as('a'), as(users[0] ?? '', 'wrong')]);
      },
    );
    t.deepEqual(statuses, [...users.map(() => 200), 401, 401]);
    refusesAll(t, CFG, [...CONTROL, 'a:b', 'admin\n    stats admin if TRUE'], (u) =>
      haproxyQuotedText(CFG, 'stats auth', u, ':'),
    );
  },
);

test('plain words keep their bytes; others are quoted with `\\`, `"` and `$` escaped', (t) => {
  t.is(haproxyWord(CFG, 'server', '10.0.0.1'), '10.0.0.1');
  t.is(haproxyWord(CFG, 'balance', 'roundrobin'), 'roundrobin');
  t.is(haproxyWord(CFG, 'server', 'a b#c'), '"a b#c"');
  t.is(haproxyWord(CFG, 'server', 'a"$\\'), '"a\\"\\$\\\\"');
});
