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
