import { getJson, type HttpOptions, httpRequest } from './http.js';
import type { ListedMember, Membership } from './membership.js';
import { fail, type ProbeResult } from './result.js';

const base = (url: string) => url.replace(/\/+$/, '');

/**
 * v3's JSON gateway gives member ids as decimal strings (the proto3 JSON mapping of uint64);
 * etcdctl and v2's `/v2/stats/self` write them in hex, so v3's are converted here, once.
 */
const hexOfDecimalId = (decimal: string) => (/^\d+$/.test(decimal) ? BigInt(decimal).toString(16) : decimal);

export interface EtcdProbe {
  readonly url: string;
  readonly healthy: boolean;
  /** in hex, as etcdctl prints it */
  readonly memberId: string;
  /** the leader's id in hex; "0" when the member knows no leader */
  readonly leader: string;
  readonly isLeader: boolean;
  readonly raftTerm?: string;
  readonly raftIndex?: string;
  readonly version?: string;
  /** voting members (not learners) in the member's own list, when it answers it */
  readonly ensembleSize?: number;
  /** `header.cluster_id` in hex: members of one cluster share it */
  readonly clusterId?: string;
  /** `/health`'s own answer; `healthy` may still be true when the status names a leader */
  readonly healthEndpoint?: boolean;
  /** the status reply's `errors` (no leader, alarms), when it has any */
  readonly errors?: readonly string[];
  /** the cluster as the member lists it */
  readonly membership?: Membership;
}

/**
 * The member's own list: `POST /v3/cluster/member/list` (etcd-io/etcd api/etcdserverpb/rpc.proto,
 * `MemberListResponse.members`: `ID`, `clientURLs`, `isLearner` from 3.4), `/v3beta` on 3.3;
 * learners do not vote. A member's client URL of the probed URL's scheme is preferred.
 */
async function etcdMembership(
  root: string,
  api: string,
  self: string,
  options: HttpOptions,
): Promise<Membership | undefined> {
  const r = await httpRequest(`${root}/${api}/cluster/member/list`, {
    ...options,
    method: 'POST',
    body: '{}',
  });
  if (!r.ok || r.status !== 200) return undefined;
  try {
    const list = JSON.parse(r.body) as {
      members?: { ID?: unknown; clientURLs?: unknown; isLearner?: unknown }[];
    };
    if (!Array.isArray(list.members)) return undefined;
    const scheme = root.slice(0, root.indexOf(':'));
    const members: ListedMember[] = list.members.map((m) => {
      const urls = Array.isArray(m?.clientURLs) ? m.clientURLs.map(String) : [];
      const url = urls.find((u) => u.startsWith(`${scheme}:`)) ?? urls[0];
      return {
        id: hexOfDecimalId(String(m?.ID ?? '')),
        voting: m?.isLearner !== true,
        ...(url ? { endpoint: base(url) } : {}),
      };
    });
    return { self, members, source: `${root}'s member list` };
  } catch {
    return undefined;
  }
}

/**
 * etcd: `/health` ("true" or true, by version), then the leader from `POST /v3/maintenance/status`
 * (`/v3beta` on 3.3, `/v3alpha` on 3.2 and older), or `/v2/stats/self` on 2.x.
 */
export async function probeEtcd(url: string, options: HttpOptions = {}): Promise<ProbeResult<EtcdProbe>> {
  const root = base(url);
  const health = await httpRequest(`${root}/health`, options);
  if (!health.ok) return health;
  let healthy = false;
  try {
    const h = JSON.parse(health.body) as { health?: unknown };
    healthy = h.health === true || h.health === 'true';
  } catch {
    return fail('protocol', `${root}/health: not JSON: ${JSON.stringify(health.body.slice(0, 60))}`);
  }
  for (const api of ['v3', 'v3beta', 'v3alpha']) {
    const r = await httpRequest(`${root}/${api}/maintenance/status`, {
      ...options,
      method: 'POST',
      body: '{}',
    });
    if (!r.ok) return r;
    if (r.status === 404) continue;
    if (r.status !== 200) return fail('http-status', `${root}/${api}/maintenance/status: HTTP ${r.status}`);
    try {
      const s = JSON.parse(r.body) as {
        header?: { member_id?: string; cluster_id?: string };
        errors?: unknown;
        leader?: string;
        raftTerm?: string;
        raftIndex?: string;
        version?: string;
      };
      const memberId = hexOfDecimalId(String(s.header?.member_id ?? ''));
      const leader = hexOfDecimalId(String(s.leader ?? '0'));
      const membership = await etcdMembership(root, api, memberId, options);
      const ensembleSize = membership?.members.filter((m) => m.voting).length;
      const errors = Array.isArray(s.errors) ? s.errors.map(String) : [];
      // just after an election /health is briefly false (its linearizable read has not yet
      // committed) while the status already names the new leader without errors (issue 15). The
      // status lists "no leader" and every alarm in `errors` (etcd-io/etcd
      // etcdserver/api/v3rpc/maintenance.go, Status), so none there means the member serves

      const serving = healthy || (leader !== '0' && errors.length === 0);
      return {
        ok: true,
        latencyMs: health.latencyMs + r.latencyMs,
        url: root,
        healthy: serving,
        healthEndpoint: healthy,
        ...(errors.length > 0 ? { errors } : {}),
        ...(s.header?.cluster_id ? { clusterId: hexOfDecimalId(String(s.header.cluster_id)) } : {}),
        memberId,
        leader,
        isLeader: leader !== '0' && leader === memberId,
        ...(s.raftTerm ? { raftTerm: String(s.raftTerm) } : {}),
        ...(s.raftIndex ? { raftIndex: String(s.raftIndex) } : {}),
        ...(s.version ? { version: s.version } : {}),
        ...(ensembleSize === undefined ? {} : { ensembleSize }),
        ...(membership ? { membership } : {}),
      };
    } catch {
      return fail('protocol', `${root}/${api}/maintenance/status: not JSON`);
    }
  }
  const self = await getJson<{ id?: string; state?: string; leaderInfo?: { leader?: string } }>(
    `${root}/v2/stats/self`,
    options,
  );
  if (!self.ok) return self;
  return {
    ok: true,
    latencyMs: health.latencyMs + self.latencyMs,
    url: root,
    healthy,
    memberId: self.json.id ?? '',
    leader: self.json.leaderInfo?.leader ?? '0',
    isLeader: self.json.state === 'StateLeader',
  };
}

export interface MesosMasterProbe {
  readonly url: string;
  readonly elected: boolean;
  /** where `/master/redirect` points (307), or undefined when no master leads (503) */
  readonly leaderRedirect?: string;
  readonly agentsActive: number;
  readonly agentsConnected: number;
  readonly uptimeSecs: number;
  readonly registrarRecovered: boolean;
}

/** A Mesos process's health endpoint (200 while it runs), then its `/metrics/snapshot` numbers. */
async function healthAndMetrics(
  root: string,
  healthPath: string,
  options: HttpOptions,
): Promise<ProbeResult<{ n: (key: string) => number }>> {
  const health = await httpRequest(`${root}${healthPath}`, options);
  if (!health.ok) return health;
  if (health.status !== 200) return fail('http-status', `${root}${healthPath}: HTTP ${health.status}`);
  const m = await getJson<Record<string, number>>(`${root}/metrics/snapshot`, options);
  if (!m.ok) return m;
  const n = (k: string) => (typeof m.json[k] === 'number' ? (m.json[k] as number) : 0);
  return { ok: true, latencyMs: health.latencyMs + m.latencyMs, n };
}

/** `/master/health` is 200 on any running master; `master/elected` (1 on the leader) from `/metrics/snapshot`. */
export async function probeMesosMaster(
  url: string,
  options: HttpOptions = {},
): Promise<ProbeResult<MesosMasterProbe>> {
  const root = base(url);
  const m = await healthAndMetrics(root, '/master/health', options);
  if (!m.ok) return m;
  const { n } = m;
  // a standby answers /master/redirect with 307 to the leader, any master with 503 when none leads
  const redirect = await httpRequest(`${root}/master/redirect`, options);
  const location = redirect.ok && redirect.status === 307 ? redirect.headers.location : undefined;
  return {
    ok: true,
    latencyMs: m.latencyMs,
    url: root,
    ...(location ? { leaderRedirect: location } : {}),
    elected: n('master/elected') === 1,
    agentsActive: n('master/slaves_active'),
    agentsConnected: n('master/slaves_connected'),
    uptimeSecs: n('master/uptime_secs'),
    registrarRecovered: n('registrar/log/recovered') === 1,
  };
}

export interface MesosAgentProbe {
  readonly url: string;
  /** `slave/registered`: 1 once the agent has registered with the leading master */
  readonly registered: boolean;
  readonly tasksRunning: number;
  readonly uptimeSecs: number;
}

/**
 * A Mesos agent: `/slave(1)/health` is 200 on a running agent (apache/mesos src/slave/http.cpp,
 * the agent's HEALTH endpoint under its libprocess id `slave(1)`), and `slave/registered` in
 * `/metrics/snapshot` is 1 once it is registered with a master (src/slave/metrics.cpp, from
 * Slave::_registered): an agent that runs unregistered gets no tasks.
 */
export async function probeMesosAgent(
  url: string,
  options: HttpOptions = {},
): Promise<ProbeResult<MesosAgentProbe>> {
  const root = base(url);
  const m = await healthAndMetrics(root, '/slave(1)/health', options);
  if (!m.ok) return m;
  const { n } = m;
  return {
    ok: true,
    latencyMs: m.latencyMs,
    url: root,
    registered: n('slave/registered') === 1,
    tasksRunning: n('slave/tasks_running'),
    uptimeSecs: n('slave/uptime_secs'),
  };
}

export interface MarathonProbe {
  readonly url: string;
  /** host:port of the leader, as /v2/leader says */
  readonly leader: string;
  readonly isLeader: boolean;
}

/**
 * Every Marathon path is proxied from a standby to the leader, `/v2/info` too, so a member leads
 * when `/v2/leader` names its own host:port.
 */
export async function probeMarathon(
  url: string,
  options: HttpOptions = {},
): Promise<ProbeResult<MarathonProbe>> {
  const root = base(url);
  const ping = await httpRequest(`${root}/ping`, { ...options, accept: 'text/plain' });
  if (!ping.ok) return ping;
  if (ping.status !== 200) return fail('http-status', `${root}/ping: HTTP ${ping.status}`);
  const leader = await httpRequest(`${root}/v2/leader`, options);
  if (!leader.ok) return leader;
  if (leader.status === 404) return fail('not-serving', `${root}/v2/leader: no leader elected`);
  if (leader.status !== 200) return fail('http-status', `${root}/v2/leader: HTTP ${leader.status}`);
  let name = '';
  try {
    name = String((JSON.parse(leader.body) as { leader?: string }).leader ?? '');
  } catch {
    return fail('protocol', `${root}/v2/leader: not JSON`);
  }
  const own = new URL(root).host;
  return {
    ok: true,
    latencyMs: ping.latencyMs + leader.latencyMs,
    url: root,
    leader: name,
    isLeader: name === own,
  };
}

export interface ApiserverProbe {
  readonly url: string;
  readonly live: boolean;
  readonly ready: boolean;
  /** `[+]name ok` / `[-]name failed` lines of /readyz?verbose */
  readonly checks: readonly { readonly name: string; readonly ok: boolean }[];
  readonly version?: string;
}

export function parseVerboseChecks(body: string): { name: string; ok: boolean }[] {
  return [...body.matchAll(/^\[([+-])\]([^\s]+)/gm)].map((m) => ({ name: m[2] ?? '', ok: m[1] === '+' }));
}

/** `/livez`, `/readyz?verbose` (each check parsed), `/healthz` where those are missing, `/version`. */
export async function probeApiserver(
  url: string,
  options: HttpOptions = {},
): Promise<ProbeResult<ApiserverProbe>> {
  const root = base(url);
  const opts = { ...options, accept: 'text/plain' };
  const ready = await httpRequest(`${root}/readyz?verbose`, opts);
  if (!ready.ok) return ready;
  const refused = (status: number) => status === 401 || status === 403;
  let live = true;
  let readyOk = ready.status === 200;
  let checks = parseVerboseChecks(ready.body);
  // before 1.16 there is only /healthz; authorization comes before routing, so an apiserver of
  // then refuses the unknown /readyz (RBAC's 1.6 bootstrap policy and k8sm's ABAC rule grant
  // /healthz alone) where it would answer /healthz
  if (ready.status === 404 || refused(ready.status)) {
    const healthz = await httpRequest(`${root}/healthz`, opts);
    if (!healthz.ok) return healthz;
    if (refused(healthz.status) || (refused(ready.status) && healthz.status === 404))
      return fail(
        'unauthorized',
        `${root}/readyz and /healthz: HTTP ${ready.status}, ${healthz.status}: anonymous access disabled or not authorized (pass a client certificate)`,
      );
    live = readyOk = healthz.status === 200;
    checks = [];
  } else {
    const livez = await httpRequest(`${root}/livez`, opts);
    if (!livez.ok) return livez;
    live = livez.status === 200;
  }
  const version = await getJson<{ gitVersion?: string }>(`${root}/version`, options);
  return {
    ok: true,
    latencyMs: ready.latencyMs,
    url: root,
    live,
    ready: readyOk,
    checks,
    ...(version.ok && version.json.gitVersion ? { version: version.json.gitVersion } : {}),
  };
}
