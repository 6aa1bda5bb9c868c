import { type HttpOptions, httpRequest } from './http.js';
import { fail, type ProbeResult, redactUrl } from './result.js';
import { type EnsembleVerdict, ensembleVerdict, type MemberResult } from './verdict.js';

// The stats CSV as HAProxy's management guide, section 9.1 "CSV format", defines it
// (docs.haproxy.org/2.6/management.html#9.1; haproxy/haproxy doc/management.txt): the first line
// starts with '#' and names the columns; fields may be double-quoted, quotes doubled; `type` is
// 0=frontend, 1=backend, 2=server, 3=socket/listener; `status` is UP/DOWN/NOLB/MAINT/MAINT(via)/
// MAINT(resolution)/DRAIN/"no check", with "UP 1/3" or "DOWN 1/2" while a check is changing state.
const SERVER_ROW = '2';

export interface HaproxyServer {
  readonly backend: string;
  readonly server: string;
  readonly status: string;
  readonly checkStatus: string;
}

/** How a server takes traffic, read from its `status`. */
export type HaproxyServerState = 'up' | 'draining' | 'maintenance' | 'down';

export function serverState(status: string): HaproxyServerState {
  const s = status.trim().toUpperCase();
  // "no check": in service, just not health-checked; "UP 1/3": still up while failing checks
  if (s === 'NO CHECK' || s === 'UP' || s.startsWith('UP ')) return 'up';
  // DRAIN (admin) and NOLB (`http-check disable-on-404`): existing sessions go on, no new ones
  if (s === 'DRAIN' || s === 'NOLB') return 'draining';
  if (s.startsWith('MAINT')) return 'maintenance';
  return 'down';
}

function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

/**
 * The server rows of HAProxy's stats CSV, by header names (the first `#` line; later `#` lines,
 * as in concatenated dumps, are skipped). A server listed twice keeps its last row.
 */
export function parseHaproxyCsv(text: string): HaproxyServer[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const first = lines[0] ?? '';
  if (!first.startsWith('#')) return [];
  const header = csvFields(first.replace(/^#\s*/, ''));
  const col = (name: string) => header.indexOf(name);
  const [px, sv, status, check, type] = ['pxname', 'svname', 'status', 'check_status', 'type'].map(col) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (px < 0 || sv < 0 || status < 0) return [];
  const servers = new Map<string, HaproxyServer>();
  for (const line of lines.slice(1)) {
    if (line.startsWith('#')) continue;
    const f = csvFields(line);
    const server = f[sv] ?? '';
    const isServer = type >= 0 ? f[type] === SERVER_ROW : server !== 'FRONTEND' && server !== 'BACKEND';
    if (!isServer) continue;
    const backend = f[px] ?? '';
    servers.set(`${backend}\u0000${server}`, {
      backend,
      server,
      status: f[status] ?? '',
      checkStatus: check >= 0 ? (f[check] ?? '') : '',
    });
  }
  return [...servers.values()];
}

const STATE_WORDS: Record<Exclude<HaproxyServerState, 'up'>, string> = {
  down: 'DOWN',
  maintenance: 'in MAINT',
  draining: 'draining (existing sessions only, no new ones)',
};

/**
 * One verdict per backend: all its servers unavailable for new traffic is CRITICAL, some is
 * WARNING. MAINT and DRAIN are administrative, not failures, and are named as such.
 */
export function haproxyBackendVerdicts(
  statsUrl: string,
  servers: readonly HaproxyServer[],
  latencyMs: number,
): EnsembleVerdict[] {
  const byBackend = new Map<string, HaproxyServer[]>();
  for (const s of servers) byBackend.set(s.backend, [...(byBackend.get(s.backend) ?? []), s]);
  if (byBackend.size === 0) {
    // a stats page without a single server row says nothing about any backend: not OK, not down
    const none = ensembleVerdict(`haproxy ${redactUrl(statsUrl)}`, [], false);
    return [{ ...none, status: 'UNKNOWN', summary: 'no server rows in the stats CSV: no backend to judge' }];
  }
  return [...byBackend].map(([backend, list]) => {
    const members: MemberResult[] = list.map((sv) => {
      const state = serverState(sv.status);
      const member = `${backend}/${sv.server}`;
      return {
        member,
        leader: false,
        result:
          state === 'up'
            ? { ok: true as const, latencyMs }
            : {
                ok: false as const,
                reason: 'not-serving' as const,
                message: `${member}: ${STATE_WORDS[state]} (status ${sv.status}${sv.checkStatus ? `, check ${sv.checkStatus}` : ''})`,
              },
      };
    });
    const verdict = ensembleVerdict(`haproxy ${redactUrl(statsUrl)} backend ${backend}`, members, false);
    const counts = (Object.keys(STATE_WORDS) as (keyof typeof STATE_WORDS)[])
      .map((state) => [state, list.filter((sv) => serverState(sv.status) === state).length] as const)
      .filter(([, n]) => n > 0)
      .map(([state, n]) => `${n} ${STATE_WORDS[state]}`);
    return { ...verdict, summary: [verdict.summary, ...counts].join(', ') };
  });
}

export async function probeHaproxyStats(
  url: string,
  options: HttpOptions & { readonly user?: string; readonly password?: string } = {},
): Promise<ProbeResult<{ readonly url: string; readonly servers: readonly HaproxyServer[] }>> {
  const csvUrl = url.includes(';csv') ? url : `${url.replace(/\/+$/, '')}/;csv`;
  const auth = options.user
    ? {
        authorization: `Basic ${Buffer.from(`${options.user}:${options.password ?? ''}`).toString('base64')}`,
      }
    : {};
  const r = await httpRequest(csvUrl, {
    ...options,
    accept: 'text/csv',
    headers: { ...options.headers, ...auth },
  });
  if (!r.ok) return r;
  if (r.status === 401) return fail('unauthorized', `${csvUrl}: HTTP 401 (stats credentials)`);
  if (r.status !== 200) return fail('http-status', `${csvUrl}: HTTP ${r.status}`);
  if (!/^#\s*pxname,/.test(r.body)) return fail('protocol', `${csvUrl}: not HAProxy's stats CSV`);
  return { ok: true, latencyMs: r.latencyMs, url: redactUrl(csvUrl), servers: parseHaproxyCsv(r.body) };
}
