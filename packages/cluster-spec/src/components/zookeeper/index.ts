import { resolveZookeeperMembers } from './members.js';
import { planZookeeper, type ZookeeperPlan } from './plan.js';
import { zookeeperHostSection, zookeeperSection } from './schema.js';

export * from './facts.js';
export * from './members.js';
export * from './plan.js';
export * from './schema.js';

export const zookeeperComponent = {
  roles: ['zookeeper'],
  services: ['zookeeper'],
  steps: { from: 100, to: 189 },
  ansible: [{ role: 'zookeeper', play: 1, name: 'ZooKeeper, one member at a time', serial: 'one' }],
  probe: 'zookeeper',
  probeTargets: (zk: ZookeeperPlan) => zk.members.map((m) => m.clientEndpoint),
  section: zookeeperSection,
  hostSection: zookeeperHostSection,
  members: resolveZookeeperMembers,
  plan: planZookeeper,
} as const;
