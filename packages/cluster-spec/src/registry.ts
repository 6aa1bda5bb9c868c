import type * as z from 'zod';
import { etcdComponent } from './components/etcd/index.js';
import { haproxyComponent } from './components/haproxy/index.js';
import { kubernetesComponent } from './components/kubernetes/index.js';
import { marathonComponent } from './components/marathon/index.js';
import { mesosComponent } from './components/mesos/index.js';
import { zookeeperComponent } from './components/zookeeper/index.js';
import type { Members } from './members.js';
import type { ProbeCredentials } from './pki-layout.js';
import type { ClusterPlan, ComponentPlans } from './plan.js';
import type { ClusterSpec, Component, Role } from './schema.js';

/** What `k8sm-probe` knows how to ask (`--zk`, `--etcd`, …; `--spec` probes each component's). */
export type ProbeSystem =
  | 'zookeeper'
  | 'etcd'
  | 'mesos'
  | 'mesos-agent'
  | 'marathon'
  | 'apiserver'
  | 'haproxy';

/**
 * One play of the Ansible playbook: the hosts of a role, its place in site.yml (quorum members
 * one at a time first, agents and nodes in batches last) and how many hosts it changes at once.
 */
export interface AnsibleStage {
  readonly role: Role;
  readonly play: number;
  readonly name: string;
  /** `one`: serial 1 behind a gate; `batch`: the spec's rollout batch */
  readonly serial: 'one' | 'batch';
}

/** Everything k8sm knows about one component; the compiler asks for each of these. */
export interface ComponentEntry<C extends Component> {
  readonly roles: readonly Role[];
  /** systemd units (`<name>.service`) and, with the docker runtime, container names it runs */
  readonly services: readonly string[];
  /** the `order` numbers of its script steps: scripts run the components in band order */
  readonly steps: { readonly from: number; readonly to: number };
  readonly ansible: readonly AnsibleStage[];
  readonly probe: ProbeSystem;
  /** the members `k8sm-probe --spec` asks, from the component's plan slice */
  readonly probeTargets: (slice: ComponentPlans[C]) => readonly string[];
  /** the CA and client pair `k8sm-probe --spec` presents to them, from the spec's PKI dir */
  readonly probeCredentials?: (slice: ComponentPlans[C]) => ProbeCredentials | undefined;
  /** its spec section, and the section a host carries to override it */
  readonly section: z.ZodType;
  readonly hostSection: z.ZodType;
  readonly members: (spec: ClusterSpec) => Partial<Members>;
  /** its plan slice, from the slices of the components before it in COMPONENTS */
  readonly plan: (
    spec: ClusterSpec,
    members: Members,
    upstream: Partial<ComponentPlans>,
  ) => ComponentPlans[C] | undefined;
}

export const COMPONENT_REGISTRY = {
  zookeeper: zookeeperComponent,
  mesos: mesosComponent,
  marathon: marathonComponent,
  etcd: etcdComponent,
  kubernetes: kubernetesComponent,
  haproxy: haproxyComponent,
};
// Checked here rather than by `satisfies`: the spec schema is composed from the object's own type.
const ENTRIES: { readonly [C in Component]: ComponentEntry<C> } = COMPONENT_REGISTRY;
const components = Object.keys(ENTRIES) as Component[];

/** The component whose section a role's hosts need. */
export const COMPONENT_OF_ROLE = Object.fromEntries(
  components.flatMap((c) => ENTRIES[c].roles.map((r) => [r, c])),
) as Readonly<Record<Role, Component>>;

/** Every Ansible play in playbook order, with its component. */
export const ANSIBLE_STAGES: readonly (AnsibleStage & { readonly component: Component })[] = components
  .flatMap((component) => ENTRIES[component].ansible.map((s) => ({ ...s, component })))
  .sort((a, b) => a.play - b.play);

/** What `k8sm-probe --spec` asks: each component's members, in rollout order (quorums first). */
export interface ProbeTarget {
  readonly system: ProbeSystem;
  readonly members: readonly string[];
  readonly credentials?: ProbeCredentials;
}

/** The probe targets of a plan, from each component's entry; components without members are left out. */
export function probeTargetsOf(plan: ClusterPlan): ProbeTarget[] {
  const firstPlay = (c: Component) => Math.min(...ENTRIES[c].ansible.map((s) => s.play));
  return [...components]
    .sort((a, b) => firstPlay(a) - firstPlay(b))
    .flatMap((c) => {
      const entry = ENTRIES[c] as ComponentEntry<Component>;
      const slice = plan[c];
      const members = slice === undefined ? [] : entry.probeTargets(slice as never);
      const credentials = slice === undefined ? undefined : entry.probeCredentials?.(slice as never);
      return members.length > 0
        ? [{ system: entry.probe, members, ...(credentials ? { credentials } : {}) }]
        : [];
    });
}
