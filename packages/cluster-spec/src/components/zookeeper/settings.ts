import type { Runtime } from '../../fields.js';
import { ZOOKEEPER_DEFAULTS as D } from './facts.js';
import type { ZookeeperSpec } from './schema.js';

/** The runtime with its default applied: read by the plan and by the docker-image checks. */
export function zookeeperRuntime(zk: ZookeeperSpec): Runtime {
  return zk.runtime ?? D.runtime;
}
