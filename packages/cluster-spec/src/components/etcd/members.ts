import { type MemberBase, memberBase, withRole } from '../../member-base.js';
import type { ClusterSpec } from '../../schema.js';
import { ETCD_DEFAULTS as D } from './facts.js';

export interface EtcdMember extends MemberBase {
  readonly clientPort: number;
  readonly peerPort: number;
  readonly dataDir: string;
  readonly initialClusterState: 'new' | 'existing';
}

export interface EtcdMembers {
  readonly etcd: readonly EtcdMember[];
}

export function resolveEtcdMembers(spec: ClusterSpec): EtcdMembers {
  const etcd = spec.etcd;
  if (!etcd) return { etcd: [] };
  return {
    etcd: withRole(spec, 'etcd').map(({ host, hostIndex }) => {
      const own = host.etcd ?? {};
      return {
        ...memberBase(host, hostIndex),
        clientPort: own.clientPort ?? etcd.clientPort ?? D.clientPort,
        peerPort: own.peerPort ?? etcd.peerPort ?? D.peerPort,
        dataDir: own.dataDir ?? etcd.dataDir ?? D.dataDir,
        initialClusterState: own.initialClusterState ?? etcd.initialClusterState ?? D.initialClusterState,
      };
    }),
  };
}
