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

/**
 * The Debian/Ubuntu package's own start-up: its init script (zookeeperd) sources this file and
 * runs `$JAVA -cp $CLASSPATH … $ZOOMAIN $ZOOCFG`. The jar alone is no class path on 3.4 packages:
 * they build it with upstream ant, whose manifest has no Class-Path, and javahelper adds only
 * jline, log4j-1.2 and xerces (debian/libzookeeper-java.classpath), not slf4j, which
 * QuorumPeerMain loads first. Source: Debian pkg-java zookeeper 3.4.5+dfsg packaging
 * (github:alienth/zookeeper 31a1d2ca, debian/conf_example/environment — the slf4j and netty jars
 * were added to CLASSPATH in 50c36a07 —, debian/zookeeperd.init, debian/zookeeperd.upstart, debian/rules).
 */
export const ZOOKEEPER_PACKAGE = {
  environmentFile: '/etc/zookeeper/conf/environment',
  logDir: '/var/log/zookeeper',
  // log4j.properties of both packages: log4j.rootLogger=${zookeeper.root.logger}; CONSOLE is
  // stdout, which systemd keeps in the journal.
  rootLogger: 'INFO,CONSOLE',
  mainClass: 'org.apache.zookeeper.server.quorum.QuorumPeerMain',
} as const;

/**
 * Jars the package's CLASSPATH lacks for the server to log. The 3.4 packages' CLASSPATH already
 * names slf4j-log4j12 and log4j-1.2. Debian 12's 3.8.0 sets CLASSPATH to the conf dir and
 * zookeeper.jar, whose manifest names slf4j-api but no binding: slf4j falls back to its NOP logger.
 * That package ships log4j.properties (no logback) and depends on libslf4j-java and
 * liblog4j1.2-java (its changelog, 3.8.0-4), so the binding is slf4j-log4j12 with log4j 1.2.
 * Measured on Debian 12 (zookeeper 3.8.0-11+deb12u2: /etc/zookeeper/conf/environment,
 * /usr/share/java/zookeeper.jar META-INF/MANIFEST.MF). No Debian package of 3.5–3.7 exists
 * (3.4.13-6 was followed by 3.8.0-1); those versions get the 3.8 layout.
 */
export function zookeeperPackageLoggingJars(version: string): readonly string[] {
  return versionAtLeast(version, '3.5')
    ? ['/usr/share/java/slf4j-log4j12.jar', '/usr/share/java/log4j-1.2.jar']
    : [];
}

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
