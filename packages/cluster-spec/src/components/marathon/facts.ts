export const MARATHON_DEFAULTS = { runtime: 'package', zkPath: '/marathon', httpPort: 8080 } as const;

/** The docker runtime's image: Mesosphere's, tagged `v<release>` (hub.docker.com/r/mesosphere/marathon). */
export function marathonImage(version: string): string {
  return `mesosphere/marathon:v${version}`;
}
