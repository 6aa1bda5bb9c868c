import { KUBERNETES_DEFAULTS as D } from './facts.js';
import type { KubernetesSpec } from './schema.js';

/*
 * The cluster-level Kubernetes settings with their defaults applied, in one place: the plan reads
 * them, and so do the checks, which run before there is a plan.
 */

export function serviceClusterIpRange(k8s: KubernetesSpec | undefined): string {
  return k8s?.serviceClusterIpRange ?? D.serviceClusterIpRange;
}

/** 0: the TLS port is off */
export function apiserverSecurePort(k8s: KubernetesSpec | undefined): number {
  return k8s?.apiserver?.securePort ?? D.apiserver.securePort;
}
