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
