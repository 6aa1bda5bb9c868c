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
