import { type ReleaseTable, versionAtLeast } from '../../version.js';

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
  return versionAtLeast(version, INSECURE_PORT_REMOVED)
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
 * From 1.20 the apiserver serves no insecure port: `--insecure-port` may only be 0, and the flags
 * are gone in 1.24 (kubernetes/kubernetes#95856, CHANGELOG-1.20 "Urgent Upgrade Notes").
 */
export const INSECURE_PORT_REMOVED = '1.20';

/**
 * Without the insecure port the 1.6-style scheduler and controller-manager, which reach the
 * apiserver on 127.0.0.1:8080, cannot work: the kubeadm layout (static pods with kubeconfigs,
 * containerd, CNI) takes over from that release. The README's layout sentence names it too.
 */
export const usesKubeadmLayout = (version: string) => versionAtLeast(version, INSECURE_PORT_REMOVED);

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

// --- known releases (k8sm issue 14, fault 16) ----------------------------------------------------

/**
 * Kubernetes's releases (test/upstream-tags/kubernetes.txt says where each comes from): from 1.7
 * the `kubernetes-<release>` tags of github:kubernetes/client-go, before that the releases that
 * kubernetes/kubernetes' CHANGELOG files name. Gaps are releases neither source names.
 */
export const KUBERNETES_RELEASES: ReleaseTable = {
  component: 'Kubernetes',
  lines: {
    '1.1': [1, 2, 3, 4, 7, 8],
    '1.2': 7,
    '1.3': 10,
    '1.4': 12,
    '1.5': 7,
    '1.6': 13,
    '1.7': [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
    '1.8': 15,
    '1.9': 11,
    '1.10': 13,
    '1.11': 10,
    '1.12': 10,
    '1.13': 12,
    '1.14': 10,
    '1.15': 12,
    '1.16': 15,
    '1.17': [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17],
    '1.18': [0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 13, 14, 15, 16, 17, 18, 19],
    '1.19': 16,
    '1.20': 15,
    '1.21': 14,
    '1.22': 17,
    '1.23': 17,
    '1.24': 17,
    '1.25': 16,
    '1.26': 15,
    '1.27': 16,
    '1.28': 15,
    '1.29': 15,
    '1.30': 14,
    '1.31': 14,
    '1.32': 13,
    '1.33': 13,
    '1.34': 10,
    '1.35': 7,
    '1.36': 3,
  },
  preReleases: [
    '1.6.0-alpha.1',
    '1.6.0-alpha.2',
    '1.6.0-alpha.3',
    '1.6.0-beta.1',
    '1.6.0-beta.2',
    '1.6.0-beta.3',
    '1.6.0-beta.4',
    '1.6.0-rc.1',
  ],
};

/**
 * daemon.json's key for dockerd's root directory: "data-root" from Docker 17.05, "graph" before
 * (moby daemon/config/config.go: `Root json:"data-root"`, `RootDeprecated json:"graph"`); dockerd
 * refuses a key it does not know. Without a docker version, a current dockerd is assumed.
 */
export function dockerDataRootKey(dockerVersion: string | undefined): 'data-root' | 'graph' {
  return dockerVersion === undefined || versionAtLeast(dockerVersion, '17.05') ? 'data-root' : 'graph';
}
