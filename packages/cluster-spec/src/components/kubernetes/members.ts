import { type MemberBase, memberBase, withRole } from '../../member-base.js';
import type { ClusterSpec } from '../../schema.js';

export interface KubernetesMasterMember extends MemberBase {}

export interface KubernetesNodeMember extends MemberBase {
  readonly podCidr?: string;
}

export interface KubernetesMembers {
  readonly k8sMasters: readonly KubernetesMasterMember[];
  readonly k8sNodes: readonly KubernetesNodeMember[];
}

export function resolveKubernetesMembers(spec: ClusterSpec): KubernetesMembers {
  if (!spec.kubernetes) return { k8sMasters: [], k8sNodes: [] };
  return {
    k8sMasters: withRole(spec, 'k8s-master').map(({ host, hostIndex }) => memberBase(host, hostIndex)),
    k8sNodes: withRole(spec, 'k8s-node').map(({ host, hostIndex }) => {
      const podCidr = host.kubernetes?.podCidr;
      return { ...memberBase(host, hostIndex), ...(podCidr === undefined ? {} : { podCidr }) };
    }),
  };
}
