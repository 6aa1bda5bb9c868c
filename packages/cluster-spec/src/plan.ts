import type { EtcdPlan } from './components/etcd/plan.js';
import type { HaproxyPlan } from './components/haproxy/plan.js';
import type { KubernetesPlan } from './components/kubernetes/plan.js';
import type { MarathonPlan } from './components/marathon/plan.js';
import type { MesosPlan } from './components/mesos/plan.js';
import type { ZookeeperPlan } from './components/zookeeper/plan.js';
import { DEFAULTS } from './defaults.js';
import { hostInitSystem, type InitSystem } from './init-system.js';
import type { Members } from './members.js';
import { sortRoles } from './members.js';
import { type MonitoringPlan, planMonitoring } from './monitoring.js';
import { COMPONENT_REGISTRY } from './registry.js';
import type { ClusterSpec, Role } from './schema.js';
import { COMPONENTS } from './schema.js';

export type { EtcdPlan } from './components/etcd/plan.js';
export type { HaproxyPlan } from './components/haproxy/plan.js';
export type { KubernetesMasterPlan, KubernetesPlan } from './components/kubernetes/plan.js';
export { type PlannedMarathonApp, planMarathonApp } from './components/marathon/apps.js';
export type { MarathonPlan } from './components/marathon/plan.js';
export type { MesosPlan } from './components/mesos/plan.js';
export type { ZookeeperPlan } from './components/zookeeper/plan.js';
export type { Runtime } from './fields.js';
export type { MonitoringPlan } from './monitoring.js';

export interface HostPlan {
  readonly name: string;
  readonly address: string;
  /** roles in canonical order */
  readonly roles: readonly Role[];
  /** what its package-runtime scripts control services with */
  readonly initSystem: InitSystem;
}

/** Each component's slice of the plan, by the component's name. */
export interface ComponentPlans {
  readonly zookeeper: ZookeeperPlan;
  readonly mesos: MesosPlan;
  readonly marathon: MarathonPlan;
  readonly etcd: EtcdPlan;
  readonly kubernetes: KubernetesPlan;
  readonly haproxy: HaproxyPlan;
}

/**
 * Every value derived from the spec, computed once: renderers read these and derive nothing.
 * A component's slice is absent when the spec does not run it.
 */
export interface ClusterPlan extends Partial<ComponentPlans> {
  readonly name: string;
  readonly hosts: readonly HostPlan[];
  /** agents and nodes updated at once by a rolling deployment */
  readonly rolloutBatch: number | string;
  readonly monitoring: MonitoringPlan;
}

/**
 * Build the plan of a spec that passed every check (ensembles non-empty, dependencies present).
 * Components are planned in COMPONENTS order, each reading the slices planned before it.
 */
export function buildPlan(spec: ClusterSpec, members: Members): ClusterPlan {
  const hosts = spec.hosts.map((h) => ({
    name: h.name,
    address: h.address,
    roles: sortRoles(h.roles),
    initSystem: hostInitSystem(spec, h),
  }));
  const slices: { -readonly [C in keyof ComponentPlans]?: ComponentPlans[C] } = {};
  for (const c of COMPONENTS) {
    const slice = COMPONENT_REGISTRY[c].plan(spec, members, slices);
    if (slice !== undefined) Object.assign(slices, { [c]: slice });
  }
  return {
    name: spec.name,
    hosts,
    ...slices,
    rolloutBatch: spec.rollout?.batch ?? DEFAULTS.rollout.batch,
    monitoring: planMonitoring(spec.monitoring),
  };
}
