import { ETCD_DEFAULTS } from './components/etcd/facts.js';
import { HAPROXY_DEFAULTS } from './components/haproxy/facts.js';
import { KUBERNETES_DEFAULTS } from './components/kubernetes/facts.js';
import { MARATHON_DEFAULTS } from './components/marathon/facts.js';
import { MESOS_DEFAULTS } from './components/mesos/facts.js';
import { ZOOKEEPER_DEFAULTS } from './components/zookeeper/facts.js';
import { MONITORING_DEFAULTS } from './monitoring.js';

export { defaultStorageBackend } from './components/kubernetes/facts.js';
export {
  ZOOKEEPER_PACKAGE,
  zookeeperAdminServerOnByDefault,
  zookeeperHasAdminServer,
} from './components/zookeeper/facts.js';

/**
 * Every default of the spec: the cluster's own, then by component (each kept in its component's facts.ts). The zod
 * schema only annotates these (so the JSON Schema shows them to editors); the plan applies them,
 * below the cluster section and the host's own section.
 */
export const DEFAULTS = {
  rollout: { batch: '25%' },
  monitoring: MONITORING_DEFAULTS,
  zookeeper: ZOOKEEPER_DEFAULTS,
  mesos: MESOS_DEFAULTS,
  marathon: MARATHON_DEFAULTS,
  etcd: ETCD_DEFAULTS,
  kubernetes: KUBERNETES_DEFAULTS,
  haproxy: HAPROXY_DEFAULTS,
} as const;
