import { versionAtLeast } from '../../version.js';

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
