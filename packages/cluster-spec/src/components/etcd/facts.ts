import { type ReleaseTable, versionAtLeast } from '../../version.js';

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

// --- known releases (k8sm issue 14, fault 16) ----------------------------------------------------

/** etcd's releases from 2.0: the `v<release>` tags of github:etcd-io/etcd (test/upstream-tags/etcd.txt). */
export const ETCD_RELEASES: ReleaseTable = {
  component: 'etcd',
  lines: {
    '2.0': 13,
    '2.1': 3,
    '2.2': 5,
    '2.3': 8,
    '3.0': 17,
    '3.1': 20,
    '3.2': 32,
    '3.3': 27,
    '3.4': 45,
    '3.5': 33,
    '3.6': 14,
    '3.7': 1,
  },
  preReleases: [
    '3.0.0-beta.0',
    '3.1.0-alpha.0',
    '3.1.0-alpha.1',
    '3.1.0-rc.0',
    '3.1.0-rc.1',
    '3.2.0-rc.0',
    '3.2.0-rc.1',
    '3.3.0-rc.0',
    '3.3.0-rc.1',
    '3.3.0-rc.2',
    '3.3.0-rc.3',
    '3.3.0-rc.4',
    '3.3.14-beta.0',
    '3.3.14-rc.0',
    '3.4.0-rc.0',
    '3.4.0-rc.1',
    '3.4.0-rc.2',
    '3.4.0-rc.3',
    '3.4.0-rc.4',
    '3.5.0-alpha.0',
    '3.5.0-beta.0',
    '3.5.0-beta.1',
    '3.5.0-beta.2',
    '3.5.0-beta.3',
    '3.5.0-beta.4',
    '3.5.0-rc.0',
    '3.5.0-rc.1',
    '3.6.0-alpha.0',
    '3.6.0-rc.0',
    '3.6.0-rc.1',
    '3.6.0-rc.2',
    '3.6.0-rc.3',
    '3.6.0-rc.4',
    '3.6.0-rc.5',
    '3.7.0-alpha.0',
    '3.7.0-beta.0',
    '3.7.0-rc.0',
    '3.8.0-alpha.0',
  ],
};

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
