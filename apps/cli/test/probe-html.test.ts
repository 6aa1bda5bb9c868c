import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import test from 'ava';
import { noStack, probeBin, removeTempDirs, tempDir } from './helpers.js';

// `k8sm-probe --html` against fake ZooKeeper members on 127.0.0.1 (one down), and the page it
// writes opened by a real browser, Debian's headless chromium: what it renders, logs and loads.
const CHROMIUM = '/usr/bin/chromium';
const chromiumTest = existsSync(CHROMIUM) || process.env.CI === 'true' ? test.serial : test.skip;

const closers: (() => void)[] = [];
test.after.always(() => {
  for (const close of closers) close();
  removeTempDirs();
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A program run without blocking this process (the fakes below answer meanwhile), killed after `timeoutMs`. */
const spawnRun = (file: string, args: readonly string[], timeoutMs: number): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      file,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });

const probe = (args: readonly string[]) => spawnRun(process.execPath, [probeBin, ...args], 20_000);

/** A ZooKeeper member as 3.8 answers srvr and mntr; conf without a membership (the list given is the ensemble). */
async function fakeZookeeper(
  mode: 'leader' | 'follower',
): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    socket.on('error', () => {});
    socket.once('data', (word) => {
      if (String(word).startsWith('mntr'))
        return socket.end(
          mode === 'leader'
            ? 'zk_peer_state\tleading - broadcast\nzk_quorum_size\t3\nzk_synced_followers\t1\n'
            : 'zk_peer_state\tfollowing - broadcast\nzk_quorum_size\t3\n',
        );
      if (String(word).startsWith('conf')) return socket.end('clientPort=2181\n');
      socket.end(
        `Zookeeper version: 3.8.0-fake, built on 2022-02-25\nLatency min/avg/max: 0/0.1/1\nReceived: 1\nSent: 1\nConnections: 1\nOutstanding: 0\nZxid: 0x100000002\nMode: ${mode}\nNode count: 5\n`,
      );
    });
  });
  closers.push(() => server.close());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, connections: () => connections };
}

/** A loopback port nothing listens on: the member that is down (refused). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

async function ensemble() {
  const leader = await fakeZookeeper('leader');
  const follower = await fakeZookeeper('follower');
  const down = await closedPort();
  const members = [`127.0.0.1:${leader.port}`, `127.0.0.1:${follower.port}`, `127.0.0.1:${down}`];
  return {
    members,
    down: `127.0.0.1:${down}`,
    connections: () => leader.connections() + follower.connections(),
  };
}

/**
 * Headless chromium on a file, bounded to 60 s. Its own background traffic (component updates,
 * account checks) is turned off, and every name it would resolve fails, so nothing leaves the host.
 */
const chromium = (page: string, ...mode: string[]) =>
  spawnRun(
    CHROMIUM,
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      `--user-data-dir=${tempDir()}`,
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--disable-default-apps',
      '--host-resolver-rules=MAP * ~NOTFOUND',
      '--enable-logging=stderr',
      '--v=0',
      ...mode,
      pathToFileURL(page).href,
    ],
    60_000,
  );

/** What the page logged to its console: script errors, and every load a Content-Security-Policy refused. */
const consoleLines = (stderr: string) => stderr.split('\n').filter((l) => /:CONSOLE[:(]|Uncaught/.test(l));

/** Width, height and RGBA pixels of an 8-bit RGB or RGBA, non-interlaced PNG (what chromium writes). */
function decodePng(png: Buffer): { width: number; height: number; rgba: (x: number, y: number) => number[] } {
  if (!png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    throw new Error('not a PNG signature');
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('the first chunk is not IHDR');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const [depth, colour, , , interlace] = png.subarray(24, 29);
  if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0)
    throw new Error(`unexpected PNG depth ${depth} colour type ${colour} interlace ${interlace}`);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const bpp = colour === 6 ? 4 : 3;
  const stride = width * bpp;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i] ?? 0;
      const a = i >= bpp ? (out[y * stride + i - bpp] ?? 0) : 0;
      const b = y > 0 ? (out[(y - 1) * stride + i] ?? 0) : 0;
      const c = y > 0 && i >= bpp ? (out[(y - 1) * stride + i - bpp] ?? 0) : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const predicted = [0, a, b, (a + b) >> 1, paeth][filter ?? 0] ?? 0;
      out[y * stride + i] = (x + predicted) & 0xff;
    }
  }
  return {
    width,
    height,
    rgba: (x, y) => {
      const at = y * stride + x * bpp;
      return [out[at] ?? 0, out[at + 1] ?? 0, out[at + 2] ?? 0, bpp === 4 ? (out[at + 3] ?? 0) : 255];
    },
  };
}

const hex = (rgba: number[]) =>
  rgba
    .slice(0, 3)
    .map((v) => v.toString(16).padStart(2, '0'))
    .join('');

chromiumTest(
  '--html writes the run as a page chromium renders with no console error and no load, the down member and its reason in the DOM',
  async (t) => {
    t.timeout(180_000);
    const zk = await ensemble();
    const dir = tempDir();
    const file = join(dir, 'report.html');
    // an older report is replaced whole, with the page's mode, and no temporary file is left
    writeFileSync(file, 'old report', { mode: 0o600 });
    const r = await probe(['--zk', zk.members.join(','), '--timeout', '1', '--html', file]);
    t.is(r.code, 1, r.stderr);
    t.regex(r.stdout, /^zookeeper +WARNING +2\/3 up, leader 127\.0\.0\.1:\d+, tolerates 0 more failures/);
    t.regex(r.stdout, /\noverall: WARNING\n$/);
    t.is(r.stderr, '');
    t.deepEqual(readdirSync(dir), ['report.html']);
    t.is(statSync(file).mode & 0o777, 0o644);
    const page = readFileSync(file, 'utf8');
    t.regex(page, /<title>k8sm-probe: WARNING<\/title>/);
    // nothing to load: no src, href, url() or @import anywhere in the file
    t.notRegex(page, /\b(?:src|href)\s*=|url\(|@import/i);

    const shot = join(dir, 'shot.png');
    const screenshot = await chromium(file, `--screenshot=${shot}`, '--window-size=1200,900');
    t.is(screenshot.code, 0, screenshot.stderr);
    t.deepEqual(consoleLines(screenshot.stderr), []);
    const png = decodePng(readFileSync(shot));
    t.deepEqual([png.width, png.height], [1200, 900]);
    // the status colours are on the screen: WARNING's amber (the ensemble's bar and badges), DOWN's red
    const colours = new Set<string>();
    for (let y = 0; y < png.height; y += 2)
      for (let x = 0; x < png.width; x += 2) colours.add(hex(png.rgba(x, y)));
    t.true(colours.has('bf8700'), 'the WARNING bar');
    t.true(colours.has('9a6700'), 'the WARNING badge');
    t.true(colours.has('cf222e'), 'the DOWN badge');

    const dump = await chromium(file, '--dump-dom');
    t.is(dump.code, 0, dump.stderr);
    t.deepEqual(consoleLines(dump.stderr), []);
    const dom = dump.stdout;
    t.regex(dom, /<title>k8sm-probe: WARNING<\/title>/);
    t.is(
      [...dom.matchAll(/<span class="badge WARNING">WARNING<\/span>/g)].length,
      2,
      'the overall and the ensemble status',
    );
    t.regex(dom, /<p class="summary">2\/3 up, leader 127\.0\.0\.1:\d+, tolerates 0 more failures<\/p>/);
    t.true(
      dom.includes(
        `<tr><td class="member">${zk.down}</td><td class="state"><span class="badge down">DOWN</span></td><td class="role">—</td><td class="latency">—</td><td class="why"><div><span class="reason">refused</span>: ${zk.down} (srvr): connection refused</div></td></tr>`,
      ),
      dom,
    );
    for (const member of zk.members) t.true(dom.includes(`<td class="member">${member}</td>`), member);
    t.is([...dom.matchAll(/<span class="badge up">UP<\/span>/g)].length, 2);
    // the role as the member says it, with the election it is in (the zxid's epoch)
    t.regex(dom, /<td class="role">leader \(zxid epoch 1\)<\/td>/);
    t.regex(dom, /<td class="role">follower \(zxid epoch 1\)<\/td>/);
    t.notRegex(dom, /<script|<link|<img|<iframe/);
  },
);

chromiumTest(
  'the console check can fail: a page with a script error and a refused load is caught',
  async (t) => {
    const dir = tempDir();
    const page = join(dir, 'bad.html');
    writeFileSync(
      page,
      `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'"><title>bad</title></head><body><img src="http://127.0.0.1:9/x.png"><script>throw new Error("oops")</script></body></html>`,
    );
    const r = await chromium(page, '--dump-dom');
    t.is(r.code, 0, r.stderr);
    const lines = consoleLines(r.stderr);
    t.true(
      lines.some((l) => /violates the following Content Security Policy/.test(l)),
      r.stderr,
    );
    t.true(
      lines.some((l) => /Uncaught Error: oops/.test(l)),
      r.stderr,
    );
  },
);

test.serial(
  '--html to a missing directory, a directory or below a file: exit 3 naming the flag and path, no probe sent',
  async (t) => {
    const zk = await ensemble();
    const dir = tempDir();
    writeFileSync(join(dir, 'a-file'), '');
    mkdirSync(join(dir, 'sub'));
    const cases: [string, RegExp][] = [
      [
        join(dir, 'missing', 'report.html'),
        /its directory .*missing: no such file or directory \(ENOENT\)$/m,
      ],
      [join(dir, 'sub'), /: it is a directory$/m],
      [join(dir, 'a-file', 'report.html'), /a-file is not a directory$/m],
    ];
    for (const [path, why] of cases) {
      for (const format of [[], ['--nagios']]) {
        const r = await probe(['--zk', zk.members.join(','), '--timeout', '1', '--html', path, ...format]);
        t.is(r.code, 3, `${path} ${format}: ${r.stdout}${r.stderr}`);
        const line = `--html ${path}: cannot write the report there: `;
        t.true(r.stderr.startsWith(`k8sm-probe: ${line}`), r.stderr);
        t.regex(r.stderr.split('\n')[0] ?? '', why);
        t.true(noStack(r.stdout) && noStack(r.stderr), r.stderr);
        t.notRegex(`${r.stdout}${r.stderr}`, /internal error|K8SM_DEBUG/);
        if (format.length > 0) t.true(r.stdout.startsWith(`K8SM UNKNOWN - ${line}`), r.stdout);
        else t.regex(r.stdout, /^overall: UNKNOWN/);
      }
    }
    t.is(zk.connections(), 0, 'no member was probed');
    t.deepEqual(readdirSync(dir).sort(), ['a-file', 'sub']);
    t.deepEqual(readdirSync(join(dir, 'sub')), []);
  },
);

test.serial('--html with --watch is a usage error naming both, before any probe', async (t) => {
  const zk = await ensemble();
  const dir = tempDir();
  const file = join(dir, 'report.html');
  const r = await probe(['--zk', zk.members.join(','), '--watch', '1', '--html', file]);
  t.is(r.code, 3, r.stderr);
  t.regex(r.stderr, /^k8sm-probe: --html and --watch: /);
  t.regex(r.stderr, /\n\nUsage:\n/);
  t.true(noStack(r.stderr));
  t.false(existsSync(file));
  t.is(zk.connections(), 0);
});
