import type { Runtime } from '../../fields.js';
import { optional } from '../../member-base.js';
import type { Members } from '../../members.js';
import { nthAddress, parseCidr } from '../../net.js';
import type { ClusterSpec } from '../../schema.js';
import type { EtcdPlan } from '../etcd/plan.js';
import {
  controlPlaneImage,
  KUBERNETES_DEFAULTS as D,
  defaultStorageBackend,
  kubernetesMesosImage,
  PODMASTER_IMAGE,
  SANDBOX_IMAGE,
  usesKubeadmLayout,
} from './facts.js';
import { type ApiserverHealthCheck, apiserverHealthCheck } from './health-check.js';
import type { KubernetesMasterMember, KubernetesNodeMember } from './members.js';
import type { KubernetesSpec } from './schema.js';
import {
  apiserverInsecurePort,
  apiserverSecurePort,
  serviceClusterIpRange as serviceRangeOf,
} from './settings.js';

/** A master, with the URL its own scheduler, controller-manager and kubelet reach its apiserver on. */
export interface KubernetesMasterPlan extends KubernetesMasterMember {
  readonly localApiserverUrl: string;
}

export interface KubernetesPlan {
  readonly version: string;
  readonly flavor: 'mesos' | 'standalone';
  readonly runtime: Runtime;
  /** `km`'s image: set for Kubernetes on Mesos with the docker runtime (the spec's, else the release's) */
  readonly image?: string;
  /** set beside `image`: the podmaster that elects the controller-manager's master */
  readonly podmasterImage?: string;
  /** the kubeadm layout's (1.20+) static pod images, and containerd's sandbox image */
  readonly kubeadmImages?: {
    readonly apiserver: string;
    readonly controllerManager: string;
    readonly scheduler: string;
    readonly sandbox: string;
  };
  readonly serviceClusterIpRange: string;
  /** the service range's first address, given to the `kubernetes` service (a SAN of the apiserver cert) */
  readonly kubernetesServiceIp: string;
  readonly clusterCidr?: string;
  readonly clusterDns?: string;
  readonly clusterDomain: string;
  readonly storageBackend: 'etcd2' | 'etcd3';
  readonly authorization?: readonly string[];
  readonly apiserver: { readonly securePort: number; readonly insecurePort?: number };
  readonly masters: readonly KubernetesMasterPlan[];
  readonly nodes: readonly KubernetesNodeMember[];
  /** `https://10.0.0.1:6443`, … (empty when the secure port is off) */
  readonly apiserverUrls: readonly string[];
  /** `http://10.0.0.1:8888`, … for pre-1.20 insecure ports (empty when none) */
  readonly insecureApiserverUrls: readonly string[];
  /**
   * One URL per master for the clients k8sm configures (k8sm scheduler, gates, probes): the
   * insecure port for Kubernetes on Mesos (its 1.1-era scheduler has no TLS client settings),
   * else the secure one; whichever exists when only one does.
   */
  readonly apiserverClientUrls: readonly string[];
  /** etcd's client URL list, from the etcd plan */
  readonly etcdServers: readonly string[];
  /** etcd client TLS: the apiserver needs a client certificate */
  readonly etcdTls: boolean;
  /** where nodes and clients reach the apiservers: the HAProxy frontend when there is one */
  readonly apiserverEndpoint: string;
  /** masters that run the scheduler (k8sm: `km scheduler --ha`) */
  readonly schedulerHosts: readonly string[];
  /** k8sm: the host:port every scheduler advertises (its km download URI is built from it) */
  readonly schedulerAdvertisedAddress?: string;
  readonly leaderElection?: NonNullable<KubernetesSpec['leaderElection']>;
  /** the spec's ABAC rules, and the health check's own when it needs one */
  readonly abacPolicy?: KubernetesSpec['abacPolicy'];
  /** how HAProxy and the rollout gate ask the apiservers whether they are healthy */
  readonly apiserverHealthCheck: ApiserverHealthCheck;
  readonly pkiDir?: string;
  readonly kmPath?: string;
  readonly podInfraImage?: string;
  readonly kubeReserved?: string;
  readonly proxyMode: 'iptables' | 'ipvs' | 'userspace' | 'nftables';
  readonly docker: NonNullable<KubernetesSpec['docker']>;
  readonly extraArgs: NonNullable<KubernetesSpec['extraArgs']>;
  /**
   * Per-node pod ranges without an overlay: each range routed to its node, on every master and
   * node (each skips its own); a node's bridge takes the first address of its range. Kept as
   * one list, not a table per host, which would grow with the square of the nodes.
   */
  readonly podNetwork: {
    readonly routes: readonly { readonly host: string; readonly cidr: string; readonly via: string }[];
    readonly hosts: readonly string[];
    readonly bridges: Readonly<Record<string, string>>;
  };
}

export function planKubernetes(
  spec: ClusterSpec,
  members: Members,
  upstream: { readonly etcd?: EtcdPlan },
): KubernetesPlan | undefined {
  const k8s = spec.kubernetes;
  const etcd = upstream.etcd;
  if (!k8s || !etcd || members.k8sMasters.length === 0) return undefined;
  const serviceClusterIpRange = serviceRangeOf(k8s);
  const range = parseCidr(serviceClusterIpRange);
  if (!range) throw new TypeError(`unchecked service range ${serviceClusterIpRange}`);
  const securePort = apiserverSecurePort(k8s);
  const insecurePort = apiserverInsecurePort(k8s);
  const healthCheck = apiserverHealthCheck(k8s, securePort);
  const secureUrls =
    securePort > 0 ? members.k8sMasters.map((m) => `https://${m.address}:${securePort}`) : [];
  const insecureUrls =
    insecurePort === undefined ? [] : members.k8sMasters.map((m) => `http://${m.address}:${insecurePort}`);
  const preferFirst = (lists: string[][]) => lists.find((l) => l.length > 0) ?? [];
  const runtime = k8s.runtime ?? D.runtime;
  // k8sm's static pods run only with the docker runtime; the kubeadm layout is standalone's from 1.20
  const k8sm = k8s.flavor === 'mesos' && runtime === 'docker';
  const kubeadm = k8s.flavor === 'standalone' && usesKubeadmLayout(k8s.version);
  return {
    version: k8s.version,
    flavor: k8s.flavor,
    runtime,
    ...optional('image', k8sm ? (k8s.image ?? kubernetesMesosImage(k8s.version)) : k8s.image),
    ...optional('podmasterImage', k8sm ? (k8s.podmasterImage ?? PODMASTER_IMAGE) : undefined),
    ...optional('kubeadmImages', kubeadm ? kubeadmImages(k8s) : undefined),
    serviceClusterIpRange,
    kubernetesServiceIp: nthAddress(range, 1),
    ...optional('clusterCidr', k8s.clusterCidr),
    ...optional('clusterDns', k8s.clusterDns),
    clusterDomain: k8s.clusterDomain ?? D.clusterDomain,
    storageBackend: k8s.storageBackend ?? defaultStorageBackend(etcd.version),
    ...optional('authorization', k8s.authorization),
    apiserver: { securePort, ...optional('insecurePort', insecurePort) },
    masters: members.k8sMasters.map((m) => ({
      ...m,
      localApiserverUrl: localApiserverUrl(k8s, m, securePort, insecurePort),
    })),
    nodes: members.k8sNodes,
    apiserverUrls: secureUrls,
    insecureApiserverUrls: insecureUrls,
    apiserverClientUrls: preferFirst(
      k8s.flavor === 'mesos' ? [insecureUrls, secureUrls] : [secureUrls, insecureUrls],
    ),
    etcdServers: etcd.clientUrls,
    etcdTls: etcd.clientScheme === 'https',
    apiserverEndpoint: apiserverEndpoint(members, securePort, insecurePort),
    schedulerHosts: k8s.scheduler?.hosts ?? members.k8sMasters.map((m) => m.host),
    ...optional('schedulerAdvertisedAddress', k8s.scheduler?.advertisedAddress),
    ...optional('leaderElection', k8s.leaderElection),
    ...optional(
      'abacPolicy',
      k8s.abacPolicy && healthCheck.abacRule ? [...k8s.abacPolicy, healthCheck.abacRule] : k8s.abacPolicy,
    ),
    apiserverHealthCheck: healthCheck,
    ...optional('pkiDir', k8s.pkiDir),
    ...optional('kmPath', k8s.kmPath),
    ...optional('podInfraImage', k8s.podInfraImage),
    ...optional('kubeReserved', k8s.kubeReserved),
    proxyMode: k8s.proxyMode ?? D.proxyMode,
    docker: k8s.docker ?? {},
    extraArgs: k8s.extraArgs ?? {},
    podNetwork: podNetwork(members),
  };
}

/**
 * Kubernetes on Mesos: the master's insecure port when there is one (its 1.1-era components have
 * no TLS client settings), else the secure one; the kubeadm layout: the secure port, with
 * kubeconfigs; the 1.6-style layout: the local insecure port, which those versions bind to
 * 127.0.0.1:8080 unless told otherwise.
 */
function localApiserverUrl(
  k8s: KubernetesSpec,
  m: KubernetesMasterMember,
  securePort: number,
  insecurePort: number | undefined,
): string {
  if (k8s.flavor === 'mesos')
    return insecurePort !== undefined
      ? `http://${m.address}:${insecurePort}`
      : `https://${m.address}:${securePort}`;
  if (usesKubeadmLayout(k8s.version)) return `https://${m.address}:${securePort}`;
  return `http://127.0.0.1:${insecurePort ?? D.apiserver.builtinInsecurePort}`;
}

function kubeadmImages(k8s: KubernetesSpec): NonNullable<KubernetesPlan['kubeadmImages']> {
  return {
    apiserver: controlPlaneImage('kube-apiserver', k8s.version),
    controllerManager: controlPlaneImage('kube-controller-manager', k8s.version),
    scheduler: controlPlaneImage('kube-scheduler', k8s.version),
    sandbox: k8s.podInfraImage ?? SANDBOX_IMAGE,
  };
}

/** The HAProxy frontend in front of the apiservers if there is one, else the first apiserver. */
function apiserverEndpoint(members: Members, securePort: number, insecurePort: number | undefined): string {
  const scheme = securePort > 0 ? 'https' : 'http';
  const lb = members.haproxy[0];
  if (lb) return `${scheme}://${lb.address}:${lb.frontendPort}`;
  const first = members.k8sMasters[0];
  return `${scheme}://${first?.address ?? '127.0.0.1'}:${securePort > 0 ? securePort : (insecurePort ?? D.apiserver.builtinInsecurePort)}`;
}

/**
 * Per-node pod ranges without an overlay (the kubernetes-ansible way): each node's docker bridge
 * takes the first address of its range, and every host of the cluster routes each other node's
 * range to that node's address.
 */
function podNetwork(members: Members): KubernetesPlan['podNetwork'] {
  const ranged = members.k8sNodes.filter((n) => n.podCidr !== undefined);
  if (ranged.length === 0) return { routes: [], hosts: [], bridges: {} };
  const bridges: Record<string, string> = {};
  for (const n of ranged) {
    const range = parseCidr(n.podCidr ?? '');
    if (range) bridges[n.host] = `${nthAddress(range, 1)}/${n.podCidr?.split('/')[1]}`;
  }
  return {
    routes: ranged.map((n) => ({ host: n.host, cidr: n.podCidr ?? '', via: n.address })),
    hosts: [...new Set([...members.k8sMasters, ...members.k8sNodes].map((m) => m.host))],
    bridges,
  };
}
