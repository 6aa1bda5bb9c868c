import type { PkiContents } from '@k8sm/spec';
import { type Artifact, type K8sManifestsPlanSlice, kubeadmLayout } from './common.js';
import { renderK8sm } from './k8sm.js';
import { renderModernStandalone } from './modern.js';
import { renderPodNetwork } from './network.js';
import { renderLegacyStandalone } from './standalone.js';

export { MissingPkiFileError, type PkiContents } from '@k8sm/spec';
export type { K8sManifestsPlanSlice } from './common.js';
export { k8smSchedulerFlags } from './k8sm.js';

/**
 * Every Kubernetes file and command: Kubernetes on Mesos (k8sm), a 1.6-style standalone control
 * plane (before 1.20: units and env files), or a kubeadm-like one (1.20 and later: static pods).
 */
export function renderKubernetes(slice: K8sManifestsPlanSlice, pki: PkiContents = {}): Artifact[] {
  const k8s = slice.kubernetes;
  if (!k8s) return [];
  if (k8s.flavor === 'mesos') return renderK8sm(slice.name, k8s, slice.mesos);
  const network = renderPodNetwork(slice.name, k8s);
  if (kubeadmLayout(k8s)) return [...renderModernStandalone(slice.name, k8s, pki), ...network];
  return [...renderLegacyStandalone(slice.name, k8s, pki), ...network];
}
