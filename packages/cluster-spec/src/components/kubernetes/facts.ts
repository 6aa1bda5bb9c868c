import { versionAtLeast } from '../../version.js';

export const KUBERNETES_DEFAULTS = {
  runtime: 'package',
  serviceClusterIpRange: '10.96.0.0/12',
  clusterDomain: 'cluster.local',
  apiserver: { securePort: 6443 },
  kubeletPort: 10250,
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

/** The insecure port a pre-1.20 apiserver binds on 127.0.0.1 when the spec sets none. */
export const LEGACY_INSECURE_PORT = 8080;
