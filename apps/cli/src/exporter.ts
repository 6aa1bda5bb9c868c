import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeHttpAgents, formatPrometheus, type ProbeReport, redactUrl } from '@k8sm/probes';
import type { ProbeSystem } from '@k8sm/spec';
import { ListenError } from './errors.js';
import { type EnsembleTarget, type ProbeSettings, probeAll } from './probe.js';

export interface ExporterOptions {
  readonly host: string;
  readonly port: number;
  /** what `/metrics` probes: the spec's ensembles */
  readonly targets: readonly EnsembleTarget[];
  readonly settings: ProbeSettings;
  /** an answer younger than this is served again: two scrapers do not double the load */
  readonly cacheMs: number;
  /** probe runs at once; a scrape that would start one more gets 503 */
  readonly maxRuns: number;
  /** `/probe` may ask members the spec does not name (off: an open prober is an SSRF hole) */
  readonly allowAdhoc: boolean;
  /** a `/probe` member checked and keyed (the endpoint it names); throws on a bad one */
  readonly memberKey: (system: ProbeSystem, member: string) => string;
}

export interface Exporter {
  readonly url: string;
  /** stop accepting, let the runs in flight finish (bounded), close every connection */
  readonly close: () => Promise<void>;
}

/** The systems `/probe?system=` takes. */
export const PROBE_SYSTEMS: readonly ProbeSystem[] = [
  'zookeeper',
  'etcd',
  'mesos',
  'mesos-agent',
  'marathon',
  'apiserver',
  'haproxy',
];

/** Answers kept for `/probe` targets at most: ad-hoc targets must not grow the cache without end. */
const MAX_CACHED = 1024;
/** Members one `/probe` may name, as a flag of k8sm-probe. */
const MAX_PROBE_MEMBERS = 256;

interface Run {
  readonly done: Promise<{ readonly report: ProbeReport; readonly durationMs: number }>;
  /** when it finished; undefined while it runs */
  finishedAt?: number;
}

/** An answer other than the metrics, thrown from deep in a request to its one reply (not a failure of k8sm). */
class HttpAnswer {
  constructor(
    readonly status: number,
    readonly message: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

const TEXT = 'text/plain; charset=utf-8';
const EXPOSITION = 'text/plain; version=0.0.4; charset=utf-8';

/** The exporter's own gauges about the answer: how long its probe run took and how old it is. */
function selfMetrics(durationMs: number, ageMs: number): string {
  return [
    '# HELP k8sm_probe_duration_seconds How long the probe run behind this answer took.',
    '# TYPE k8sm_probe_duration_seconds gauge',
    `k8sm_probe_duration_seconds ${(durationMs / 1000).toFixed(6)}`,
    '# HELP k8sm_probe_age_seconds How old this answer is: 0 for a fresh probe run, more when served from the cache (--cache).',
    '# TYPE k8sm_probe_age_seconds gauge',
    `k8sm_probe_age_seconds ${(ageMs / 1000).toFixed(3)}`,
    '',
  ].join('\n');
}

/**
 * `k8sm-probe serve`: `/metrics` (the spec's ensembles), `/probe?system=&target=` (one ensemble,
 * the blackbox_exporter pattern), `/healthz`. Resolves once it listens.
 */
export async function startExporter(options: ExporterOptions): Promise<Exporter> {
  const cache = new Map<string, Run>();
  let running = 0;

  /** The answer for `key`: a fresh cached one, the run in flight for it, or a new run if allowed. */
  const answerOf = (key: string, targets: readonly EnsembleTarget[], timeoutMs: number): Run => {
    const cached = cache.get(key);
    if (cached && (cached.finishedAt === undefined || Date.now() - cached.finishedAt < options.cacheMs))
      return cached;
    if (running >= options.maxRuns)
      throw new HttpAnswer(
        503,
        `${running} probe runs in flight, the most --max-runs allows: scrape less often, or raise --max-runs`,
        { 'retry-after': '1' },
      );
    running++;
    const started = performance.now();
    const run: Run = {
      done: probeAll(targets, { ...options.settings, timeoutMs, keepConnections: true })
        .then((report) => ({ report, durationMs: performance.now() - started }))
        .finally(() => {
          running--;
          run.finishedAt = Date.now();
        }),
    };
    // a failed run is not kept: the next scrape tries again
    run.done.catch(() => cache.delete(key));
    cache.delete(key);
    cache.set(key, run);
    for (const [k, r] of cache) {
      if (cache.size <= MAX_CACHED) break;
      if (r.finishedAt !== undefined) cache.delete(k);
    }
    return run;
  };

  /**
   * A member's deadline within the scrape's: Prometheus says its timeout in a header; a run may
   * take two deadlines (the members given, then those their own list adds).
   */
  const timeoutOf = (req: IncomingMessage): number => {
    const header = Number(req.headers['x-prometheus-scrape-timeout-seconds']);
    if (!Number.isFinite(header) || header <= 0) return options.settings.timeoutMs;
    return Math.max(50, Math.min(options.settings.timeoutMs, (header * 1000 - 250) / 2));
  };

  const probeTargetOf = (params: URLSearchParams): { key: string; target: EnsembleTarget } => {
    const system = params.get('system') ?? '';
    if (!PROBE_SYSTEMS.includes(system as ProbeSystem))
      throw new HttpAnswer(400, `system=${system || '(missing)'}: give one of ${PROBE_SYSTEMS.join(', ')}`);
    const members = (params.get('target') ?? '').split(',').filter(Boolean);
    if (members.length === 0)
      throw new HttpAnswer(400, 'target=: give the members to probe, comma-separated');
    if (members.length > MAX_PROBE_MEMBERS)
      throw new HttpAnswer(400, `target=: ${members.length} members, more than ${MAX_PROBE_MEMBERS}`);
    const keys = members.map((m) => {
      try {
        return options.memberKey(system as ProbeSystem, m);
      } catch (error) {
        throw new HttpAnswer(400, `target=${redactUrl(m)}: ${(error as Error).message}`);
      }
    });
    const key = `${system}\0${[...keys].sort().join(',')}`;
    // a spec's ensemble keeps its TLS material; any of its members may be asked alone
    const known = options.targets.find((t) => {
      if (t.system !== system) return false;
      const mine = new Set(t.members.map((m) => options.memberKey(t.system, m)));
      return keys.every((k) => mine.has(k));
    });
    // named by its members, as asked: a part of the spec's ensemble is not the ensemble
    if (known)
      return { key, target: { system: known.system, members, ...(known.tls ? { tls: known.tls } : {}) } };
    if (!options.allowAdhoc)
      throw new HttpAnswer(
        403,
        `target=${redactUrl(members.join(','))}: not a ${system} member of the spec; k8sm-probe serve probes only the spec's members unless started with --allow-adhoc-targets`,
      );
    return { key, target: { system: system as ProbeSystem, members } };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://exporter');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw new HttpAnswer(405, `${req.method}: only GET and HEAD`, { allow: 'GET, HEAD' });
    if (url.pathname === '/healthz') return send(res, 200, TEXT, 'ok\n', req.method);
    let key: string;
    let targets: readonly EnsembleTarget[];
    if (url.pathname === '/metrics') {
      [key, targets] = ['/metrics', options.targets];
    } else if (url.pathname === '/probe') {
      const probed = probeTargetOf(url.searchParams);
      [key, targets] = [probed.key, [probed.target]];
    } else {
      throw new HttpAnswer(
        404,
        `${url.pathname}: not here; try /metrics, /probe?system=…&target=…, /healthz`,
      );
    }
    const run = answerOf(key, targets, timeoutOf(req));
    const { report, durationMs } = await run.done;
    const age = run.finishedAt === undefined ? 0 : Date.now() - run.finishedAt;
    const body = `${targets.length > 0 ? formatPrometheus(report) : ''}${selfMetrics(durationMs, age)}`;
    send(res, 200, EXPOSITION, body, req.method);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpAnswer)
        return send(res, error.status, TEXT, `${error.message}\n`, req.method, error.headers);
      send(
        res,
        500,
        TEXT,
        `k8sm-probe serve: ${redactUrl(String((error as Error)?.message ?? error))}\n`,
        req.method,
      );
    });
  });
  // a stalled client must not hold a socket for ever
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new ListenError(listenFailure(options.host, options.port, error))),
    );
    server.listen({ host: options.host, port: options.port }, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // the runs in flight end within two member deadlines; then every socket goes
      const bound = 2 * options.settings.timeoutMs + 1000;
      await Promise.race([
        Promise.allSettled([...cache.values()].map((r) => r.done)),
        new Promise((resolve) => setTimeout(resolve, bound).unref()),
      ]);
      server.closeAllConnections();
      await closed;
      await closeHttpAgents();
    },
  };
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  method: string | undefined,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(method === 'HEAD' ? undefined : body);
}

/** Why the exporter cannot listen, and the fix. */
function listenFailure(host: string, port: number, error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code ?? '';
  const at = `--listen ${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `${at}: the address is in use (another exporter, or another program): choose another port`;
    case 'EACCES':
      return `${at}: permission denied (EACCES): ports below 1024 need root or CAP_NET_BIND_SERVICE; choose a port above 1023`;
    case 'EADDRNOTAVAIL':
      return `${at}: no interface of this host has that address (EADDRNOTAVAIL): give one of its addresses, 127.0.0.1, or 0.0.0.0 for all`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${at}: the host name does not resolve (${code}): give an IP address`;
    default:
      return `${at}: cannot listen (${code || (error as Error)?.message})`;
  }
}
