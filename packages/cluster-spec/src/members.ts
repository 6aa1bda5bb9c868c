import { DEFAULTS, zookeeperAdminServerOnByDefault, zookeeperHasAdminServer } from './defaults.js';
import type { ClusterSpec, HostSpec, Role } from './schema.js';
import { ROLES } from './schema.js';

interface MemberBase {
  /** host name */
  readonly host: string;
  readonly address: string;
  /** index of the host in spec.hosts, for error paths */
  readonly hostIndex: number;
}

export interface ZookeeperMember extends MemberBase {
  readonly id: number;
  /** true when the id came from the host's section, false when assigned by position */
  readonly idFromSpec: boolean;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly electionPort: number;
  readonly dataDir: string;
  readonly dataLogDir?: string;
  readonly clientPortAddress?: string;
  readonly adminServer: { readonly enabled: boolean; readonly port: number; readonly address?: string };
}

export interface MesosMasterMember extends MemberBase {
  readonly port: number;
  readonly workDir: string;
  readonly logDir: string;
  readonly flags: Readonly<Record<string, string | number | boolean>>;
}

export interface MesosAgentMember extends MemberBase {
  readonly port: number;
  readonly workDir: string;
  readonly logDir: string;
  readonly containerizers: readonly ('docker' | 'mesos')[];
  readonly isolation?: readonly string[];
  readonly attributes: Readonly<Record<string, string | number>>;
  readonly resources: Readonly<Record<string, string | number>>;
  readonly flags: Readonly<Record<string, string | number | boolean>>;
}

export interface MarathonMember extends MemberBase {
  readonly httpPort: number;
  readonly flags: Readonly<Record<string, string | number | boolean>>;
}

export interface EtcdMember extends MemberBase {
  readonly clientPort: number;
  readonly peerPort: number;
  readonly dataDir: string;
  readonly initialClusterState: 'new' | 'existing';
}

export interface KubernetesMasterMember extends MemberBase {}

export interface KubernetesNodeMember extends MemberBase {
  readonly podCidr?: string;
}

export interface HaproxyMember extends MemberBase {
  readonly frontendPort: number;
}

/** Every member of every ensemble with its effective settings: defaults ← cluster section ← host section. */
export interface Members {
  readonly zookeeper: readonly ZookeeperMember[];
  readonly mesosMasters: readonly MesosMasterMember[];
  readonly mesosAgents: readonly MesosAgentMember[];
  readonly marathon: readonly MarathonMember[];
  readonly etcd: readonly EtcdMember[];
  readonly k8sMasters: readonly KubernetesMasterMember[];
  readonly k8sNodes: readonly KubernetesNodeMember[];
  readonly haproxy: readonly HaproxyMember[];
}

export function sortRoles(roles: readonly Role[]): Role[] {
  return ROLES.filter((r) => roles.includes(r));
}

function withRole(spec: ClusterSpec, role: Role): { host: HostSpec; hostIndex: number }[] {
  return spec.hosts.flatMap((host, hostIndex) => (host.roles.includes(role) ? [{ host, hostIndex }] : []));
}

const base = (host: HostSpec, hostIndex: number): MemberBase => ({
  host: host.name,
  address: host.address,
  hostIndex,
});

/**
 * ZooKeeper ids: a host's own `zookeeper.id` when given; the others take the lowest ids not
 * taken, in spec order — so a spec without ids numbers its members 1..n as the guides do.
 */
function assignZookeeperIds(hosts: { host: HostSpec }[]): number[] {
  const taken = new Set(
    hosts.flatMap(({ host }) => (host.zookeeper?.id === undefined ? [] : [host.zookeeper.id])),
  );
  let next = 1;
  return hosts.map(({ host }) => {
    if (host.zookeeper?.id !== undefined) return host.zookeeper.id;
    while (taken.has(next)) next++;
    taken.add(next);
    return next;
  });
}

export function resolveMembers(spec: ClusterSpec): Members {
  const zk = spec.zookeeper;
  const zkHosts = withRole(spec, 'zookeeper');
  const zkIds = assignZookeeperIds(zkHosts);
  const zookeeper: ZookeeperMember[] = zk
    ? zkHosts.map(({ host, hostIndex }, i) => {
        const own = host.zookeeper ?? {};
        const admin = { ...zk.adminServer, ...own.adminServer };
        const dataLogDir = own.dataLogDir ?? zk.dataLogDir;
        const clientPortAddress = own.clientPortAddress ?? zk.clientPortAddress;
        return {
          ...base(host, hostIndex),
          id: zkIds[i] ?? 0,
          idFromSpec: own.id !== undefined,
          clientPort: own.clientPort ?? zk.clientPort ?? DEFAULTS.zookeeper.clientPort,
          peerPort: own.peerPort ?? zk.peerPort ?? DEFAULTS.zookeeper.peerPort,
          electionPort: own.electionPort ?? zk.electionPort ?? DEFAULTS.zookeeper.electionPort,
          dataDir: own.dataDir ?? zk.dataDir ?? DEFAULTS.zookeeper.dataDir,
          ...(dataLogDir === undefined ? {} : { dataLogDir }),
          ...(clientPortAddress === undefined ? {} : { clientPortAddress }),
          adminServer: {
            enabled:
              zookeeperHasAdminServer(zk.version) &&
              (admin.enabled ?? zookeeperAdminServerOnByDefault(zk.version)),
            port: admin.port ?? DEFAULTS.zookeeper.adminServer.port,
            ...(admin.address === undefined ? {} : { address: admin.address }),
          },
        };
      })
    : [];

  const mesos = spec.mesos;
  const mesosMasters: MesosMasterMember[] = mesos
    ? withRole(spec, 'mesos-master').map(({ host, hostIndex }) => {
        const own = host.mesos ?? {};
        return {
          ...base(host, hostIndex),
          port: own.port ?? mesos.port ?? DEFAULTS.mesos.port,
          workDir: own.workDir ?? mesos.workDir ?? DEFAULTS.mesos.workDir,
          logDir: own.logDir ?? mesos.logDir ?? DEFAULTS.mesos.logDir,
          flags: { ...mesos.master?.flags, ...own.master?.flags },
        };
      })
    : [];
  const mesosAgents: MesosAgentMember[] = mesos
    ? withRole(spec, 'mesos-agent').map(({ host, hostIndex }) => {
        const own = host.mesos?.agent ?? {};
        const agent = mesos.agent ?? {};
        const isolation = own.isolation ?? agent.isolation;
        return {
          ...base(host, hostIndex),
          port: own.port ?? agent.port ?? DEFAULTS.mesos.agent.port,
          workDir: own.workDir ?? agent.workDir ?? DEFAULTS.mesos.agent.workDir,
          logDir: host.mesos?.logDir ?? mesos.logDir ?? DEFAULTS.mesos.logDir,
          containerizers: own.containerizers ?? agent.containerizers ?? DEFAULTS.mesos.agent.containerizers,
          ...(isolation === undefined ? {} : { isolation }),
          attributes: { ...agent.attributes, ...own.attributes },
          resources: { ...agent.resources, ...own.resources },
          flags: { ...agent.flags, ...own.flags },
        };
      })
    : [];

  const marathonSpec = spec.marathon;
  const marathon: MarathonMember[] = marathonSpec
    ? withRole(spec, 'marathon').map(({ host, hostIndex }) => ({
        ...base(host, hostIndex),
        httpPort: host.marathon?.httpPort ?? marathonSpec.httpPort ?? DEFAULTS.marathon.httpPort,
        flags: { ...marathonSpec.flags, ...host.marathon?.flags },
      }))
    : [];

  const etcdSpec = spec.etcd;
  const etcd: EtcdMember[] = etcdSpec
    ? withRole(spec, 'etcd').map(({ host, hostIndex }) => {
        const own = host.etcd ?? {};
        return {
          ...base(host, hostIndex),
          clientPort: own.clientPort ?? etcdSpec.clientPort ?? DEFAULTS.etcd.clientPort,
          peerPort: own.peerPort ?? etcdSpec.peerPort ?? DEFAULTS.etcd.peerPort,
          dataDir: own.dataDir ?? etcdSpec.dataDir ?? DEFAULTS.etcd.dataDir,
          initialClusterState:
            own.initialClusterState ?? etcdSpec.initialClusterState ?? DEFAULTS.etcd.initialClusterState,
        };
      })
    : [];

  const k8s = spec.kubernetes;
  const k8sMasters: KubernetesMasterMember[] = k8s
    ? withRole(spec, 'k8s-master').map(({ host, hostIndex }) => base(host, hostIndex))
    : [];
  const k8sNodes: KubernetesNodeMember[] = k8s
    ? withRole(spec, 'k8s-node').map(({ host, hostIndex }) => {
        const podCidr = host.kubernetes?.podCidr;
        return { ...base(host, hostIndex), ...(podCidr === undefined ? {} : { podCidr }) };
      })
    : [];

  const ha = spec.haproxy;
  const haproxy: HaproxyMember[] = ha
    ? withRole(spec, 'haproxy').map(({ host, hostIndex }) => ({
        ...base(host, hostIndex),
        frontendPort: host.haproxy?.frontendPort ?? ha.frontendPort ?? DEFAULTS.haproxy.frontendPort,
      }))
    : [];

  return {
    zookeeper: [...zookeeper].sort((a, b) => a.id - b.id),
    mesosMasters,
    mesosAgents,
    marathon,
    etcd,
    k8sMasters,
    k8sNodes,
    haproxy,
  };
}
