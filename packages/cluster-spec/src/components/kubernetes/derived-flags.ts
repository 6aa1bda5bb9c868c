import type { KubeComponent } from '../../kube-flags.js';
import { usesKubeadmLayout } from './facts.js';

/**
 * The three control-plane layouts, each with its own flags: Kubernetes on Mesos (`km`), the
 * 1.6-style standalone one (units and env files) and the kubeadm-like one. From 1.20 the
 * apiserver's insecure port must be 0 (kubernetes#95856), so the 1.6-style scheduler and
 * controller-manager, which reach it on 127.0.0.1:8080, cannot work: the kubeadm layout takes over.
 */
export type KubeLayout = 'k8sm' | 'legacy' | 'modern';

export function kubeLayout(k8s: {
  readonly flavor: 'mesos' | 'standalone';
  readonly version: string;
}): KubeLayout {
  if (k8s.flavor === 'mesos') return 'k8sm';
  return usesKubeadmLayout(k8s.version) ? 'modern' : 'legacy';
}

const ADDRESS = 'hosts[].address';
const PKI = 'the PKI that `k8sm-render pki` creates';
const LOCAL_APISERVER = 'the local apiserver';
const LEADER_ELECTION = {
  'leader-elect': 'kubernetes.leaderElection',
  'leader-elect-lease-duration': 'kubernetes.leaderElection.leaseDuration',
  'leader-elect-renew-deadline': 'kubernetes.leaderElection.renewDeadline',
  'leader-elect-retry-period': 'kubernetes.leaderElection.retryPeriod',
} as const;
const ETCD_CLIENT = { 'etcd-cafile': PKI, 'etcd-certfile': PKI, 'etcd-keyfile': PKI } as const;
const PROXY = {
  'hostname-override': 'hosts[].name',
  kubeconfig: 'the PKI and the apiserver endpoint',
  'proxy-mode': 'kubernetes.proxyMode',
  'cluster-cidr': 'kubernetes.clusterCidr',
} as const;

/**
 * Every flag a renderer derives, by layout and component, with the spec key it comes from (or
 * why k8sm fixes it). The renderers can only name flags listed here (their flag lists are typed
 * by it), so this is their own list; the `derived-flag` check refuses an extra arg for any of them.
 */
export const KUBE_DERIVED_FLAGS = {
  k8sm: {
    apiserver: {
      'insecure-bind-address': ADDRESS,
      'insecure-port': 'kubernetes.apiserver.insecurePort',
      'bind-address': ADDRESS,
      'secure-port': 'kubernetes.apiserver.securePort',
      'advertise-address': ADDRESS,
      'etcd-servers': 'the etcd hosts',
      'service-cluster-ip-range': 'kubernetes.serviceClusterIpRange',
      'cloud-provider': 'k8sm: the mesos cloud provider',
      'cloud-config': 'k8sm: the mesos-cloud config it writes',
      'allow-privileged': 'k8sm: privileged pods are allowed',
      v: "k8sm: the guide's log level",
    },
    controllerManager: {
      master: LOCAL_APISERVER,
      'cloud-provider': 'k8sm: the mesos cloud provider',
      'cloud-config': 'k8sm: the mesos-cloud config it writes',
      v: "k8sm: the guide's log level",
    },
    scheduler: {
      address: ADDRESS,
      'mesos-master': 'the zookeeper hosts or mesos.externalZookeeper',
      'etcd-servers': 'the etcd hosts',
      'api-servers': 'the apiserver hosts',
      'mesos-user': 'k8sm: executors run as root',
      'cluster-dns': 'kubernetes.clusterDns',
      'cluster-domain': 'kubernetes.clusterDomain',
      'km-path': 'kubernetes.kmPath',
      'advertised-address': 'kubernetes.scheduler.advertisedAddress',
      'kubelet-pod-infra-container-image': 'kubernetes.podInfraImage',
      ha: 'kubernetes.scheduler.hosts',
      v: "k8sm: the guide's log level",
    },
    kubelet: {
      'api-servers': LOCAL_APISERVER,
      'pod-manifest-path': 'k8sm: the static-pod dir',
      config: 'k8sm: the static-pod dir',
      'register-node': 'k8sm: masters register no node',
      'allow-privileged': 'k8sm: privileged pods are allowed',
      'pod-infra-container-image': 'kubernetes.podInfraImage',
      v: "k8sm: the guide's log level",
    },
    proxy: {},
  },
  legacy: {
    apiserver: {
      'advertise-address': ADDRESS,
      'bind-address': ADDRESS,
      'secure-port': 'kubernetes.apiserver.securePort',
      'etcd-servers': 'the etcd hosts',
      ...ETCD_CLIENT,
      'storage-backend': 'kubernetes.storageBackend',
      'service-cluster-ip-range': 'kubernetes.serviceClusterIpRange',
      'client-ca-file': PKI,
      'tls-cert-file': PKI,
      'tls-private-key-file': PKI,
      'service-account-key-file': PKI,
      'apiserver-count': 'the k8s-master hosts',
      'allow-privileged': 'k8sm: privileged pods are allowed',
      'authorization-mode': 'kubernetes.authorization',
      'authorization-policy-file': 'kubernetes.abacPolicy',
      'insecure-port': 'kubernetes.apiserver.insecurePort',
    },
    controllerManager: {
      master: LOCAL_APISERVER,
      ...LEADER_ELECTION,
      'service-account-private-key-file': PKI,
      'root-ca-file': PKI,
      'service-cluster-ip-range': 'kubernetes.serviceClusterIpRange',
      'cluster-cidr': 'kubernetes.clusterCidr',
      'allocate-node-cidrs': 'kubernetes.clusterCidr',
    },
    scheduler: { master: LOCAL_APISERVER, ...LEADER_ELECTION },
    kubelet: {
      'hostname-override': 'hosts[].name',
      'api-servers': 'the apiserver endpoint',
      kubeconfig: 'the PKI and the apiserver endpoint',
      'register-node': 'k8sm: nodes register themselves',
      'allow-privileged': 'k8sm: privileged pods are allowed',
      'cluster-dns': 'kubernetes.clusterDns',
      'cluster-domain': 'kubernetes.clusterDomain',
      'kube-reserved': 'kubernetes.kubeReserved',
      'pod-infra-container-image': 'kubernetes.podInfraImage',
      'cgroup-driver': 'kubernetes.docker.cgroupDriver',
    },
    proxy: PROXY,
  },
  modern: {
    apiserver: {
      'advertise-address': ADDRESS,
      'allow-privileged': 'k8sm: privileged pods are allowed',
      'authorization-mode': 'kubernetes.authorization',
      'authorization-policy-file': 'kubernetes.abacPolicy',
      'client-ca-file': PKI,
      'enable-admission-plugins': 'k8sm: NodeRestriction, which the Node authorizer needs',
      'etcd-servers': 'the etcd hosts',
      ...ETCD_CLIENT,
      'kubelet-client-certificate': PKI,
      'kubelet-client-key': PKI,
      'kubelet-preferred-address-types': 'k8sm: kubelets are reached by InternalIP first',
      'proxy-client-cert-file': PKI,
      'proxy-client-key-file': PKI,
      'requestheader-allowed-names': PKI,
      'requestheader-client-ca-file': PKI,
      'requestheader-extra-headers-prefix': 'k8sm: the front proxy headers',
      'requestheader-group-headers': 'k8sm: the front proxy headers',
      'requestheader-username-headers': 'k8sm: the front proxy headers',
      'secure-port': 'kubernetes.apiserver.securePort',
      'service-account-issuer': 'kubernetes.clusterDomain',
      'service-account-key-file': PKI,
      'service-account-signing-key-file': PKI,
      'service-cluster-ip-range': 'kubernetes.serviceClusterIpRange',
      'tls-cert-file': PKI,
      'tls-private-key-file': PKI,
    },
    controllerManager: {
      'authentication-kubeconfig': PKI,
      'authorization-kubeconfig': PKI,
      'bind-address': 'k8sm: health on 127.0.0.1',
      'client-ca-file': PKI,
      'cluster-name': 'the spec name',
      kubeconfig: PKI,
      ...LEADER_ELECTION,
      'requestheader-client-ca-file': PKI,
      'root-ca-file': PKI,
      'service-account-private-key-file': PKI,
      'service-cluster-ip-range': 'kubernetes.serviceClusterIpRange',
      'use-service-account-credentials': 'k8sm: one service account per controller',
      'allocate-node-cidrs': 'kubernetes.clusterCidr',
      'cluster-cidr': 'kubernetes.clusterCidr',
      // in the kubeconfig: a flag would override it
      master: LOCAL_APISERVER,
    },
    scheduler: {
      'authentication-kubeconfig': PKI,
      'authorization-kubeconfig': PKI,
      'bind-address': 'k8sm: health on 127.0.0.1',
      kubeconfig: PKI,
      ...LEADER_ELECTION,
      // in the kubeconfig: a flag would override it
      master: LOCAL_APISERVER,
    },
    kubelet: {
      config: 'the KubeletConfiguration k8sm writes',
      'container-runtime': 'k8sm: containerd',
      'container-runtime-endpoint': 'k8sm: containerd',
      'hostname-override': 'hosts[].name',
      kubeconfig: 'the PKI and the apiserver endpoint',
      'node-ip': ADDRESS,
      'pod-infra-container-image': 'kubernetes.podInfraImage',
      // in the KubeletConfiguration: a flag would override it
      'cluster-dns': 'kubernetes.clusterDns',
      'cluster-domain': 'kubernetes.clusterDomain',
      'kube-reserved': 'kubernetes.kubeReserved',
      'cgroup-driver': 'kubernetes.docker.cgroupDriver',
    },
    proxy: PROXY,
  },
} as const satisfies Record<KubeLayout, Record<KubeComponent, Readonly<Record<string, string>>>>;

/** The flags of `component` that the `layout` renderer may derive: its flag lists are typed by it. */
export type KubeDerivedFlag<
  L extends KubeLayout,
  C extends KubeComponent,
> = keyof (typeof KUBE_DERIVED_FLAGS)[L][C] & string;

/** What k8sm derives `flag` of `component` from in `layout`, if it derives it. */
export function kubeDerivedFrom(
  layout: KubeLayout,
  component: KubeComponent,
  flag: string,
): string | undefined {
  const flags: Readonly<Record<string, string>> = KUBE_DERIVED_FLAGS[layout][component];
  return Object.hasOwn(flags, flag) ? flags[flag] : undefined;
}
