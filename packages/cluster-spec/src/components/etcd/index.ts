import { etcdProbeCredentials } from '../../pki-layout.js';
import { resolveEtcdMembers } from './members.js';
import { type EtcdPlan, planEtcd } from './plan.js';
import { etcdHostSection, etcdSection } from './schema.js';

export * from './facts.js';
export * from './members.js';
export * from './plan.js';
export * from './schema.js';

export const etcdComponent = {
  roles: ['etcd'],
  services: ['etcd'],
  steps: { from: 300, to: 399 },
  ansible: [{ role: 'etcd', play: 2, name: 'etcd, one member at a time', serial: 'one' }],
  probe: 'etcd',
  probeTargets: (etcd: EtcdPlan) => etcd.clientUrls,
  probeCredentials: etcdProbeCredentials,
  section: etcdSection,
  hostSection: etcdHostSection,
  members: resolveEtcdMembers,
  plan: planEtcd,
} as const;
