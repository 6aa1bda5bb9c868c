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

/**
 * How to list the cluster's members over HTTP: the v3 gRPC gateway's `cluster/member/list`, whose
 * prefix moved with the release (etcd.io/docs/v3.4/dev-guide/api_grpc_gateway: `/v3alpha` up to 3.2,
 * `/v3beta` in 3.3, `/v3` from 3.4), or the v2 API's `GET /v2/members` on 2.x. Both answer `{"members": […]}`.
 */
export function etcdMemberList(version: string): { readonly method: 'GET' | 'POST'; readonly path: string } {
  if (!versionAtLeast(version, '3.0')) return { method: 'GET', path: '/v2/members' };
  const api = versionAtLeast(version, '3.4') ? 'v3' : versionAtLeast(version, '3.3') ? 'v3beta' : 'v3alpha';
  return { method: 'POST', path: `/${api}/cluster/member/list` };
}
