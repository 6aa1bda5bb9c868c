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
