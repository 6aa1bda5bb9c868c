import { Agent, request } from 'undici';
import { fail, failureOf, type ProbeResult } from './result.js';

export interface TlsOptions {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  /** verification is on unless turned off by name (`--insecure`) */
  readonly insecure?: boolean;
}

export interface HttpOptions {
  readonly timeoutMs?: number;
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

const agents = new Map<string, Agent>();
function agentFor(tls: TlsOptions | undefined, timeoutMs: number): Agent {
  const key = JSON.stringify([tls?.ca?.length, tls?.cert?.length, tls?.insecure, timeoutMs]);
  let agent = agents.get(key);
  if (!agent) {
    agent = new Agent({
      connect: {
        timeout: timeoutMs,
        ...(tls?.ca ? { ca: tls.ca } : {}),
        ...(tls?.cert ? { cert: tls.cert } : {}),
        ...(tls?.key ? { key: tls.key } : {}),
        rejectUnauthorized: tls?.insecure !== true,
      },
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
  await Promise.all([...agents.values()].map((a) => a.close()));
  agents.clear();
}

/**
 * One HTTP(S) request bounded in time (connect, headers and body together) and in size. Any
 * status is an answer; failures are refused, unresolved, timeout, tls or protocol.
 */
export async function httpRequest(url: string, options: HttpOptions = {}): Promise<ProbeResult<HttpReply>> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const maxBytes = options.maxBytes ?? 4 << 20;
  const where = `${options.method ?? 'GET'} ${url}`;
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await request(url, {
      method: options.method ?? 'GET',
      headers: { accept: options.accept ?? 'application/json', ...options.headers },
      ...(options.body === undefined ? {} : { body: options.body }),
      dispatcher: agentFor(options.tls, timeoutMs),
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
    if (signal.aborted) return fail('timeout', `${where}: no complete answer within ${timeoutMs} ms`);
    return failureOf(error, where, timeoutMs);
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
