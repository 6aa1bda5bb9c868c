import { apiserverProbeCredentials } from '../../pki-layout.js';
import { resolveKubernetesMembers } from './members.js';
import { type KubernetesPlan, planKubernetes } from './plan.js';
import { kubernetesHostSection, kubernetesSection } from './schema.js';

export * from './facts.js';
export * from './health-check.js';
export * from './members.js';
export * from './plan.js';
export * from './schema.js';

export const kubernetesComponent = {
  roles: ['k8s-master', 'k8s-node'],
  // by flavor: standalone masters run the first three, k8sm and modern masters a kubelet with
  // static pods; docker and containerd are the nodes' container runtimes, restarted when configured
  services: [
    'kube-apiserver',
    'kube-controller-manager',
    'kube-scheduler',
    'kubelet',
    'kube-proxy',
    'k8sm-pod-routes',
    'docker',
    'containerd',
  ],
  steps: { from: 400, to: 499 },
  ansible: [
    { role: 'k8s-master', play: 5, name: 'Kubernetes control plane, one master at a time', serial: 'one' },
    { role: 'k8s-node', play: 8, name: 'Kubernetes nodes, in batches', serial: 'batch' },
  ],
  probe: 'apiserver',
  probeTargets: (k8s: KubernetesPlan) => k8s.apiserverClientUrls,
  probeCredentials: apiserverProbeCredentials,
  section: kubernetesSection,
  hostSection: kubernetesHostSection,
  members: resolveKubernetesMembers,
  plan: planKubernetes,
} as const;
