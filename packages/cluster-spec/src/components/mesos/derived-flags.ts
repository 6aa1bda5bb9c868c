/** The two Mesos binaries whose flags k8sm renders. */
export type MesosKind = 'master' | 'agent';

const ZOOKEEPER = 'the zookeeper hosts or mesos.externalZookeeper';

/**
 * Every flag the Mesos renderer derives for the masters and agents (as flag files, MESOS_*
 * variables, /etc/mesos/zk or the attributes/resources dirs), by the spec key that sets each.
 * The renderer can only name flags listed here, so this is its own list; the `derived-flag`
 * check refuses an extra flag for any of them.
 */
export const MESOS_DERIVED_FLAGS = {
  master: {
    quorum: 'mesos.quorum',
    zk: ZOOKEEPER,
    ip: 'hosts[].address',
    hostname: 'hosts[].address',
    work_dir: 'mesos.workDir',
    log_dir: 'mesos.logDir',
    cluster: 'mesos.cluster',
    port: 'mesos.port',
  },
  agent: {
    master: ZOOKEEPER,
    ip: 'hosts[].address',
    hostname: 'hosts[].address',
    work_dir: 'mesos.agent.workDir',
    log_dir: 'mesos.logDir',
    port: 'mesos.agent.port',
    containerizers: 'mesos.agent.containerizers',
    isolation: 'mesos.agent.isolation',
    executor_registration_timeout: 'mesos.agent.executorRegistrationTimeout',
    switch_user: 'mesos.agent.switchUser',
    attributes: 'mesos.agent.attributes',
    resources: 'mesos.agent.resources',
  },
} as const satisfies Record<MesosKind, Readonly<Record<string, string>>>;

/** The flags of a Mesos master or agent that the renderer may derive. */
export type MesosDerivedFlag<K extends MesosKind> = keyof (typeof MESOS_DERIVED_FLAGS)[K] & string;
