export const MESOS_DEFAULTS = {
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
} as const;

/** The docker runtime's images: mesoscloud's, tagged per release (hub.docker.com/u/mesoscloud). */
export function mesosMasterImage(version: string): string {
  return `mesoscloud/mesos-master:${version}-ubuntu-14.04`;
}
export function mesosAgentImage(version: string): string {
  return `mesoscloud/mesos-slave:${version}-ubuntu-14.04`;
}

/**
 * The flags the packages' init wrapper passes from variables of the files it sources
 * (mesosphere/mesos-deb-packaging mesos-init-wrapper @ 54ec74acbb37: `[[ ! ${LOGS:-} ]] ||
 * args+=( --log_dir="$LOGS" )` …), before it appends the flag files. Mesos refuses a flag given
 * twice, so these go in the variable and never also in a flag file. The wrapper reads no
 * HOSTNAME variable: --hostname stays a file.
 */
export const MESOS_WRAPPER_VARIABLES = {
  master: {
    zk: { file: '/etc/default/mesos-master', variable: 'ZK' },
    ip: { file: '/etc/default/mesos', variable: 'IP' },
    port: { file: '/etc/default/mesos-master', variable: 'PORT' },
    cluster: { file: '/etc/default/mesos-master', variable: 'CLUSTER' },
    log_dir: { file: '/etc/default/mesos', variable: 'LOGS' },
  },
  agent: {
    master: { file: '/etc/default/mesos-slave', variable: 'MASTER' },
    ip: { file: '/etc/default/mesos', variable: 'IP' },
    log_dir: { file: '/etc/default/mesos', variable: 'LOGS' },
    isolation: { file: '/etc/default/mesos-slave', variable: 'ISOLATION' },
  },
} as const;

/**
 * What the package's /etc/default/mesos sets besides LOGS (mesos-deb-packaging default/mesos
 * @ 54ec74acbb37): k8sm writes that file whole, so it keeps the package's open-files limit.
 */
export const MESOS_PACKAGE_ULIMIT = '-n 8192';
