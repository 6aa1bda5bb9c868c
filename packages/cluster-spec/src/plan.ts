import { DEFAULTS, defaultStorageBackend } from './defaults.js';
import type {
  EtcdMember,
  HaproxyMember,
  KubernetesMasterMember,
  KubernetesNodeMember,
  MarathonMember,
  Members,
  MesosAgentMember,
  MesosMasterMember,
  ZookeeperMember,
} from './members.js';
import { sortRoles } from './members.js';
import { nthAddress, parseCidr } from './net.js';
import { type Quorum, quorum } from './quorum.js';
import type { ClusterSpec, MarathonApp, Role } from './schema.js';
import { versionAtLeast } from './version.js';

export type Runtime = 'package' | 'docker';

export interface HostPlan {
  readonly name: string;
  readonly address: string;
  /** roles in canonical order */
  readonly roles: readonly Role[];
}

export interface ZookeeperPlan {
  readonly version: string;
  readonly runtime: Runtime;
  readonly image?: string;
  readonly tickTime: number;
  readonly initLimit: number;
  readonly syncLimit: number;
  readonly maxClientCnxns: number;
  readonly autopurge: { readonly snapRetainCount: number; readonly purgeInterval: number };
  /** sorted */
  readonly fourLetterWords: readonly string[];
  /** in id order: the order of `server.N` lines and of the docker image's SERVERS */
  readonly members: readonly ZookeeperMember[];
  readonly quorum: Quorum;
  /** `10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181`, in id order */
  readonly connectString: string;
}

export interface MesosPlan {
  readonly version: string;
  readonly runtime: Runtime;
  readonly image?: string;
  readonly cluster?: string;
  /** the ZooKeeper connect string: k8sm's ensemble, or mesos.externalZookeeper */
  readonly zookeeper: string;
  /** `zk://…/mesos`: /etc/mesos/zk, agents' --master, k8sm's --mesos-master */
  readonly zkUrl: string;
  /** majority of the masters (or the spec's override, checked to be a majority) */
  readonly quorum: Quorum;
  readonly quorumValue: number;
  readonly masters: readonly MesosMasterMember[];
  readonly agents: readonly MesosAgentMember[];
  readonly executorRegistrationTimeout?: string;
  readonly switchUser: boolean;
  readonly dockerDaemonArgs: readonly string[];
  readonly agentImage?: string;
  /** `http://10.0.0.1:5050`, … */
  readonly masterUrls: readonly string[];
}

export interface MarathonPlan {
  readonly version: string;
  readonly runtime: Runtime;
  readonly image?: string;
  /** `zk://…/marathon` */
  readonly zkUrl: string;
  /** the Mesos master URL Marathon registers with: the Mesos zk URL */
  readonly masterUrl: string;
  readonly members: readonly MarathonMember[];
  readonly urls: readonly string[];
  /** the spec's apps, in spec order */
  readonly apps: readonly MarathonApp[];
}

export interface EtcdPlan {
  readonly version: string;
  readonly runtime: Runtime;
  readonly image?: string;
  readonly clientScheme: 'http' | 'https';
  readonly peerScheme: 'http' | 'https';
  readonly token: string;
  readonly legacyPorts: boolean;
  /** serve the v2 API: needed by podmaster and the k8sm scheduler, possible up to 3.5 */
  readonly enableV2: boolean;
  readonly tls?: { readonly client: boolean; readonly peer: boolean; readonly pkiDir?: string };
  readonly members: readonly (EtcdMember & {
    readonly name: string;
    readonly clientUrls: readonly string[];
    readonly peerUrls: readonly string[];
  })[];
  /** `name=http://10.0.0.1:2380,…` */
  readonly initialCluster: string;
  /** one URL per member, each with its scheme: apiserver --etcd-servers, podmaster, k8sm scheduler */
  readonly clientUrls: readonly string[];
  readonly quorum: Quorum;
}

export interface KubernetesPlan {
  readonly version: string;
  readonly flavor: 'mesos' | 'standalone';
  readonly runtime: Runtime;
  readonly image?: string;
  readonly serviceClusterIpRange: string;
  /** the service range's first address, given to the `kubernetes` service (a SAN of the apiserver cert) */
  readonly kubernetesServiceIp: string;
  readonly clusterCidr?: string;
  readonly clusterDns?: string;
  readonly clusterDomain: string;
  readonly storageBackend: 'etcd2' | 'etcd3';
  readonly authorization?: readonly string[];
  readonly apiserver: { readonly securePort: number; readonly insecurePort?: number };
  readonly masters: readonly KubernetesMasterMember[];
  readonly nodes: readonly KubernetesNodeMember[];
  /** `https://10.0.0.1:6443`, … (empty when the secure port is off) */
  readonly apiserverUrls: readonly string[];
  /** `http://10.0.0.1:8888`, … for pre-1.20 insecure ports (empty when none) */
  readonly insecureApiserverUrls: readonly string[];
  /**
   * One URL per master for the clients k8sm configures (k8sm scheduler, gates, probes): the
   * insecure port for Kubernetes on Mesos (its 1.1-era scheduler has no TLS client settings),
   * else the secure one; whichever exists when only one does.
   */
  readonly apiserverClientUrls: readonly string[];
  /** etcd's client URL list, from the etcd plan */
  readonly etcdServers: readonly string[];
  /** etcd client TLS: the apiserver needs a client certificate */
  readonly etcdTls: boolean;
  /** where nodes and clients reach the apiservers: the HAProxy frontend when there is one */
  readonly apiserverEndpoint: string;
  /** masters that run the scheduler (k8sm: `km scheduler --ha`) */
  readonly schedulerHosts: readonly string[];
  readonly leaderElection?: NonNullable<NonNullable<ClusterSpec['kubernetes']>['leaderElection']>;
  readonly abacPolicy?: NonNullable<ClusterSpec['kubernetes']>['abacPolicy'];
  readonly pkiDir?: string;
  readonly kmPath?: string;
  readonly podInfraImage?: string;
  readonly kubeReserved?: string;
  readonly proxyMode: 'iptables' | 'ipvs' | 'userspace' | 'nftables';
  readonly docker: NonNullable<NonNullable<ClusterSpec['kubernetes']>['docker']>;
  readonly extraArgs: NonNullable<NonNullable<ClusterSpec['kubernetes']>['extraArgs']>;
  /**
   * Per-node pod ranges without an overlay: each range routed to its node, on every master and
   * node (each skips its own); a node's bridge takes the first address of its range. Kept as
   * one list, not a table per host, which would grow with the square of the nodes.
   */
  readonly podNetwork: {
    readonly routes: readonly { readonly host: string; readonly cidr: string; readonly via: string }[];
    readonly hosts: readonly string[];
    readonly bridges: Readonly<Record<string, string>>;
  };
}

export interface HaproxyPlan {
  readonly version: string;
  readonly runtime: Runtime;
  readonly image?: string;
  readonly balance: NonNullable<NonNullable<ClusterSpec['haproxy']>['balance']>;
  readonly checkInterval: string;
  readonly runtimeApi: boolean;
  /** the spec's own haproxy.cfg template, relative to the spec file (read by the CLI) */
  readonly template?: string;
  /** the Kubernetes version behind it: /readyz from 1.16, /healthz before */
  readonly kubernetesVersion?: string;
  /** the apiservers' CA is in the Kubernetes PKI: health checks can verify their certificates */
  readonly apiserverCa: boolean;
  readonly members: readonly HaproxyMember[];
  readonly stats?: NonNullable<NonNullable<ClusterSpec['haproxy']>['stats']>;
  /** the apiservers behind the frontend, by host name */
  readonly apiservers: readonly {
    readonly name: string;
    readonly address: string;
    readonly port: number;
    readonly scheme: 'http' | 'https';
  }[];
}

/** Every value derived from the spec, computed once: renderers read these and derive nothing. */
export interface ClusterPlan {
  readonly name: string;
  readonly hosts: readonly HostPlan[];
  readonly zookeeper?: ZookeeperPlan;
  readonly mesos?: MesosPlan;
  readonly marathon?: MarathonPlan;
  readonly etcd?: EtcdPlan;
  readonly kubernetes?: KubernetesPlan;
  readonly haproxy?: HaproxyPlan;
  /** agents and nodes updated at once by a rolling deployment */
  readonly rolloutBatch: number | string;
}

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

/** Build the plan of a spec that passed every check (ensembles non-empty, dependencies present). */
export function buildPlan(spec: ClusterSpec, members: Members): ClusterPlan {
  const hosts = spec.hosts.map((h) => ({ name: h.name, address: h.address, roles: sortRoles(h.roles) }));
  const zookeeper = planZookeeper(spec, members);
  const mesos = planMesos(spec, members, zookeeper);
  const marathon = planMarathon(spec, members, mesos);
  const etcd = planEtcd(spec, members);
  const kubernetes = planKubernetes(spec, members, etcd);
  const haproxy = planHaproxy(spec, members, kubernetes);
  return {
    name: spec.name,
    hosts,
    ...optional('zookeeper', zookeeper),
    ...optional('mesos', mesos),
    ...optional('marathon', marathon),
    ...optional('etcd', etcd),
    ...optional('kubernetes', kubernetes),
    ...optional('haproxy', haproxy),
    rolloutBatch: spec.rollout?.batch ?? '25%',
  };
}

function planZookeeper(spec: ClusterSpec, members: Members): ZookeeperPlan | undefined {
  const zk = spec.zookeeper;
  if (!zk || members.zookeeper.length === 0) return undefined;
  const d = DEFAULTS.zookeeper;
  return {
    version: zk.version,
    runtime: zk.runtime ?? d.runtime,
    ...optional('image', zk.image),
    tickTime: zk.tickTime ?? d.tickTime,
    initLimit: zk.initLimit ?? d.initLimit,
    syncLimit: zk.syncLimit ?? d.syncLimit,
    maxClientCnxns: zk.maxClientCnxns ?? d.maxClientCnxns,
    autopurge: {
      snapRetainCount: zk.autopurge?.snapRetainCount ?? d.autopurge.snapRetainCount,
      purgeInterval: zk.autopurge?.purgeInterval ?? d.autopurge.purgeInterval,
    },
    fourLetterWords: [...new Set(zk.fourLetterWords ?? d.fourLetterWords)].sort(),
    members: members.zookeeper,
    quorum: quorum(members.zookeeper.length),
    connectString: members.zookeeper.map((m) => `${m.address}:${m.clientPort}`).join(','),
  };
}

function planMesos(
  spec: ClusterSpec,
  members: Members,
  zk: ZookeeperPlan | undefined,
): MesosPlan | undefined {
  const mesos = spec.mesos;
  const connect = mesos?.externalZookeeper ?? zk?.connectString;
  if (!mesos || !connect || members.mesosMasters.length === 0) return undefined;
  const q = quorum(members.mesosMasters.length);
  const agent = mesos.agent ?? {};
  return {
    version: mesos.version,
    runtime: mesos.runtime ?? DEFAULTS.mesos.runtime,
    ...optional('image', mesos.image),
    ...optional('cluster', mesos.cluster),
    zookeeper: connect,
    zkUrl: `zk://${connect}${mesos.zkPath ?? DEFAULTS.mesos.zkPath}`,
    quorum: q,
    quorumValue: mesos.quorum ?? q.majority,
    masters: members.mesosMasters,
    agents: members.mesosAgents,
    ...optional('executorRegistrationTimeout', agent.executorRegistrationTimeout),
    switchUser: agent.switchUser ?? DEFAULTS.mesos.agent.switchUser,
    dockerDaemonArgs: agent.dockerDaemonArgs ?? [],
    ...optional('agentImage', agent.image),
    masterUrls: members.mesosMasters.map((m) => `http://${m.address}:${m.port}`),
  };
}

function planMarathon(
  spec: ClusterSpec,
  members: Members,
  mesos: MesosPlan | undefined,
): MarathonPlan | undefined {
  const marathon = spec.marathon;
  if (!marathon || !mesos || members.marathon.length === 0) return undefined;
  return {
    version: marathon.version,
    runtime: marathon.runtime ?? DEFAULTS.marathon.runtime,
    ...optional('image', marathon.image),
    zkUrl: `zk://${mesos.zookeeper}${marathon.zkPath ?? DEFAULTS.marathon.zkPath}`,
    masterUrl: mesos.zkUrl,
    members: members.marathon,
    urls: members.marathon.map((m) => `http://${m.address}:${m.httpPort}`),
    apps: marathon.apps ?? [],
  };
}

function planEtcd(spec: ClusterSpec, members: Members): EtcdPlan | undefined {
  const etcd = spec.etcd;
  if (!etcd || members.etcd.length === 0) return undefined;
  const tls = etcd.tls;
  const clientScheme = tls?.client ? 'https' : 'http';
  const peerScheme = tls?.peer ? 'https' : 'http';
  const legacyPorts = etcd.legacyPorts ?? DEFAULTS.etcd.legacyPorts;
  const planned = members.etcd.map((m) => {
    const clientUrls = [`${clientScheme}://${m.address}:${m.clientPort}`];
    const peerUrls = [`${peerScheme}://${m.address}:${m.peerPort}`];
    if (legacyPorts) {
      clientUrls.push(`${clientScheme}://${m.address}:${DEFAULTS.etcd.legacyClientPort}`);
      peerUrls.push(`${peerScheme}://${m.address}:${DEFAULTS.etcd.legacyPeerPort}`);
    }
    return { ...m, name: m.host, clientUrls, peerUrls };
  });
  // podmaster and the k8sm scheduler (--ha) use the v2 API: off by default from etcd 3.4.
  const needsV2 = spec.kubernetes?.flavor === 'mesos';
  const hasV2Switch = versionAtLeast(etcd.version, '3.4');
  return {
    version: etcd.version,
    runtime: etcd.runtime ?? DEFAULTS.etcd.runtime,
    ...optional('image', etcd.image),
    clientScheme,
    peerScheme,
    token: etcd.token ?? `${spec.name}-etcd`,
    legacyPorts,
    enableV2: hasV2Switch && (etcd.enableV2 ?? needsV2),
    ...optional(
      'tls',
      tls
        ? { client: tls.client ?? false, peer: tls.peer ?? false, ...optional('pkiDir', tls.pkiDir) }
        : undefined,
    ),
    members: planned,
    initialCluster: planned.map((m) => `${m.name}=${m.peerUrls[0]}`).join(','),
    clientUrls: planned.map((m) => m.clientUrls[0] ?? ''),
    quorum: quorum(planned.length),
  };
}

function planKubernetes(
  spec: ClusterSpec,
  members: Members,
  etcd: EtcdPlan | undefined,
): KubernetesPlan | undefined {
  const k8s = spec.kubernetes;
  if (!k8s || !etcd || members.k8sMasters.length === 0) return undefined;
  const serviceClusterIpRange = k8s.serviceClusterIpRange ?? DEFAULTS.kubernetes.serviceClusterIpRange;
  const range = parseCidr(serviceClusterIpRange);
  if (!range) throw new TypeError(`unchecked service range ${serviceClusterIpRange}`);
  const securePort = k8s.apiserver?.securePort ?? DEFAULTS.kubernetes.apiserver.securePort;
  const insecurePort = k8s.apiserver?.insecurePort;
  const secureUrls =
    securePort > 0 ? members.k8sMasters.map((m) => `https://${m.address}:${securePort}`) : [];
  const insecureUrls =
    insecurePort === undefined ? [] : members.k8sMasters.map((m) => `http://${m.address}:${insecurePort}`);
  const preferFirst = (lists: string[][]) => lists.find((l) => l.length > 0) ?? [];
  return {
    version: k8s.version,
    flavor: k8s.flavor,
    runtime: k8s.runtime ?? DEFAULTS.kubernetes.runtime,
    ...optional('image', k8s.image),
    serviceClusterIpRange,
    kubernetesServiceIp: nthAddress(range, 1),
    ...optional('clusterCidr', k8s.clusterCidr),
    ...optional('clusterDns', k8s.clusterDns),
    clusterDomain: k8s.clusterDomain ?? DEFAULTS.kubernetes.clusterDomain,
    storageBackend: k8s.storageBackend ?? defaultStorageBackend(etcd.version),
    ...optional('authorization', k8s.authorization),
    apiserver: { securePort, ...optional('insecurePort', insecurePort) },
    masters: members.k8sMasters,
    nodes: members.k8sNodes,
    apiserverUrls: secureUrls,
    insecureApiserverUrls: insecureUrls,
    apiserverClientUrls: preferFirst(
      k8s.flavor === 'mesos' ? [insecureUrls, secureUrls] : [secureUrls, insecureUrls],
    ),
    etcdServers: etcd.clientUrls,
    etcdTls: etcd.clientScheme === 'https',
    apiserverEndpoint: apiserverEndpoint(members, securePort, insecurePort),
    schedulerHosts: k8s.scheduler?.hosts ?? members.k8sMasters.map((m) => m.host),
    ...optional('leaderElection', k8s.leaderElection),
    ...optional('abacPolicy', k8s.abacPolicy),
    ...optional('pkiDir', k8s.pkiDir),
    ...optional('kmPath', k8s.kmPath),
    ...optional('podInfraImage', k8s.podInfraImage),
    ...optional('kubeReserved', k8s.kubeReserved),
    proxyMode: k8s.proxyMode ?? 'iptables',
    docker: k8s.docker ?? {},
    extraArgs: k8s.extraArgs ?? {},
    podNetwork: podNetwork(members),
  };
}

/** The HAProxy frontend in front of the apiservers if there is one, else the first apiserver. */
function apiserverEndpoint(members: Members, securePort: number, insecurePort: number | undefined): string {
  const scheme = securePort > 0 ? 'https' : 'http';
  const lb = members.haproxy[0];
  if (lb) return `${scheme}://${lb.address}:${lb.frontendPort}`;
  const first = members.k8sMasters[0];
  return `${scheme}://${first?.address ?? '127.0.0.1'}:${securePort > 0 ? securePort : (insecurePort ?? 8080)}`;
}

/**
 * Per-node pod ranges without an overlay (the kubernetes-ansible way): each node's docker bridge
 * takes the first address of its range, and every host of the cluster routes each other node's
 * range to that node's address.
 */
function podNetwork(members: Members): KubernetesPlan['podNetwork'] {
  const ranged = members.k8sNodes.filter((n) => n.podCidr !== undefined);
  if (ranged.length === 0) return { routes: [], hosts: [], bridges: {} };
  const bridges: Record<string, string> = {};
  for (const n of ranged) {
    const range = parseCidr(n.podCidr ?? '');
    if (range) bridges[n.host] = `${nthAddress(range, 1)}/${n.podCidr?.split('/')[1]}`;
  }
  return {
    routes: ranged.map((n) => ({ host: n.host, cidr: n.podCidr ?? '', via: n.address })),
    hosts: [...new Set([...members.k8sMasters, ...members.k8sNodes].map((m) => m.host))],
    bridges,
  };
}

function planHaproxy(
  spec: ClusterSpec,
  members: Members,
  k8s: KubernetesPlan | undefined,
): HaproxyPlan | undefined {
  const ha = spec.haproxy;
  if (!ha || members.haproxy.length === 0) return undefined;
  const secure = (k8s?.apiserver.securePort ?? 0) > 0;
  const port = secure ? k8s?.apiserver.securePort : k8s?.apiserver.insecurePort;
  return {
    version: ha.version,
    runtime: ha.runtime ?? DEFAULTS.haproxy.runtime,
    ...optional('image', ha.image),
    balance: ha.balance ?? DEFAULTS.haproxy.balance,
    checkInterval: ha.checkInterval ?? '2s',
    runtimeApi: ha.runtimeApi ?? false,
    ...optional('template', ha.template),
    ...optional('kubernetesVersion', k8s?.version),
    apiserverCa: secure && k8s?.flavor === 'standalone' && k8s.pkiDir !== undefined,
    members: members.haproxy,
    ...optional('stats', ha.stats),
    apiservers:
      k8s && port !== undefined
        ? k8s.masters.map((m) => ({
            name: m.host,
            address: m.address,
            port,
            scheme: secure ? 'https' : 'http',
          }))
        : [],
  };
}
