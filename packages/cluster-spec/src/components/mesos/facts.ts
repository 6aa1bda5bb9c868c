import type { ReleaseTable } from '../../version.js';

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

// --- known releases (k8sm issue 14, fault 16) ----------------------------------------------------

/**
 * Mesos's releases: the `<release>` tags of github:apache/mesos (test/upstream-tags/mesos.txt);
 * the `-rcN` tags are candidates, not releases (1.3.3 never went past rc1).
 */
export const MESOS_RELEASES: ReleaseTable = {
  component: 'Mesos',
  lines: {
    '0.10': 0,
    '0.11': 0,
    '0.12': 1,
    '0.13': 0,
    '0.14': 2,
    '0.15': 0,
    '0.16': 0,
    '0.17': 0,
    '0.18': 2,
    '0.19': 1,
    '0.20': 1,
    '0.21': 2,
    '0.22': 2,
    '0.23': 1,
    '0.24': 2,
    '0.25': 1,
    '0.26': 2,
    '0.27': 3,
    '0.28': 3,
    '1.0': 4,
    '1.1': 3,
    '1.2': 3,
    '1.3': 2,
    '1.4': 3,
    '1.5': 3,
    '1.6': 2,
    '1.7': 3,
    '1.8': 1,
    '1.9': 0,
    '1.10': 0,
    '1.11': 0,
  },
};
