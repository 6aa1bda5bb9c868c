import { upstartDescription, upstartExec, upstartJobPath } from '@k8sm/spec';

export const ZOOKEEPER_JOB_PATH = upstartJobPath('zookeeper');

/**
 * The upstart job of a ZooKeeper member: what the systemd unit says, in init(5)'s stanzas
 * (github:ubports/upstart@47a2d086 init/man/init.5): started in the multi-user runlevels,
 * respawned, run as the zookeeper user, the same command line.
 */
export function zookeeperJob(header: string, description: string, argv: readonly string[]): string {
  return [
    header,
    `description ${upstartDescription(ZOOKEEPER_JOB_PATH, description)}`,
    'start on runlevel [2345]',
    'stop on runlevel [!2345]',
    'respawn',
    'respawn limit 10 5',
    'setuid zookeeper',
    'setgid zookeeper',
    'limit nofile 65536 65536',
    `exec ${upstartExec(ZOOKEEPER_JOB_PATH, argv)}`,
    '',
  ].join('\n');
}
