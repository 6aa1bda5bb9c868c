import {
  type CertificateThresholds,
  closeHttpAgents,
  type Deadline,
  deadlineIn,
  discoveryOf,
  type Election,
  ensembleVerdict,
  fail,
  type HttpOptions,
  haproxyBackendVerdicts,
  type LatencyThresholds,
  type MemberResult,
  noted,
  type ProbeReport,
  peerCertificateOf,
  probeApiserver,
  probeEtcd,
  probeHaproxyStats,
  probeMarathon,
  probeMesosAgent,
  probeMesosMaster,
  probeZookeeper,
  redactUrl,
  remainingMs,
  type TlsOptions,
  withCertificateThresholds,
  withLatencyThresholds,
  worst,
} from '@k8sm/probes';
import {
  type ClusterPlan,
  formatFinding,
  K8smError,
  loadSpec,
  type ProbeCredentials,
  type ProbeSystem,
  type ProbeTarget,
  probeTargetsOf,
} from '@k8sm/spec';
import { UsageError } from './errors.js';
import { pkiDirOf } from './pki-files.js';
import { readPkiFile, scanPkiTree } from './pki-tree.js';
import { readSpecFile } from './spec-file.js';

export type { ProbeSystem };

/** An ensemble to probe; from `--spec`, with the CA and client pair of the spec's PKI dir. */
export type EnsembleTarget = Omit<ProbeTarget, 'credentials'> & {
  readonly tls?: TlsOptions;
  /**
   * How outputs name it (the `ensemble` label): `<cluster>/<system>` for a spec's; by default its
   * members as given. A spec's ensemble of 1,000 members would repeat a 20 kB member list in every
   * sample (measured: a 120 MB exposition, 455 MB of RSS).
   */
  readonly name?: string;
};

export interface ProbeSettings {
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly http: HttpOptions;
  readonly statsUser?: string;
  readonly statsPassword?: string;
  /** sent to the apiservers only, as `Authorization: Bearer` */
  readonly apiserverToken?: string;
  /** false: judge the members given only, not the membership they report (`--no-discover`) */
  readonly discover?: boolean;
  /** `-w`/`-c` on the slowest member's latency */
  readonly latency?: LatencyThresholds;
  /** `--cert-warning`/`--cert-critical`, in days left */
  readonly certificates?: CertificateThresholds;
  /** keep the connection pools after the run (the exporter, whose runs overlap); else closed */
  readonly keepConnections?: boolean;
}

const ELECTION: Record<ProbeSystem, Election> = {
  zookeeper: 'quorum',
  etcd: 'quorum',
  mesos: 'quorum',
  // agents elect nothing: each serves its own tasks
  'mesos-agent': 'none',
  marathon: 'standbys',
  apiserver: 'none',
  haproxy: 'none',
};

/** One member under two spellings: case, trailing slashes and URL credentials aside. */
function sameEndpoint(a: string, b: string): boolean {
  const plain = (x: string) =>
    x
      .trim()
      .replace(/\/+$/, '')
      .replace(/^(\w+:\/\/)[^@/]*@/, '$1')
      .toLowerCase();
  return plain(a) === plain(b);
}

type ProbedMember = { result: MemberResult; details: Record<string, unknown> };

/** Asked again after this pause while the member is in an election and the deadline allows. */
const REASK_PAUSE_MS = 200;

/**
 * A member in an election (ZooKeeper "not currently serving", etcd without a leader) is asked
 * again within its deadline before it is judged: elections settle in a few hundred ms.
 */
async function probeMember(system: ProbeSystem, member: string, s: ProbeSettings): Promise<ProbedMember> {
  // one deadline for the member's whole probe: every request, handshake and re-ask shares it
  const deadline = deadlineIn(s.timeoutMs);
  for (;;) {
    const probed = withCertificate(member, await probeMemberOnce(system, member, s, deadline));
    // an agent not registered is not in an election: asking again only spends the deadline
    const electing =
      ELECTION[system] === 'quorum' &&
      !probed.result.result.ok &&
      probed.result.result.reason === 'not-serving';
    if (!electing || remainingMs(deadline) < 2 * REASK_PAUSE_MS) return probed;
    await new Promise((resolve) => setTimeout(resolve, REASK_PAUSE_MS));
  }
}

/** Failures before a server could have shown a certificate in this run. */
const NO_HANDSHAKE = new Set(['refused', 'unresolved', 'timeout', 'tls']);

/** The certificate an HTTPS member showed, when it answered over TLS in this probe. */
function withCertificate(member: string, probed: ProbedMember): ProbedMember {
  const r = probed.result.result;
  if (!/^https:/i.test(member) || (!r.ok && NO_HANDSHAKE.has(r.reason))) return probed;
  const certificate = peerCertificateOf(member);
  return certificate ? { ...probed, result: { ...probed.result, certificate } } : probed;
}

/**
 * A member that serves (srvr is always whitelisted) but whose whitelist hides mntr or conf, which
 * give its ensemble's size and a leader's synced followers.
 */
function refusedWords(words: readonly string[], sizeKnown: boolean): string {
  const unread = [
    ...(words.includes('conf') ? ['its members (the list given is taken as the ensemble)'] : []),
    ...(sizeKnown ? [] : ["its ensemble's size"]),
    ...(words.includes('mntr') ? ["a leader's synced followers (which tell a stale leader)"] : []),
  ];
  return `its 4lw.commands.whitelist refuses ${words.join(' and ')}, so ${unread.join(', ')} cannot be read: add srvr,mntr,conf to 4lw.commands.whitelist in its zoo.cfg (k8sm-render writes zookeeper.fourLetterWords there) and restart it`;
}

async function probeMemberOnce(
  system: ProbeSystem,
  member: string,
  s: ProbeSettings,
  deadline: Deadline,
): Promise<ProbedMember> {
  const opts: HttpOptions = { ...s.http, deadline };
  switch (system) {
    case 'zookeeper': {
      const r = await probeZookeeper(member, { deadline });
      return {
        result: {
          member,
          result: r,
          leader: r.ok && (r.mode === 'leader' || r.mode === 'standalone'),
          ...(r.ok && r.epoch !== undefined ? { term: { value: r.epoch, name: 'zxid epoch' } } : {}),
          ...(r.ok && r.refused ? { partial: refusedWords(r.refused, r.ensembleSize !== undefined) } : {}),
          ...(r.ok && r.membership ? { membership: r.membership } : {}),
          // srvr answers `Mode: follower` only once synced to a leader (before, "not currently serving")
          ...(r.ok && (r.mode === 'leader' || r.mode === 'follower' || r.mode === 'observer')
            ? {
                self: {
                  ...(r.ensembleSize === undefined ? {} : { size: r.ensembleSize }),
                  ...(r.mode === 'leader' ? {} : { leader: true as const }),
                  ...(r.syncedFollowers === undefined ? {} : { syncedFollowers: r.syncedFollowers }),
                  source: `Mode: ${r.mode}${r.ensembleSize === undefined ? '' : `, ${r.ensembleSize} voting members`}`,
                },
              }
            : {}),
        },
        details: r.ok
          ? {
              mode: r.mode,
              ...(r.ensembleSize === undefined ? {} : { ensembleSize: r.ensembleSize }),
              version: r.version,
              zxid: r.zxid,
              ...(r.epoch === undefined ? {} : { epoch: r.epoch }),
              connections: r.connections,
              ...(r.followers === undefined
                ? {}
                : { followers: r.followers, syncedFollowers: r.syncedFollowers }),
            }
          : {},
      };
    }
    case 'etcd': {
      const r = await probeEtcd(member, opts);
      const result =
        r.ok && !r.healthy
          ? {
              ok: false as const,
              reason: 'not-serving' as const,
              message: `${member}: unhealthy: ${r.errors?.join(', ') || '/health false and no leader in its status'}`,
            }
          : r;
      return {
        result: {
          member,
          result,
          leader: r.ok && r.isLeader,
          ...(r.ok && r.raftTerm && /^\d+$/.test(r.raftTerm)
            ? { term: { value: Number(r.raftTerm), name: 'raft term' } }
            : {}),
          ...(r.ok && r.clusterId ? { cluster: r.clusterId } : {}),
          ...(r.ok && r.membership ? { membership: r.membership } : {}),
          ...(result.ok && r.ok && r.leader !== '0'
            ? {
                self: {
                  ...(r.ensembleSize === undefined ? {} : { size: r.ensembleSize }),
                  ...(r.isLeader ? {} : { leader: r.leader }),
                  source: `its status names leader ${r.leader}${
                    r.ensembleSize === undefined ? '' : `, its member list ${r.ensembleSize} voting members`
                  }`,
                },
              }
            : {}),
        },
        details: r.ok
          ? {
              memberId: r.memberId,
              leaderId: r.leader,
              ...(r.clusterId ? { clusterId: r.clusterId } : {}),
              ...(r.healthEndpoint === false ? { healthEndpoint: false } : {}),
              raftTerm: r.raftTerm,
              version: r.version,
              ...(r.ensembleSize === undefined ? {} : { ensembleSize: r.ensembleSize }),
            }
          : {},
      };
    }
    case 'mesos': {
      const r = await probeMesosMaster(member, opts);
      // Location is protocol-relative, `//hostname:port` (apache/mesos src/master/http.cpp, redirect())
      const named = r.ok ? /^(?:[a-z]+:)?\/\/([^/?#]+)/i.exec(r.leaderRedirect ?? '')?.[1] : undefined;
      return {
        result: {
          member,
          result: r,
          leader: r.ok && r.elected,
          ...(r.ok && !r.elected && named
            ? { self: { leader: named, source: `its /master/redirect names ${named}` } }
            : {}),
        },
        details: r.ok
          ? { elected: r.elected, agentsActive: r.agentsActive, registrarRecovered: r.registrarRecovered }
          : {},
      };
    }
    case 'mesos-agent': {
      const r = await probeMesosAgent(member, opts);
      const result =
        r.ok && !r.registered
          ? {
              ok: false as const,
              reason: 'not-serving' as const,
              message: `${member}: runs, but is not registered with a master (slave/registered 0): it gets no tasks; check its --master and the masters' quorum`,
            }
          : r;
      return {
        result: { member, result, leader: false },
        details: r.ok
          ? { registered: r.registered, tasksRunning: r.tasksRunning, uptimeSecs: r.uptimeSecs }
          : {},
      };
    }
    case 'marathon': {
      const r = await probeMarathon(member, opts);
      return {
        result: {
          member,
          result: r,
          leader: r.ok && r.isLeader,
          ...(r.ok && !r.isLeader && r.leader
            ? { self: { leader: r.leader, source: `its /v2/leader names ${r.leader}` } }
            : {}),
        },
        details: r.ok ? { leaderId: r.leader } : {},
      };
    }
    case 'apiserver': {
      const r = await probeApiserver(
        member,
        s.apiserverToken ? { ...opts, headers: { authorization: `Bearer ${s.apiserverToken}` } } : opts,
      );
      const result =
        r.ok && !r.ready
          ? {
              ok: false as const,
              reason: 'http-status' as const,
              message: `${member}/readyz: not ready${
                r.checks.some((c) => !c.ok)
                  ? ` (${r.checks
                      .filter((c) => !c.ok)
                      .map((c) => `[-]${c.name}`)
                      .join(' ')})`
                  : ''
              }`,
            }
          : r;
      return {
        result: { member, result, leader: false },
        details: r.ok ? { live: r.live, ready: r.ready, version: r.version } : {},
      };
    }
    case 'haproxy':
      throw new Error('haproxy is probed per stats URL');
  }
}

/** At most `limit` members in flight, over every ensemble at once. */
function limiter(limit: number): <R>(work: () => Promise<R>) => Promise<R> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

type ReportedEnsemble = ProbeReport['ensembles'][number];

/** One stats URL: an ensemble per backend, or one failed "ensemble" naming the URL. */
async function probeHaproxy(url: string, s: ProbeSettings): Promise<ReportedEnsemble[]> {
  const r = await probeHaproxyStats(url, {
    ...s.http,
    deadline: deadlineIn(s.timeoutMs),
    ...(s.statsUser ? { user: s.statsUser, password: s.statsPassword ?? '' } : {}),
  });
  if (r.ok)
    return haproxyBackendVerdicts(url, r.servers, r.latencyMs).map((verdict) => ({
      ...verdict,
      kind: 'haproxy',
      name: verdict.system.replace(/^haproxy /, ''),
      details: verdict.members.map(() => ({})),
    }));
  const members: MemberResult[] = [{ member: redactUrl(url), leader: false, result: r }];
  return [
    {
      ...ensembleVerdict(`haproxy ${redactUrl(url)}`, members, false),
      kind: 'haproxy',
      name: redactUrl(url),
      details: members.map(() => ({})),
    },
  ];
}

/**
 * A standby probed alone (a per-host check) is judged by the leader it names; that leader is
 * asked too, because a standby goes on naming a leader that stopped answering until the leader's
 * ZooKeeper session expires. The note is undefined when the leader answers as leader.
 */
async function namedLeaderNote(
  system: ProbeSystem,
  only: MemberResult,
  s: ProbeSettings,
  slot: <R>(work: () => Promise<R>) => Promise<R>,
): Promise<string | undefined> {
  if (system !== 'mesos' && system !== 'marathon') return undefined;
  const named = only.result.ok && !only.leader ? only.self?.leader : undefined;
  if (typeof named !== 'string') return undefined;
  // Mesos redirects protocol-relatively and Marathon names host:port: the scheme is the standby's
  const url = `${new URL(only.member).protocol}//${named}`;
  if (sameEndpoint(url, only.member)) return undefined;
  const asked = (await slot(() => probeMember(system, url, s))).result;
  if (asked.result.ok && asked.leader) return undefined;
  const said = asked.result.ok
    ? 'answers, but is not the leader'
    : `does not answer (${asked.result.message})`;
  return `the leader it names, ${redactUrl(url)}, ${said}: a failover may be under way; probe the masters together`;
}

/**
 * Every ensemble at once (wall time is one deadline, not ensembles × timeout), at most
 * `concurrency` members in flight in all; the report keeps the order the targets were given.
 */
export async function probeAll(targets: readonly EnsembleTarget[], s: ProbeSettings): Promise<ProbeReport> {
  const at = new Date().toISOString();
  const slot = limiter(s.concurrency);
  const reported = await Promise.all(
    targets.map(async (target): Promise<ReportedEnsemble[]> => {
      if (target.system === 'haproxy')
        return (await Promise.all(target.members.map((url) => slot(() => probeHaproxy(url, s))))).flat();
      const named = { kind: target.system, name: target.name ?? target.members.map(redactUrl).join(',') };
      // the spec's PKI first; a --cacert/--cert/--key given on the command line wins
      const ts = target.tls ? { ...s, http: { ...s.http, tls: { ...target.tls, ...s.http.tls } } } : s;
      const given = await Promise.all(
        target.members.map((m) => slot(() => probeMember(target.system, m, ts))),
      );
      // the members' own list gives the ensemble (a per-host check names one member): those the
      // list given lacks are probed too, each with a deadline of its own, so wall time is at
      // most two deadlines
      const discovery =
        s.discover === false
          ? undefined
          : discoveryOf(
              given.map((p) => p.result),
              sameEndpoint,
            );
      const found = await Promise.all(
        (discovery?.unlisted ?? []).map((m) => slot(() => probeMember(target.system, m, ts))),
      );
      // a member the list names without an endpoint cannot be asked: it counts, as down
      const unaddressed: ProbedMember[] = (discovery?.unaddressed ?? []).map((id) => ({
        result: {
          member: `member ${id}`,
          leader: false,
          result: fail(
            'not-serving',
            `member ${id}: ${discovery?.membership.source} names it without a client URL: it has not started (or not yet published its URLs), so it cannot be asked`,
          ),
        },
        details: {},
      }));
      const probed = [...given, ...found, ...unaddressed];
      const verdict = ensembleVerdict(
        target.system,
        probed.map((p) => ({ ...p.result, member: redactUrl(p.result.member) })),
        ELECTION[target.system],
        discovery && { ...discovery, strangers: discovery.strangers.map(redactUrl) },
      );
      const only = given.length === 1 ? given[0]?.result : undefined;
      const leaderNote = only && (await namedLeaderNote(target.system, only, ts, slot));
      return [
        {
          ...noted(verdict, leaderNote ? [leaderNote] : []),
          ...named,
          details: probed.map((p) => p.details),
        },
      ];
    }),
  );
  if (!s.keepConnections) await closeHttpAgents();
  const ensembles = reported.flat();
  const report = { status: worst(ensembles.map((e) => e.status)), ensembles };
  const timed = s.latency ? withLatencyThresholds({ ...report, at }, s.latency) : { ...report, at };
  return s.certificates ? withCertificateThresholds(timed, s.certificates, new Date(at)) : timed;
}

/** Every member a spec describes, by system. */
export async function targetsOfSpec(
  file: string,
  given: { readonly ca: boolean; readonly cert: boolean } = { ca: false, cert: false },
): Promise<EnsembleTarget[]> {
  let text: string;
  try {
    // the same bounds as k8sm-render: a FIFO, a device or a huge file is refused, not read
    text = await readSpecFile(file);
  } catch (error) {
    if (!(error instanceof K8smError)) throw error;
    throw new UsageError(
      `--spec ${file}: ${error.message.replace(/^cannot read spec \S+: /, '').replace(`${file}: `, '')}`,
    );
  }
  const report = loadSpec(text, file);
  if (!report.plan) {
    const first = report.findings.find((f) => f.severity === 'error');
    throw new UsageError(
      `--spec ${file} is not a valid cluster spec${first ? ` (${formatFinding(first, file).split('\n')[0]})` : ''}: run k8sm-render ${file} --dry-run for every problem`,
    );
  }
  const cluster = report.plan.name;
  return probeTargetsOf(report.plan).map(({ credentials, ...target }) => ({
    ...target,
    name: `${cluster}/${target.system}`,
    ...(credentials ? { tls: tlsOfSpec(file, credentials, given) } : {}),
  }));
}

/** What `--spec` asks: each component's members, from its registry entry. */
export function targetsOfPlan(plan: ClusterPlan): EnsembleTarget[] {
  return probeTargetsOf(plan).map(({ credentials: _, ...target }) => target);
}

/**
 * The CA and client pair a spec's PKI dir holds for a probe (`k8sm-render pki` issues them). A
 * file that is missing is an input error unless the command line gives its stand-in.
 */
function tlsOfSpec(
  file: string,
  credentials: ProbeCredentials,
  given: { readonly ca: boolean; readonly cert: boolean },
): TlsOptions {
  const dir = pkiDirOf(file, credentials.pkiDir);
  let tree: ReturnType<typeof scanPkiTree>;
  try {
    tree = scanPkiTree(dir);
  } catch (error) {
    if (!(error instanceof K8smError)) throw error;
    throw new UsageError(`--spec ${file}: ${credentials.field} ${credentials.pkiDir}: ${error.message}`);
  }
  const read = (path: string | undefined) => (path === undefined ? undefined : readPkiFile(tree, path));
  const [ca, cert, key] = [read(credentials.ca), read(credentials.cert), read(credentials.key)];
  const missing = [
    ...(ca === undefined && !given.ca ? [credentials.ca] : []),
    ...(credentials.cert && (cert === undefined || key === undefined) && !given.cert
      ? [credentials.cert, credentials.key ?? '']
      : []),
  ];
  if (missing.length > 0)
    throw new UsageError(
      `--spec ${file}: ${credentials.field} ${credentials.pkiDir} (${dir}) lacks ${missing.join(', ')}: run \`k8sm-render pki ${file}\`, or give --cacert/--cert/--key`,
    );
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined || key === undefined ? {} : { cert, key }),
  };
}
