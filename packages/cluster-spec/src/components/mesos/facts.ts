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
