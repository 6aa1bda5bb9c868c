import { versionAtLeast } from '@k8sm/spec';
import type { Artifact, K8sManifestsPlanSlice, PkiContents } from './common.js';
import { renderK8sm } from './k8sm.js';
import { renderModernStandalone } from './modern.js';
import { renderPodNetwork } from './network.js';
import { renderLegacyStandalone } from './standalone.js';

export type { K8sManifestsPlanSlice, PkiContents } from './common.js';
export { k8smSchedulerFlags } from './k8sm.js';
export { MissingPkiFileError } from './standalone.js';

/**
 * Every Kubernetes file and command: Kubernetes on Mesos (k8sm), a 1.6-style standalone control
 * plane (before 1.24: units and env files), or a kubeadm-like one (1.24 and later: static pods).
 */
export function renderKubernetes(slice: K8sManifestsPlanSlice, pki: PkiContents = {}): Artifact[] {
  const k8s = slice.kubernetes;
  if (!k8s) return [];
  if (k8s.flavor === 'mesos') return renderK8sm(slice.name, k8s, slice.mesos);
  const network = renderPodNetwork(slice.name, k8s);
  // 1.24 removed the insecure port the 1.6-style scheduler and controller-manager use, and
  // dockershim: from there on the kubeadm layout (static pods, kubeconfigs, containerd).
  if (versionAtLeast(k8s.version, '1.24'))
    return [...renderModernStandalone(slice.name, k8s, pki), ...network];
  return [...renderLegacyStandalone(slice.name, k8s, pki), ...network];
}
