import { type MemberBase, memberBase, withRole } from '../../member-base.js';
import type { ClusterSpec, HostSpec } from '../../schema.js';
import {
  ZOOKEEPER_DEFAULTS as D,
  zookeeperAdminServerOnByDefault,
  zookeeperHasAdminServer,
} from './facts.js';

/** `clientPortAddress: 0.0.0.0` binds every address of the host, as no clientPortAddress does. */
export const ANY_ADDRESS = '0.0.0.0';

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
  /** where clients reach this member: clientPortAddress, or the host's address when it binds all */
  readonly clientAddress: string;
  /** `clientAddress:clientPort`: the connect string, /etc/mesos/zk, Marathon, the gates and the probe */
  readonly clientEndpoint: string;
  readonly adminServer: { readonly enabled: boolean; readonly port: number; readonly address?: string };
}

export interface ZookeeperMembers {
  /** in id order */
  readonly zookeeper: readonly ZookeeperMember[];
}

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

export function resolveZookeeperMembers(spec: ClusterSpec): ZookeeperMembers {
  const zk = spec.zookeeper;
  if (!zk) return { zookeeper: [] };
  const zkHosts = withRole(spec, 'zookeeper');
  const zkIds = assignZookeeperIds(zkHosts);
  const members = zkHosts.map(({ host, hostIndex }, i): ZookeeperMember => {
    const own = host.zookeeper ?? {};
    const admin = { ...zk.adminServer, ...own.adminServer };
    const dataLogDir = own.dataLogDir ?? zk.dataLogDir;
    const clientPortAddress = own.clientPortAddress ?? zk.clientPortAddress;
    const clientPort = own.clientPort ?? zk.clientPort ?? D.clientPort;
    const clientAddress =
      clientPortAddress === undefined || clientPortAddress === ANY_ADDRESS ? host.address : clientPortAddress;
    return {
      ...memberBase(host, hostIndex),
      id: zkIds[i] ?? 0,
      idFromSpec: own.id !== undefined,
      clientPort,
      peerPort: own.peerPort ?? zk.peerPort ?? D.peerPort,
      electionPort: own.electionPort ?? zk.electionPort ?? D.electionPort,
      dataDir: own.dataDir ?? zk.dataDir ?? D.dataDir,
      ...(dataLogDir === undefined ? {} : { dataLogDir }),
      ...(clientPortAddress === undefined ? {} : { clientPortAddress }),
      clientAddress,
      clientEndpoint: `${clientAddress}:${clientPort}`,
      adminServer: {
        enabled:
          zookeeperHasAdminServer(zk.version) &&
          (admin.enabled ?? zookeeperAdminServerOnByDefault(zk.version)),
        port: admin.port ?? D.adminServer.port,
        ...(admin.address === undefined ? {} : { address: admin.address }),
      },
    };
  });
  return { zookeeper: members.sort((a, b) => a.id - b.id) };
}
