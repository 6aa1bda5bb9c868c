import { versionAtLeast } from '../../version.js';

export const KUBERNETES_DEFAULTS = {
  runtime: 'package',
  serviceClusterIpRange: '10.96.0.0/12',
  clusterDomain: 'cluster.local',
  apiserver: {
    securePort: 6443,
    // where a pre-1.20 apiserver serves plain HTTP when --insecure-port is not given
    builtinInsecurePort: 8080,
  },
  kubeletPort: 10250,
  proxyMode: 'iptables',
} as const;

/**
 * The apiserver storage backend when the spec names none: etcd2 for etcd 2.x, else etcd3
 * (etcd3 became the apiserver's default in Kubernetes 1.6, CHANGELOG-1.6; etcd 2.x has no v3 API).
 */
export function defaultStorageBackend(etcdVersion: string): 'etcd2' | 'etcd3' {
  return versionAtLeast(etcdVersion, '3.0') ? 'etcd3' : 'etcd2';
}

/**
 * From 1.20 the apiserver's insecure port must be 0 (kubernetes#95856), so the 1.6-style
 * scheduler and controller-manager, which reach it on 127.0.0.1:8080, cannot work: the
 * kubeadm layout (static pods with kubeconfigs, containerd, CNI) takes over there.
 */
export const usesKubeadmLayout = (version: string) => versionAtLeast(version, '1.20');

/** Kubernetes on Mesos's `km` image, tagged `v<release>` (hub.docker.com/r/mesosphere/kubernetes-mesos). */
export function kubernetesMesosImage(version: string): string {
  return `mesosphere/kubernetes-mesos:v${version}`;
}

/**
 * podmaster, which elects the controller-manager's master through etcd, when the spec names no
 * kubernetes.podmasterImage: the image kube-mesos-framework docs/ha.md ("Configure Podmaster") uses.
 */
export const PODMASTER_IMAGE = 'gcr.io/google_containers/podmaster:1.1';

/**
 * Kubernetes on Mesos's apiserver ports when the spec names none: no TLS port and plain HTTP on
 * 8888, as kubernetes/kubernetes docs/getting-started-guides/mesos.md (the 1.1-era k8sm guide:
 * `km apiserver --port=8888 --secure-port=0`) and both k8sm seed guides run it. km's scheduler,
 * controller-manager and kubelets get no CA or kubeconfig from k8sm, and a 1.1 client given an
 * https URL without one falls back to the system roots, which do not hold the apiserver's
 * self-signed certificate. The insecure port exists before 1.20 only (kubernetes#95856).
 */
export const K8SM_APISERVER = { securePort: 0, insecurePort: 8888, insecurePortUntil: '1.20' } as const;

/** kubeadm's control-plane images, tagged `v<release>` (registry.k8s.io/<component>). */
export function controlPlaneImage(component: string, version: string): string {
  return `registry.k8s.io/${component}:v${version}`;
}

/** containerd's sandbox image when the spec names no pod infra image: kubeadm 1.27–1.29's pause. */
export const SANDBOX_IMAGE = 'registry.k8s.io/pause:3.9';
