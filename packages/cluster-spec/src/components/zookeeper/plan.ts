import type { Members } from '../../members.js';
import { type Quorum, quorum } from '../../quorum.js';
import { type RuntimeImage, runtimeImage } from '../../runtime-image.js';
import type { ClusterSpec } from '../../schema.js';
import { ZOOKEEPER_DEFAULTS as D, zookeeperImage, zookeeperPackageLoggingJars } from './facts.js';
import type { ZookeeperMember } from './members.js';
import { zookeeperRuntime } from './settings.js';

export type ZookeeperPlan = ZookeeperSettings & RuntimeImage;

interface ZookeeperSettings {
  readonly version: string;
  readonly tickTime: number;
  readonly initLimit: number;
  readonly syncLimit: number;
  readonly maxClientCnxns: number;
  readonly autopurge: { readonly snapRetainCount: number; readonly purgeInterval: number };
  /** sorted */
  readonly fourLetterWords: readonly string[];
  /** in id order: the order of `server.N` lines and of the docker image's SERVERS */
  readonly members: readonly ZookeeperMember[];
  readonly quorum: Quorum;
  /** package runtime: jars the unit adds to the package's own CLASSPATH so the server logs */
  readonly loggingJars: readonly string[];
  /** the members' client endpoints, `10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181`, in id order */
  readonly connectString: string;
}

export function planZookeeper(spec: ClusterSpec, members: Members): ZookeeperPlan | undefined {
  const zk = spec.zookeeper;
  if (!zk || members.zookeeper.length === 0) return undefined;
  return {
    version: zk.version,
    ...runtimeImage(zookeeperRuntime(zk), zk.image, () => zookeeperImage(zk.version)),
    tickTime: zk.tickTime ?? D.tickTime,
    initLimit: zk.initLimit ?? D.initLimit,
    syncLimit: zk.syncLimit ?? D.syncLimit,
    maxClientCnxns: zk.maxClientCnxns ?? D.maxClientCnxns,
    autopurge: {
      snapRetainCount: zk.autopurge?.snapRetainCount ?? D.autopurge.snapRetainCount,
      purgeInterval: zk.autopurge?.purgeInterval ?? D.autopurge.purgeInterval,
    },
    fourLetterWords: [...new Set(zk.fourLetterWords ?? D.fourLetterWords)].sort(),
    members: members.zookeeper,
    quorum: quorum(members.zookeeper.length),
    loggingJars: zookeeperPackageLoggingJars(zk.version),
    connectString: members.zookeeper.map((m) => m.clientEndpoint).join(','),
  };
}
