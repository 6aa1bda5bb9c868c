/**
 * Every flag the Marathon renderer derives, by the spec key that sets each. The renderer can only
 * name flags listed here, so this is its own list; the `derived-flag` check refuses an extra flag
 * for any of them.
 */
export const MARATHON_DERIVED_FLAGS = {
  hostname: 'hosts[].address',
  master: 'the Mesos masters',
  zk: 'the zookeeper hosts and marathon.zkPath',
  http_port: 'marathon.httpPort',
} as const satisfies Readonly<Record<string, string>>;

/** The Marathon flags the renderer may derive. */
export type MarathonDerivedFlag = keyof typeof MARATHON_DERIVED_FLAGS & string;
