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
