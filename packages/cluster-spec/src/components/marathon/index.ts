import { resolveMarathonMembers } from './members.js';
import { type MarathonPlan, planMarathon } from './plan.js';
import { marathonHostSection, marathonSection } from './schema.js';

export * from './facts.js';
export * from './members.js';
export * from './plan.js';
export * from './schema.js';

export const marathonComponent = {
  roles: ['marathon'],
  services: ['marathon'],
  steps: { from: 230, to: 299 },
  ansible: [{ role: 'marathon', play: 4, name: 'Marathon, one at a time', serial: 'one' }],
  probe: 'marathon',
  probeTargets: (marathon: MarathonPlan) => marathon.urls,
  section: marathonSection,
  hostSection: marathonHostSection,
  members: resolveMarathonMembers,
  plan: planMarathon,
} as const;
