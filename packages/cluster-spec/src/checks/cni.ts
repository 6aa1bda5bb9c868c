import { kubeLayout } from '../components/kubernetes/derived-flags.js';
import { type CheckContext, defineCheck } from './definition.js';

/**
 * What a node of the kubeadm layout needs on disk for pods to get a network: the plugins of the
 * bridge config k8sm writes for its pod range, and `loopback`, which containerd's CRI always
 * loads (containerd pkg/cri/server cniLoadOptions: cni.WithLoNetwork). From
 * containernetworking/plugins, in containerd's CNI bin_dir.
 */
export const CNI_PLUGIN_DIR = '/opt/cni/bin';
export const CNI_PLUGINS = ['bridge', 'host-local', 'portmap', 'loopback'] as const;
const INSTALL = `the CNI plugins ${CNI_PLUGINS.join(', ')} (containernetworking/plugins) in ${CNI_PLUGIN_DIR}`;

export const cniNetwork = defineCheck({
  id: 'cni-network',
  severity: 'warning',
  waivable: true,
  about: 'kubeadm-layout nodes without a pod range get no CNI network config and stay NotReady',
  run: ({ spec, members, report }: CheckContext) => {
    const k8s = spec.kubernetes;
    if (!k8s || members.k8sMasters.length === 0 || kubeLayout(k8s) !== 'modern') return;
    const bare = members.k8sNodes.filter((n) => n.podCidr === undefined);
    if (bare.length === 0) return;
    const names = bare.map((n) => `"${n.host}"`).join(', ');
    report(
      bare.length === 1 ? ['hosts', bare[0]?.hostIndex ?? 0] : ['kubernetes'],
      `no CNI network config is written for ${names} (no kubernetes.podCidr): containerd reports "cni plugin not initialized" and the node stays NotReady`,
      `give each node its own kubernetes.podCidr (inside kubernetes.clusterCidr) so k8sm writes its bridge config, and install ${INSTALL}; or install a network add-on and waive "cni-network" with a reason`,
    );
  },
});
