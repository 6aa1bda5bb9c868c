import { versionAtLeast } from '../../version.js';

export const ETCD_DEFAULTS = {
  runtime: 'package',
  clientPort: 2379,
  peerPort: 2380,
  dataDir: '/var/lib/etcd',
  initialClusterState: 'new',
  legacyPorts: false,
  // the IANA ports replaced 4001/7001 in etcd 2.0; 2.x still listened on both
  legacyClientPort: 4001,
  legacyPeerPort: 7001,
} as const;

/** `--enable-v2` exists from 3.4, where the v2 API became off by default (etcd CHANGELOG-3.4). */
export function etcdHasV2Switch(version: string): boolean {
  return versionAtLeast(version, '3.4');
}

/** The docker runtime's image: CoreOS's, tagged `v<release>` (quay.io/repository/coreos/etcd). */
export function etcdImage(version: string): string {
  return `quay.io/coreos/etcd:v${version}`;
}
