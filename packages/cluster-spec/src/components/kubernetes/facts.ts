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
 * Where an apiserver serves plain HTTP when the spec gives no --insecure-port: 127.0.0.1:8080
 * before 1.20 (kubernetes pkg/kubeapiserver/options/serving.go, NewInsecureServingOptions), none
 * from 1.20, where the port must be 0 (kubernetes#95856). Marathon or a ZooKeeper AdminServer on
 * 8080 of the same host cannot bind beside it.
 */
export function apiserverBuiltinInsecurePort(
  version: string,
): { readonly address: string; readonly port: number } | undefined {
  return versionAtLeast(version, '1.20')
    ? undefined
    : { address: '127.0.0.1', port: KUBERNETES_DEFAULTS.apiserver.builtinInsecurePort };
}

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

/** The k8sm HA guide's podmaster, which elects the controller-manager's master through etcd. */
export const PODMASTER_IMAGE = 'gcr.io/google_containers/podmaster:1.1';

/** kubeadm's control-plane images, tagged `v<release>` (registry.k8s.io/<component>). */
export function controlPlaneImage(component: string, version: string): string {
  return `registry.k8s.io/${component}:v${version}`;
}

/** containerd's sandbox image when the spec names no pod infra image: kubeadm 1.27–1.29's pause. */
export const SANDBOX_IMAGE = 'registry.k8s.io/pause:3.9';

/**
 * daemon.json's key for dockerd's root directory: "data-root" from Docker 17.05, "graph" before
 * (moby daemon/config/config.go: `Root json:"data-root"`, `RootDeprecated json:"graph"`); dockerd
 * refuses a key it does not know. Without a docker version, a current dockerd is assumed.
 */
export function dockerDataRootKey(dockerVersion: string | undefined): 'data-root' | 'graph' {
  return dockerVersion === undefined || versionAtLeast(dockerVersion, '17.05') ? 'data-root' : 'graph';
}
