import { versionAtLeast } from '@k8sm/spec';
import type { Artifact, K8sManifestsPlanSlice, PkiContents } from './common.js';
import { renderK8sm } from './k8sm.js';
import { renderPodNetwork } from './network.js';
import { renderLegacyStandalone } from './standalone.js';

export type { K8sManifestsPlanSlice, PkiContents } from './common.js';
export { k8smSchedulerFlags } from './k8sm.js';
export { MissingPkiFileError } from './standalone.js';

/**
 * Every Kubernetes file and command: Kubernetes on Mesos (k8sm), or a standalone control plane
 * and nodes. Standalone 1.24 and later (kubeadm-like static pods) is not rendered yet.
 */
export function renderKubernetes(slice: K8sManifestsPlanSlice, pki: PkiContents = {}): Artifact[] {
  const k8s = slice.kubernetes;
  if (!k8s) return [];
  if (k8s.flavor === 'mesos') return renderK8sm(slice.name, k8s, slice.mesos);
  const network = renderPodNetwork(slice.name, k8s);
  if (versionAtLeast(k8s.version, '1.24')) return network;
  return [...renderLegacyStandalone(slice.name, k8s, pki), ...network];
}
