import { versionAtLeast } from '../../version.js';
import { KUBERNETES_DEFAULTS as D, K8SM_APISERVER } from './facts.js';
import type { KubernetesSpec } from './schema.js';

/*
 * The cluster-level Kubernetes settings with their defaults applied, in one place: the plan reads
 * them, and so do the checks, which run before there is a plan.
 */

export function serviceClusterIpRange(k8s: KubernetesSpec | undefined): string {
  return k8s?.serviceClusterIpRange ?? D.serviceClusterIpRange;
}

/** Kubernetes on Mesos on a version whose apiserver still has an insecure port */
const k8smWithInsecurePort = (k8s: KubernetesSpec | undefined) =>
  k8s?.flavor === 'mesos' && !versionAtLeast(k8s.version, K8SM_APISERVER.insecurePortUntil);

/** 0: the TLS port is off */
export function apiserverSecurePort(k8s: KubernetesSpec | undefined): number {
  return (
    k8s?.apiserver?.securePort ??
    (k8smWithInsecurePort(k8s) ? K8SM_APISERVER.securePort : D.apiserver.securePort)
  );
}

/** The plain-HTTP port the apiserver is told to use; undefined: none is rendered. */
export function apiserverInsecurePort(k8s: KubernetesSpec | undefined): number | undefined {
  return (
    k8s?.apiserver?.insecurePort ?? (k8smWithInsecurePort(k8s) ? K8SM_APISERVER.insecurePort : undefined)
  );
}
