import type { EtcdMembers } from './components/etcd/members.js';
import type { HaproxyMembers } from './components/haproxy/members.js';
import type { KubernetesMembers } from './components/kubernetes/members.js';
import type { MarathonMembers } from './components/marathon/members.js';
import type { MesosMembers } from './components/mesos/members.js';
import type { ZookeeperMembers } from './components/zookeeper/members.js';
import { COMPONENT_REGISTRY } from './registry.js';
import type { ClusterSpec, Role } from './schema.js';
import { COMPONENTS, ROLES } from './schema.js';

export type { EtcdMember } from './components/etcd/members.js';
export type { HaproxyMember } from './components/haproxy/members.js';
export type { KubernetesMasterMember, KubernetesNodeMember } from './components/kubernetes/members.js';
export type { MarathonMember } from './components/marathon/members.js';
export type { MesosAgentMember, MesosMasterMember } from './components/mesos/members.js';
export type { ZookeeperMember } from './components/zookeeper/members.js';

/** Every member of every ensemble with its effective settings: defaults ← cluster section ← host section. */
export interface Members
  extends ZookeeperMembers,
    MesosMembers,
    MarathonMembers,
    EtcdMembers,
    KubernetesMembers,
    HaproxyMembers {}

export function sortRoles(roles: readonly Role[]): Role[] {
  return ROLES.filter((r) => roles.includes(r));
}

/** Each component resolves the members of its roles; a component without its section has none. */
export function resolveMembers(spec: ClusterSpec): Members {
  return Object.assign({}, ...COMPONENTS.map((c) => COMPONENT_REGISTRY[c].members(spec))) as Members;
}
