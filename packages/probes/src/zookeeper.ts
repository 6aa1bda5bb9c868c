import { connect } from 'node:net';
import { type Deadline, timeLeft } from './deadline.js';
import { EndpointError } from './errors.js';
import type { ListedMember, Membership } from './membership.js';
import { fail, failureOf, type ProbeResult, timedOut } from './result.js';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/**
 * A ZooKeeper member as a connection string names it, `10.16.40.1:2181` (`[fd00::1]:2181`), as
 * `--zk` takes it and the HTTP probes take their URL; or the parts.
 */
export type ZookeeperEndpoint = string | Endpoint;

/** The host and port of a member; EndpointError for what names no TCP socket. */
export function zookeeperEndpoint(endpoint: ZookeeperEndpoint): Endpoint {
  const parts =
    typeof endpoint === 'string'
      ? // the last colon ends the host: an IPv6 address from a server.N line may come unbracketed
        (/^\[([^\]\s]+)\]:(\d{1,5})$/.exec(endpoint) ?? /^([^\s/@[\]]+):(\d{1,5})$/.exec(endpoint))
      : ['', endpoint.host, String(endpoint.port)];
  const [, host = '', port = ''] = parts ?? [];
  const number = Number(port);
  if (!parts || host === '' || !Number.isInteger(number) || number < 1 || number > 65_535)
    throw new EndpointError(
      `${typeof endpoint === 'string' ? endpoint : `${endpoint.host}:${endpoint.port}`}: not a ZooKeeper member; write host:port with a port from 1 to 65535, e.g. 10.16.40.1:2181`,
    );
  return { host, port: number };
}

export interface ProbeOptions {
  /** the whole exchange, connect to last byte, when no deadline is given */
  readonly timeoutMs?: number;
  /** the member's deadline, shared by srvr, mntr and conf: each gets what is left */
  readonly deadline?: Deadline;
  /** replies larger than this are cut off and reported as a protocol failure */
  readonly maxBytes?: number;
}

const NOT_WHITELISTED = /is not executed because it is not in the whitelist/;
const NOT_SERVING = /This ZooKeeper instance is not currently serving requests/;

/**
 * Send a four-letter word and read the reply to EOF (the server closes the socket when done),
 * bounded in time and size. "Not in the whitelist" and "not currently serving requests" are
 * results of their own, not parse errors.
 */
export function fourLetterWord(
  member: ZookeeperEndpoint,
  word: string,
  options: ProbeOptions = {},
): Promise<ProbeResult<{ readonly reply: string }>> {
  const endpoint = zookeeperEndpoint(member);
  const { budgetMs, timeoutMs } = timeLeft(options);
  const maxBytes = options.maxBytes ?? 1 << 20;
  const where = `${endpoint.host}:${endpoint.port} (${word})`;
  const started = performance.now();
  if (timeoutMs <= 0) return Promise.resolve(timedOut(where, budgetMs));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const socket = connect({ host: endpoint.host, port: endpoint.port });
    const done = (result: ProbeResult<{ reply: string }>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(timedOut(where, budgetMs)), timeoutMs);
    socket.on('connect', () => socket.end(word));
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return done(fail('protocol', `${where}: reply larger than ${maxBytes} bytes`));
      chunks.push(chunk);
    });
    socket.on('end', () => {
      const reply = Buffer.concat(chunks).toString('utf8');
      if (NOT_WHITELISTED.test(reply))
        return done(fail('not-whitelisted', `${where}: "${word}" is not in 4lw.commands.whitelist`));
      if (NOT_SERVING.test(reply))
        return done(fail('not-serving', `${where}: not currently serving requests (no quorum)`));
      if (reply.length === 0) return done(fail('protocol', `${where}: closed without a reply`));
      done({ ok: true, latencyMs: performance.now() - started, reply });
    });
    socket.on('error', (error) => done(failureOf(error, where, budgetMs)));
  });
}

export type ZookeeperMode = 'leader' | 'follower' | 'observer' | 'standalone' | 'read-only';

export interface ZookeeperStatus {
  readonly version: string;
  readonly mode: ZookeeperMode;
  readonly zxid: string;
  readonly connections: number;
  readonly outstanding: number;
  readonly nodeCount: number;
  readonly latency: { readonly min: number; readonly avg: number; readonly max: number };
}

/** `srvr` (or `stat`) output; undefined when it is not that shape. */
export function parseSrvr(reply: string): ZookeeperStatus | undefined {
  const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(reply)?.[1]?.trim();
  const version = field('Zookeeper version')?.split(/[-,\s]/)[0];
  const mode = field('Mode');
  const latency = field('Latency min/avg/max')?.split('/').map(Number);
  if (!version || !mode || !['leader', 'follower', 'observer', 'standalone', 'read-only'].includes(mode))
    return undefined;
  const int = (text: string | undefined) => (text !== undefined && /^\d+$/.test(text) ? Number(text) : 0);
  return {
    version,
    mode: mode as ZookeeperMode,
    zxid: field('Zxid') ?? '',
    connections: int(field('Connections')),
    outstanding: int(field('Outstanding')),
    nodeCount: int(field('Node count')),
    latency: { min: latency?.[0] ?? 0, avg: latency?.[1] ?? 0, max: latency?.[2] ?? 0 },
  };
}

/** `mntr`: tab-separated key/value lines; 3.4 names keys `zk_*`, 3.6+ adds many more. */
export function parseMntr(reply: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of reply.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) out[line.slice(0, tab).trim()] = line.slice(tab + 1).trim();
  }
  return out;
}

/**
 * The epoch of a zxid: its high 32 bits, bumped by every new leader (apache/zookeeper
 * ZxidUtils.getEpochFromZxid). Undefined when srvr's `Zxid:` is not a hex zxid.
 */
export function epochOfZxid(zxid: string): number | undefined {
  if (!/^0x[0-9a-f]{1,16}$/i.test(zxid)) return undefined;
  return Number(BigInt(zxid) >> 32n);
}

export interface ZookeeperProbe extends ZookeeperStatus {
  readonly endpoint: string;
  /** the zxid's epoch: a leader of an older epoch than another's is stale */
  readonly epoch?: number;
  /** four-letter words the member's 4lw.commands.whitelist refused (mntr, conf) */
  readonly refused?: readonly string[];
  /** from mntr on the leader, when mntr is whitelisted */
  readonly followers?: number | undefined;
  readonly syncedFollowers?: number | undefined;
  /** voting members as this member counts them: mntr `zk_quorum_size` (3.6+), else `conf`'s participants */
  readonly ensembleSize?: number;
  /** mntr `zk_peer_state` (3.6+), e.g. "following - broadcast" */
  readonly peerState?: string;
  /** the ensemble as its conf lists it (3.5+) */
  readonly membership?: Membership;
}

/**
 * The membership in `conf` (3.5+): `serverId=1`, `clientPort=2181` and one
 * `server.N=host:quorumPort:electionPort[:participant|:observer][;[clientAddress:]clientPort]` line
 * per member (apache/zookeeper QuorumPeer.QuorumServer.toString; real 3.8.0 with a static zoo.cfg
 * prints `server.1=127.0.95.1:2888:3888:participant` and no client part). Without a client part a
 * member is taken to listen on the same client port as the member asked, as k8sm renders them.
 */
export function membershipOfConf(reply: string, where: string): Membership | undefined {
  const self = /^serverId=(\d+)$/m.exec(reply)?.[1];
  const clientPort = /^clientPort=(\d+)$/m.exec(reply)?.[1];
  const members: ListedMember[] = [];
  for (const m of reply.matchAll(
    /^server\.(\d+)=(\[[^\]]+\]|[^:;\s]+):\d+:\d+(?::(participant|observer))?(?:;(\S+))?\s*$/gm,
  )) {
    const [, id = '', host = '', role, client] = m;
    const c = client ? /^(?:(.+):)?(\d+)$/.exec(client) : undefined;
    const address = c?.[1] && c[1] !== '0.0.0.0' && c[1] !== '[0:0:0:0:0:0:0:0]' ? c[1] : host;
    const port = c?.[2] ?? clientPort;
    members.push({ id, voting: role !== 'observer', ...(port ? { endpoint: `${address}:${port}` } : {}) });
  }
  if (self === undefined || members.length === 0) return undefined;
  return { self, members, source: `${where}'s conf` };
}

/** Voting members in `conf` (3.5+ prints the membership: `server.1=host:2888:3888:participant;…`). */
export function participantsOfConf(reply: string): number | undefined {
  const servers = [...reply.matchAll(/^server\.\d+=(.*)$/gm)].map((m) => m[1] ?? '');
  if (servers.length === 0) return undefined;
  return servers.filter((s) => !/:observer\b/.test(s)).length;
}

/**
 * `srvr` (always whitelisted), then on a quorum member `mntr` for the ensemble size
 * and, on the leader, its followers; `conf` for the members (and the size where mntr does not give it).
 * mntr keys: 3.6+ registers the gauge `quorum_size` and prints `peer_state` in
 * apache/zookeeper zookeeper-server/src/main/java/org/apache/zookeeper/server/quorum/QuorumZooKeeperServer.java
 * (registerMetrics, dumpMonitorValues); the leader's `synced_followers` and `learners` (3.6+;
 * `followers` on 3.4) in LeaderZooKeeperServer / Leader. Measured on Debian's 3.8.0: a follower
 * prints `zk_quorum_size 3` and `zk_peer_state following - broadcast`.
 */
export async function probeZookeeper(
  member: ZookeeperEndpoint,
  options: ProbeOptions = {},
): Promise<ProbeResult<ZookeeperProbe>> {
  const endpoint = zookeeperEndpoint(member);
  // srvr is always whitelisted, whatever 4lw.commands.whitelist says ("zkServer.sh depends on
  // srvr": apache/zookeeper server/command/FourLetterCommands.java isEnabled); mntr and conf are not
  const srvr = await fourLetterWord(endpoint, 'srvr', options);
  if (!srvr.ok) return srvr;
  const status = parseSrvr(srvr.reply);
  const where = `${endpoint.host}:${endpoint.port}`;
  if (!status)
    return fail(
      'protocol',
      `${where}: srvr reply is not ZooKeeper's: ${JSON.stringify(srvr.reply.slice(0, 60))}`,
    );
  let extra: Partial<ZookeeperProbe> = {};
  const refused: string[] = [];
  if (status.mode !== 'standalone') {
    const mntr = await fourLetterWord(endpoint, 'mntr', options);
    if (!mntr.ok && mntr.reason === 'not-whitelisted') refused.push('mntr');
    if (mntr.ok) {
      const m = parseMntr(mntr.reply);
      const n = (k: string) => (m[k] !== undefined && /^\d+$/.test(m[k] ?? '') ? Number(m[k]) : undefined);
      const size = n('zk_quorum_size');
      extra = {
        ...(size === undefined ? {} : { ensembleSize: size }),
        ...(m.zk_peer_state ? { peerState: m.zk_peer_state } : {}),
      };
      if (status.mode === 'leader')
        extra = {
          ...extra,
          followers: n('zk_followers') ?? n('zk_learners'),
          syncedFollowers: n('zk_synced_followers'),
        };
    }
    // conf lists the members, so one member given finds the others (and the size, on 3.5)
    const conf = await fourLetterWord(endpoint, 'conf', options);
    if (!conf.ok && conf.reason === 'not-whitelisted') refused.push('conf');
    if (conf.ok) {
      const membership = membershipOfConf(conf.reply, where);
      const size = participantsOfConf(conf.reply);
      if (membership) extra = { ...extra, membership };
      if (extra.ensembleSize === undefined && size !== undefined) extra = { ...extra, ensembleSize: size };
    }
  }
  const epoch = epochOfZxid(status.zxid);
  return {
    ok: true,
    latencyMs: srvr.latencyMs,
    endpoint: where,
    ...status,
    ...(epoch === undefined ? {} : { epoch }),
    ...(refused.length > 0 ? { refused } : {}),
    ...extra,
  };
}
