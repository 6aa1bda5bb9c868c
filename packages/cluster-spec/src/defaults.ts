import { versionAtLeast } from './version.js';

/**
 * Every default of the spec, in one place. The zod schema only annotates these (so the JSON
 * Schema shows them to editors); the plan applies them, below the cluster section and the
 * host's own section.
 */
export const DEFAULTS = {
  zookeeper: {
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
  },
  mesos: {
    runtime: 'package',
    zkPath: '/mesos',
    port: 5050,
    workDir: '/var/lib/mesos',
    logDir: '/var/log/mesos',
    agent: {
      port: 5051,
      workDir: '/var/lib/mesos',
      containerizers: ['mesos'],
      switchUser: true,
    },
  },
  marathon: { runtime: 'package', zkPath: '/marathon', httpPort: 8080 },
  etcd: {
    runtime: 'package',
    clientPort: 2379,
    peerPort: 2380,
    dataDir: '/var/lib/etcd',
    initialClusterState: 'new',
    legacyPorts: false,
    legacyClientPort: 4001,
    legacyPeerPort: 7001,
  },
  kubernetes: {
    runtime: 'package',
    serviceClusterIpRange: '10.96.0.0/12',
    clusterDomain: 'cluster.local',
    apiserver: { securePort: 6443 },
    kubeletPort: 10250,
  },
  haproxy: { runtime: 'package', frontendPort: 6443, balance: 'roundrobin' },
} as const;

/** AdminServer: new in 3.5.0 and on by default; off by default from 3.10 (ZOOKEEPER-5050). */
export function zookeeperHasAdminServer(version: string): boolean {
  return versionAtLeast(version, '3.5');
}
export function zookeeperAdminServerOnByDefault(version: string): boolean {
  return zookeeperHasAdminServer(version) && !versionAtLeast(version, '3.10');
}

/** The apiserver storage backend when the spec names none: etcd2 for etcd 2.x, else etcd3. */
export function defaultStorageBackend(etcdVersion: string): 'etcd2' | 'etcd3' {
  return versionAtLeast(etcdVersion, '3.0') ? 'etcd3' : 'etcd2';
}
