import { type ReleaseTable, versionAtLeast } from '../../version.js';

export const ZOOKEEPER_DEFAULTS = {
  runtime: 'package',
  clientPort: 2181,
  peerPort: 2888,
  electionPort: 3888,
  dataDir: '/var/lib/zookeeper',
  tickTime: 2000,
  initLimit: 10,
  syncLimit: 5,
  maxClientCnxns: 60,
  autopurge: { snapRetainCount: 3, purgeInterval: 24 },
  // The words k8sm-probe sends; 3.5.3+ answers only srvr unless listed here.
  fourLetterWords: ['conf', 'isro', 'mntr', 'ruok', 'srvr', 'stat'],
  adminServer: { port: 8080 },
} as const;

/** AdminServer: new in 3.5.0 and on by default (ZOOKEEPER-1346). */
export function zookeeperHasAdminServer(version: string): boolean {
  return versionAtLeast(version, '3.5');
}
/** Off by default from 3.10 (ZOOKEEPER-5050). */
export function zookeeperAdminServerOnByDefault(version: string): boolean {
  return zookeeperHasAdminServer(version) && !versionAtLeast(version, '3.10');
}

/** The docker runtime's image: mesoscloud's, tagged per release (hub.docker.com/r/mesoscloud/zookeeper). */
export function zookeeperImage(version: string): string {
  return `mesoscloud/zookeeper:${version}-ubuntu-14.04`;
}

// --- known releases (k8sm issue 14, fault 16) ----------------------------------------------------

/**
 * ZooKeeper's releases: the `release-<x.y.z>` tags of github:apache/zookeeper (checked against
 * test/upstream-tags/zookeeper.txt). 3.8.0 has only its release-candidate tags; it shipped from
 * release-3.8.0-1 (the next commit on branch-3.8 is "ZooKeeper 3.8.0 release notes", and Debian 12
 * packages 3.8.0). 3.5.0–3.5.4 were released as alphas and betas: their build.xml names them so.
 */
export const ZOOKEEPER_RELEASES: ReleaseTable = {
  component: 'ZooKeeper',
  lines: {
    '3.0': 1,
    '3.1': 2,
    '3.2': 2,
    '3.3': 6,
    '3.4': 14,
    '3.5': 10,
    '3.6': 4,
    '3.7': 2,
    '3.8': 6,
    '3.9': 5,
  },
  preReleases: ['3.5.0-alpha', '3.5.1-alpha', '3.5.2-alpha', '3.5.3-beta', '3.5.4-beta'],
};
