import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { Agent, buildConnector, request } from 'undici';
import { type Deadline, timeLeft, withinMs } from './deadline.js';
import { fail, failureOf, type ProbeResult, timedOut } from './result.js';

export interface TlsOptions {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  /** verification is on unless turned off by name (`--insecure`) */
  readonly insecure?: boolean;
}

export interface HttpOptions {
  /** one request's bound, when no deadline is given */
  readonly timeoutMs?: number;
  /** the member's deadline, shared by all its requests: each gets what is left */
  readonly deadline?: Deadline;
  readonly maxBytes?: number;
  readonly tls?: TlsOptions;
  readonly method?: 'GET' | 'POST';
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** follow no redirect: a standby's 307 is an answer */
  readonly accept?: string;
}

export interface HttpReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What a server presented in its TLS handshake: read off the handshake the probe makes anyway. */
export interface PeerCertificate {
  /** ISO 8601 */
  readonly notAfter: string;
  readonly subject?: string;
  readonly issuer?: string;
}

/** By `host:port`: the certificate of the newest handshake with that server. */
const peerCertificates = new Map<string, PeerCertificate>();
const originOf = (host: string, port: string | number) => `${host.toLowerCase()}:${port}`;

/** The certificate the server at `url` showed in this process's newest handshake with it. */
export function peerCertificateOf(url: string): PeerCertificate | undefined {
  const u = new URL(url);
  return u.protocol === 'https:' ? peerCertificates.get(originOf(u.hostname, u.port || 443)) : undefined;
}

function recordPeer(host: string, port: string, socket: TLSSocket): void {
  const cert = socket.getPeerCertificate?.();
  if (!cert?.valid_to) return;
  const notAfter = new Date(cert.valid_to);
  if (Number.isNaN(notAfter.getTime())) return;
  peerCertificates.set(originOf(host, port || 443), {
    notAfter: notAfter.toISOString(),
    ...(cert.subject?.CN ? { subject: String(cert.subject.CN) } : {}),
    ...(cert.issuer?.CN ? { issuer: String(cert.issuer.CN) } : {}),
  });
}

const agents = new Map<string, Agent>();
function agentFor(tls: TlsOptions | undefined, timeoutMs: number): Agent {
  // by the material itself: two CAs of one length (k8sm's etcd and cluster CAs are the same shape)
  // must not share a pool, or one cluster's members would be verified with the other's CA
  const material = createHash('sha256')
    .update(JSON.stringify([tls?.ca ?? '', tls?.cert ?? '', tls?.key ?? '']))
    .digest('hex');
  const key = JSON.stringify([material, tls?.insecure, timeoutMs]);
  let agent = agents.get(key);
  if (!agent) {
    const connect = buildConnector({
      timeout: timeoutMs,
      ...(tls?.ca ? { ca: tls.ca } : {}),
      ...(tls?.cert ? { cert: tls.cert } : {}),
      ...(tls?.key ? { key: tls.key } : {}),
      rejectUnauthorized: tls?.insecure !== true,
    });
    agent = new Agent({
      connect: (options, callback) =>
        connect(options, (error, socket) => {
          if (!error && options.protocol === 'https:')
            recordPeer(options.hostname, options.port, socket as TLSSocket);
          // biome-ignore lint/suspicious/noExplicitAny: undici's callback is a union of two tuples
          (callback as any)(error, socket);
        }),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      pipelining: 0,
    });
    agents.set(key, agent);
  }
  return agent;
}

/** Close the pooled connections (tests, and the CLI before it exits). */
export async function closeHttpAgents(): Promise<void> {
  // destroy, not close: a request cut at its deadline may still hold a stalled handshake
  await Promise.all([...agents.values()].map((a) => a.destroy()));
  agents.clear();
}

/**
 * One HTTP(S) request bounded in time (connect, headers and body together) and in size. Any
 * status is an answer; failures are refused, unresolved, timeout, tls or protocol.
 */
export async function httpRequest(url: string, options: HttpOptions = {}): Promise<ProbeResult<HttpReply>> {
  const { budgetMs, timeoutMs } = timeLeft(options);
  const where = `${options.method ?? 'GET'} ${url}`;
  if (timeoutMs <= 0) return timedOut(where, budgetMs);
  const controller = new AbortController();
  return withinMs(exchange(url, options, where, budgetMs, controller.signal), timeoutMs, () => {
    controller.abort();
    return timedOut(where, budgetMs);
  });
}

async function exchange(
  url: string,
  options: HttpOptions,
  where: string,
  budgetMs: number,
  signal: AbortSignal,
): Promise<ProbeResult<HttpReply>> {
  const maxBytes = options.maxBytes ?? 4 << 20;
  const started = performance.now();
  try {
    const res = await request(url, {
      method: options.method ?? 'GET',
      headers: { accept: options.accept ?? 'application/json', ...options.headers },
      ...(options.body === undefined ? {} : { body: options.body }),
      // keyed by the whole budget, so the pool does not grow with every remaining time
      dispatcher: agentFor(options.tls, budgetMs),
      signal,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        res.body.destroy();
        return fail('protocol', `${where}: response larger than ${maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers))
      headers[k] = Array.isArray(v) ? v.join(', ') : (v ?? '');
    return {
      ok: true,
      latencyMs: performance.now() - started,
      status: res.statusCode,
      headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
  } catch (error) {
    if (signal.aborted) return timedOut(where, budgetMs);
    return failureOf(
      error,
      where,
      budgetMs,
      url.startsWith('https:') ? { tls: { clientCert: options.tls?.cert !== undefined } } : {},
    );
  }
}

/** JSON of a 200 answer, or the failure that explains why there is none. */
export async function getJson<T>(
  url: string,
  options: HttpOptions = {},
): Promise<ProbeResult<{ readonly json: T; readonly reply: HttpReply }>> {
  const r = await httpRequest(url, options);
  if (!r.ok) return r;
  if (r.status === 401 || r.status === 403)
    return fail('unauthorized', `${url}: HTTP ${r.status} (anonymous access disabled?)`);
  if (r.status !== 200) return fail('http-status', `${url}: HTTP ${r.status}`);
  try {
    return { ok: true, latencyMs: r.latencyMs, json: JSON.parse(r.body) as T, reply: r };
  } catch {
    return fail('protocol', `${url}: not JSON: ${JSON.stringify(r.body.slice(0, 60))}`);
  }
}
