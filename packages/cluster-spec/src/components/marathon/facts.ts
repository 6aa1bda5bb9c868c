import type { ReleaseTable } from '../../version.js';

export const MARATHON_DEFAULTS = {
  runtime: 'package',
  zkPath: '/marathon',
  httpPort: 8080,
  // an app's own defaults, the ones Marathon's /v2/apps applies (written out so the files say them)
  app: {
    instances: 1,
    network: 'bridge',
    hostPort: 0,
    protocol: 'tcp',
    healthCheck: { portIndex: 0, path: '/' },
  },
} as const;

/** The docker runtime's image: Mesosphere's, tagged `v<release>` (hub.docker.com/r/mesosphere/marathon). */
export function marathonImage(version: string): string {
  return `mesosphere/marathon:v${version}`;
}

/**
 * The variable that binds Marathon's scheduler driver (libmesos, in the JVM) to an address.
 * Without it libprocess binds to the address the host name resolves to, 127.0.1.1 on Debian and
 * Ubuntu hosts, and the masters cannot reach the framework (mesosphere/marathon#4217, #2153).
 * Every runtime reads it from the environment: /etc/default/marathon is sourced with allexport
 * before 1.5 (bin/marathon-framework @ v0.15.3) and is the unit's EnvironmentFile= from 1.5
 * (tools/packager/scripts/marathon.systemd.service).
 */
export const MARATHON_BIND_VARIABLE = 'LIBPROCESS_IP';

// --- known releases (k8sm issue 14, fault 16) ----------------------------------------------------

/**
 * Marathon's releases. Up to 1.5: the `v<release>` tags of github:mesosphere/marathon
 * (test/upstream-tags/marathon.txt; 0.12, 0.16, 1.0 and 1.2 have release candidates only).
 * From 1.6 the patch number is the count of first-parent commits since the branch point (the
 * repository's `version` script), published as Docker tags, mostly untagged in git: a line's
 * highest release is that count at the head of releases/<line> (test/upstream-tags/marathon-branches.txt).
 */
export const MARATHON_RELEASES: ReleaseTable = {
  component: 'Marathon',
  lines: {
    '0.7': 6,
    '0.8': 2,
    '0.9': 2,
    '0.10': 1,
    '0.11': 1,
    '0.13': 1,
    '0.14': 3,
    '0.15': 7,
    '1.1': 7,
    '1.3': 14,
    '1.4': 13,
    '1.5': 15,
    '1.6': 590,
    '1.7': 238,
    '1.8': 248,
    '1.9': 146,
    '1.10': 36,
    '1.11': 24,
  },
};
