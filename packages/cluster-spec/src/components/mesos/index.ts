import { resolveMesosMembers } from './members.js';
import { type MesosPlan, planMesos } from './plan.js';
import { mesosHostSection, mesosSection } from './schema.js';

export * from './facts.js';
export * from './members.js';
export * from './plan.js';
export * from './schema.js';

export const mesosComponent = {
  roles: ['mesos-master', 'mesos-agent'],
  services: ['mesos-master', 'mesos-slave'],
  // from 190: an agent turns off the services its packages installed but it does not run
  steps: { from: 190, to: 229 },
  ansible: [
    { role: 'mesos-master', play: 3, name: 'Mesos masters, one at a time', serial: 'one' },
    { role: 'mesos-agent', play: 7, name: 'Mesos agents, in batches', serial: 'batch' },
  ],
  probe: 'mesos',
  probeTargets: (mesos: MesosPlan) => mesos.masterUrls,
  section: mesosSection,
  hostSection: mesosHostSection,
  members: resolveMesosMembers,
  plan: planMesos,
} as const;
