import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import test from 'ava';
import {
  closeHttpAgents,
  fourLetterWord,
  httpRequest,
  type ProbeResult,
  probeEtcd,
  probeZookeeper,
} from '../src/index.js';

// Servers that misbehave on purpose, on loopback port 0. Every probe must end within its
// timeout (+200 ms) with the reason, and read no more than its size cap.
const TIMEOUT = 500;
// for failures that answer at once (refused, unresolved, a TLS alert): a loaded machine must not
// turn them into timeouts; the deadline itself is pinned by the silent and drip servers above
const ANSWER_TIMEOUT = 5_000;
const servers: Server[] = [];
const sockets = new Set<Socket>();
test.after.always(async () => {
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
  await closeHttpAgents();
});

function hostile(onConnection: (socket: Socket) => void): Promise<number> {
  return new Promise((resolve) => {
    const server = createTcpServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      onConnection(socket);
    });
    servers.push(server);
    server.listen(0, '127.0.45.1', () => resolve((server.address() as AddressInfo).port));
  });
}

const behaviours: Record<string, (s: Socket) => void> = {
  silent: () => {},
  drip: (s) => {
    const t = setInterval(() => (s.destroyed ? clearInterval(t) : s.write('x')), 100);
    s.on('close', () => clearInterval(t));
  },
  garbage: (s) => s.end(Buffer.from([0xff, 0x00, 0x13, 0x37, 0xfe])),
  reset: (s) => s.resetAndDestroy(),
  huge: (s) => {
    const block = Buffer.alloc(1 << 16, 0x41);
    let sent = 0;
    const pump = () => {
      while (sent < 100 << 20 && !s.destroyed) {
        sent += block.length;
        if (!s.write(block)) return void s.once('drain', pump);
      }
      s.end();
    };
    pump();
  },
  'no-headers': (s) => s.on('data', () => s.write('HTTP/1.1 200 OK\r\n')),
};

/**
 * This test's own memory: ava runs test files as worker threads of one process, so `rss` also
 * counts every other file's allocations; the heap and the array buffers are this isolate's.
 */
function isolateMemory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

async function timed<T>(probe: () => Promise<ProbeResult<T>>) {
  const started = performance.now();
  const result = await probe();
  return { result, ms: performance.now() - started };
}

const expectations: Record<string, { zk: string[]; http: string[] }> = {
  silent: { zk: ['timeout'], http: ['timeout'] },
  drip: { zk: ['timeout'], http: ['timeout', 'protocol'] },
  garbage: { zk: ['protocol'], http: ['protocol'] },
  reset: { zk: ['protocol'], http: ['protocol'] },
  huge: { zk: ['protocol'], http: ['protocol'] },
  'no-headers': { zk: ['protocol'], http: ['timeout'] },
};

for (const [name, behaviour] of Object.entries(behaviours))
  test.serial(`a server that is ${name}: bounded, with its reason`, async (t) => {
    const port = await hostile(behaviour);
    const before = isolateMemory();
    const zk = await timed(() =>
      probeZookeeper({ host: '127.0.45.1', port }, { timeoutMs: TIMEOUT, maxBytes: 1 << 20 }),
    );
    const http = await timed(() =>
      httpRequest(`http://127.0.45.1:${port}/health`, { timeoutMs: TIMEOUT, maxBytes: 1 << 20 }),
    );
    for (const [kind, r] of [
      ['zk', zk],
      ['http', http],
    ] as const) {
      t.false(r.result.ok, `${kind}: ${JSON.stringify(r.result)}`);
      if (!r.result.ok) {
        t.true(
          expectations[name]?.[kind].includes(r.result.reason),
          `${kind}: ${r.result.reason} — ${r.result.message}`,
        );
        t.regex(r.result.message, /127\.0\.45\.1/, 'the message names the address');
      }
      t.true(r.ms < TIMEOUT + 200, `${kind} took ${Math.round(r.ms)} ms`);
    }
    t.true(isolateMemory() - before < 64 << 20, 'memory stays bounded');
  });

test.serial('refused, unresolvable, TLS to a plain port and plain to a TLS one', async (t) => {
  const closed = await hostile(() => {});
  servers.pop()?.close();
  await new Promise((r) => setTimeout(r, 50));
  const refused = await fourLetterWord({ host: '127.0.45.1', port: closed }, 'ruok', {
    timeoutMs: ANSWER_TIMEOUT,
  });
  t.like(refused, { ok: false, reason: 'refused' });
  const refusedHttp = await httpRequest(`http://127.0.45.1:${closed}/`, { timeoutMs: ANSWER_TIMEOUT });
  t.like(refusedHttp, { ok: false, reason: 'refused' });
  const unresolved = await timed(() =>
    httpRequest('http://no-such-host.invalid:2379/health', { timeoutMs: ANSWER_TIMEOUT }),
  );
  t.like(unresolved.result, { ok: false, reason: 'unresolved' });
  const unresolvedZk = await fourLetterWord({ host: 'no-such-host.invalid', port: 2181 }, 'ruok', {
    timeoutMs: ANSWER_TIMEOUT,
  });
  t.like(unresolvedZk, { ok: false, reason: 'unresolved' });
  // an HTTP server spoken to with TLS
  const plain = await hostile((s) =>
    s.on('data', () => s.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok')),
  );
  const tlsToPlain = await timed(() =>
    probeEtcd(`https://127.0.45.1:${plain}`, { timeoutMs: ANSWER_TIMEOUT }),
  );
  t.like(tlsToPlain.result, { ok: false, reason: 'tls' });
  t.true(tlsToPlain.ms < ANSWER_TIMEOUT + 200);
});
