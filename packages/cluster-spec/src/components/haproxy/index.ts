import { resolveHaproxyMembers } from './members.js';
import { type HaproxyPlan, planHaproxy } from './plan.js';
import { haproxyHostSection, haproxySection } from './schema.js';

export * from './facts.js';
export * from './members.js';
export * from './plan.js';
export * from './schema.js';

export const haproxyComponent = {
  roles: ['haproxy'],
  services: ['haproxy'],
  steps: { from: 500, to: 599 },
  ansible: [{ role: 'haproxy', play: 6, name: 'HAProxy, one at a time', serial: 'one' }],
  probe: 'haproxy',
  // its stats page wants the stats credentials: `k8sm-probe --haproxy <url> --stats-user …`
  probeTargets: (_: HaproxyPlan): readonly string[] => [],
  section: haproxySection,
  hostSection: haproxyHostSection,
  members: resolveHaproxyMembers,
  plan: planHaproxy,
} as const;
