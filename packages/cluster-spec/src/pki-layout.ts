import { APISERVER_HEALTHCHECK_USER } from './components/kubernetes/health-check.js';
import { MissingPkiFileError } from './errors.js';
import type { ClusterPlan, EtcdPlan, KubernetesPlan } from './plan.js';

/** File contents from the PKI dirs, by path relative to them (`etcd/ca.crt`, …); read by the CLI. */
export type PkiContents = Readonly<Record<string, string>>;

/** A file renderers place on a host, from the PKI contents the CLI read; missing is an error naming it. */
export function pkiFile(pki: PkiContents, path: string): string {
  const content = pki[path];
  if (content === undefined) throw new MissingPkiFileError(path);
  return content;
}

/**
 * Where `k8sm-render pki` keeps each certificate of the etcd PKI, relative to the PKI dir, and
 * what each one must say. Pure naming: @k8sm/pki issues them, the CLI reads and writes them.
 */
export interface CertificateRequest {
  /** path without extension: `<path>.crt` and `<path>.key` */
  readonly path: string;
  readonly commonName: string;
  readonly organization?: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly usages: readonly ('server' | 'client')[];
  /** path of the issuing CA (without extension) */
  readonly issuer: string;
}

export interface CertificateAuthorityRequest {
  readonly path: string;
  readonly commonName: string;
}

/** A bare key pair (`<path>.key` private, `<path>.pub` public): the service-account signing key. */
export interface KeyPairRequest {
  readonly path: string;
}

export interface PkiRequests {
  readonly authorities: readonly CertificateAuthorityRequest[];
  readonly certificates: readonly CertificateRequest[];
  readonly keyPairs?: readonly KeyPairRequest[];
}

export const ETCD_CA = 'etcd/ca';
export const etcdServerCert = (member: string) => `etcd/${member}/server`;
export const etcdPeerCert = (member: string) => `etcd/${member}/peer`;
export const ETCD_HEALTHCHECK_CLIENT = 'etcd/healthcheck-client';
export const APISERVER_ETCD_CLIENT = 'etcd/apiserver-etcd-client';

/** A client-only certificate (no SANs) signed by `issuer`. */
function clientCert(
  issuer: string,
  path: string,
  commonName: string,
  organization?: string,
): CertificateRequest {
  return {
    path,
    commonName,
    ...(organization === undefined ? {} : { organization }),
    dnsNames: [],
    ipAddresses: [],
    usages: ['client'],
    issuer,
  };
}

/**
 * The etcd CA; per member a server and a peer certificate (SANs: address, host name, 127.0.0.1,
 * localhost); client certificates for the apiserver and for health checks. etcd checks a peer's
 * client certificate too, so peer certificates carry both usages; server certificates also do,
 * as etcd's gateway and grpc-proxy dial with them (etcd docs, "Transport security model").
 */
export function etcdPkiRequests(etcd: EtcdPlan): PkiRequests {
  const memberCert = (path: string, m: EtcdPlan['members'][number]): CertificateRequest => ({
    path,
    commonName: m.name,
    dnsNames: unique([m.name, 'localhost']),
    ipAddresses: unique([m.address, '127.0.0.1']),
    usages: ['server', 'client'],
    issuer: ETCD_CA,
  });
  const client = (path: string, commonName: string, organization?: string) =>
    clientCert(ETCD_CA, path, commonName, organization);
  return {
    authorities: [{ path: ETCD_CA, commonName: 'etcd-ca' }],
    certificates: [
      ...etcd.members.flatMap((m) => [
        memberCert(etcdServerCert(m.name), m),
        memberCert(etcdPeerCert(m.name), m),
      ]),
      client(ETCD_HEALTHCHECK_CLIENT, 'kube-etcd-healthcheck-client'),
      client(APISERVER_ETCD_CLIENT, 'kube-apiserver-etcd-client', 'system:masters'),
    ],
  };
}

/** Every file of a PKI request set, certificates and keys, relative to the PKI dir. */
export function pkiFiles(requests: PkiRequests): string[] {
  return [
    ...[...requests.authorities, ...requests.certificates].flatMap((r) => [`${r.path}.crt`, `${r.path}.key`]),
    ...(requests.keyPairs ?? []).flatMap((r) => [`${r.path}.key`, `${r.path}.pub`]),
  ];
}

export const KUBERNETES_CA = 'kubernetes/ca';
export const apiserverCert = (master: string) => `kubernetes/${master}/apiserver`;
export const kubeletClientCert = (node: string) => `kubernetes/nodes/${node}/kubelet`;
export const KUBE_PROXY_CLIENT = 'kubernetes/kube-proxy';
export const KUBE_ADMIN_CLIENT = 'kubernetes/admin';
export const SERVICE_ACCOUNT_KEY = 'kubernetes/sa';
export const KUBE_SCHEDULER_CLIENT = 'kubernetes/kube-scheduler';
export const KUBE_CONTROLLER_MANAGER_CLIENT = 'kubernetes/kube-controller-manager';
export const APISERVER_KUBELET_CLIENT = 'kubernetes/apiserver-kubelet-client';
export const FRONT_PROXY_CA = 'kubernetes/front-proxy-ca';
export const FRONT_PROXY_CLIENT = 'kubernetes/front-proxy-client';
/** the client certificate HAProxy and the rollout gate present when the apiserver wants one */
export const APISERVER_HEALTHCHECK_CLIENT = 'kubernetes/apiserver-healthcheck-client';

/**
 * The Kubernetes CA; per master an apiserver serving certificate whose SANs cover every name a
 * client may dial (the master, the load balancer, the `kubernetes` service IP and DNS names);
 * per node a kubelet client certificate (`system:node:<name>` in `system:nodes`, what the Node
 * authorizer and ABAC group rules expect); kube-proxy and admin client certificates; the
 * service-account signing key pair.
 */
export function kubernetesPkiRequests(k8s: KubernetesPlan, loadBalancers: readonly string[]): PkiRequests {
  const domain = k8s.clusterDomain;
  const serviceNames = [
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    `kubernetes.default.svc.${domain}`,
  ];
  const client = (path: string, commonName: string, organization?: string) =>
    clientCert(KUBERNETES_CA, path, commonName, organization);
  return {
    authorities: [
      { path: KUBERNETES_CA, commonName: 'kubernetes-ca' },
      { path: FRONT_PROXY_CA, commonName: 'front-proxy-ca' },
    ],
    certificates: [
      ...k8s.masters.map(
        (m): CertificateRequest => ({
          path: apiserverCert(m.host),
          commonName: 'kube-apiserver',
          dnsNames: unique([m.host, ...serviceNames, 'localhost']),
          ipAddresses: unique([m.address, ...loadBalancers, k8s.kubernetesServiceIp, '127.0.0.1']),
          usages: ['server'],
          issuer: KUBERNETES_CA,
        }),
      ),
      // masters run a kubelet too from 1.24 (for their static pods): each gets a node identity
      ...kubeletHosts(k8s).map((n) => client(kubeletClientCert(n), `system:node:${n}`, 'system:nodes')),
      client(KUBE_PROXY_CLIENT, 'system:kube-proxy'),
      client(KUBE_ADMIN_CLIENT, 'kubernetes-admin', 'system:masters'),
      client(KUBE_SCHEDULER_CLIENT, 'system:kube-scheduler'),
      client(KUBE_CONTROLLER_MANAGER_CLIENT, 'system:kube-controller-manager'),
      client(APISERVER_KUBELET_CLIENT, 'kube-apiserver-kubelet-client', 'system:masters'),
      { ...client(FRONT_PROXY_CLIENT, 'front-proxy-client'), issuer: FRONT_PROXY_CA },
      client(APISERVER_HEALTHCHECK_CLIENT, APISERVER_HEALTHCHECK_USER),
    ],
    keyPairs: [{ path: SERVICE_ACCOUNT_KEY }],
  };
}

/** The files rendering reads from the Kubernetes PKI dir (the CA key stays there). */
export function kubernetesPkiFilesToRender(k8s: KubernetesPlan): string[] {
  if (k8s.pkiDir === undefined) return [];
  const pair = (p: string) => [`${p}.crt`, `${p}.key`];
  return [
    `${KUBERNETES_CA}.crt`,
    `${FRONT_PROXY_CA}.crt`,
    ...k8s.masters.flatMap((m) => pair(apiserverCert(m.host))),
    ...kubeletHosts(k8s).flatMap((n) => pair(kubeletClientCert(n))),
    ...pair(KUBE_PROXY_CLIENT),
    ...pair(KUBE_ADMIN_CLIENT),
    ...pair(KUBE_SCHEDULER_CLIENT),
    ...pair(KUBE_CONTROLLER_MANAGER_CLIENT),
    ...pair(APISERVER_KUBELET_CLIENT),
    ...pair(FRONT_PROXY_CLIENT),
    ...(k8s.apiserverHealthCheck.kind === 'client-certificate' ? pair(APISERVER_HEALTHCHECK_CLIENT) : []),
    `${SERVICE_ACCOUNT_KEY}.key`,
    `${SERVICE_ACCOUNT_KEY}.pub`,
  ];
}

/** Hosts that run a kubelet with a node identity: every node, and every master (static pods). */
export function kubeletHosts(k8s: KubernetesPlan): string[] {
  return [...new Set([...k8s.masters.map((m) => m.host), ...k8s.nodes.map((n) => n.host)])];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The files rendering reads from the PKI dir when etcd TLS is on (the CA key stays there). */
export function etcdPkiFilesToRender(etcd: EtcdPlan): string[] {
  if (!etcd.tls?.client && !etcd.tls?.peer) return [];
  return [
    `${ETCD_CA}.crt`,
    ...etcd.members.flatMap((m) =>
      [etcdServerCert(m.name), etcdPeerCert(m.name)].flatMap((p) => [`${p}.crt`, `${p}.key`]),
    ),
    `${ETCD_HEALTHCHECK_CLIENT}.crt`,
    `${ETCD_HEALTHCHECK_CLIENT}.key`,
  ];
}

// Probes: what `k8sm-probe --spec` presents, from the PKI dir the spec names. ----------------

/** A CA to verify members by, and a client pair to present, relative to a PKI dir of the spec. */
export interface ProbeCredentials {
  readonly field: 'etcd.tls.pkiDir' | 'kubernetes.pkiDir';
  /** as the spec gives it: relative to the spec file */
  readonly pkiDir: string;
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
}

/** etcd with client TLS: its CA, and the health-check client pair it is issued for this. */
export function etcdProbeCredentials(etcd: EtcdPlan): ProbeCredentials | undefined {
  if (!etcd.tls?.client || etcd.tls.pkiDir === undefined) return undefined;
  return {
    field: 'etcd.tls.pkiDir',
    pkiDir: etcd.tls.pkiDir,
    ca: `${ETCD_CA}.crt`,
    cert: `${ETCD_HEALTHCHECK_CLIENT}.crt`,
    key: `${ETCD_HEALTHCHECK_CLIENT}.key`,
  };
}

/**
 * A standalone control plane's apiservers: the cluster CA, and the health-check client pair where
 * the plan's health check presents one (anonymous requests are off under AlwaysAllow, so an
 * anonymous probe would get 401 from a healthy apiserver).
 */
export function apiserverProbeCredentials(k8s: KubernetesPlan): ProbeCredentials | undefined {
  if (k8s.flavor !== 'standalone' || k8s.pkiDir === undefined) return undefined;
  const pair =
    k8s.apiserverHealthCheck.kind === 'client-certificate'
      ? { cert: `${APISERVER_HEALTHCHECK_CLIENT}.crt`, key: `${APISERVER_HEALTHCHECK_CLIENT}.key` }
      : {};
  return { field: 'kubernetes.pkiDir', pkiDir: k8s.pkiDir, ca: `${KUBERNETES_CA}.crt`, ...pair };
}

// Placements: where the renderers put the PKI on the hosts, and where the gates find it. -------

/** The etcd PKI on an etcd host (render-etcd places it; the Ansible gate presents the client pair). */
export const ETCD_HOST_PKI_DIR = '/etc/etcd/ssl';
export const ETCD_HOST_TLS = {
  ca: `${ETCD_HOST_PKI_DIR}/ca.crt`,
  cert: `${ETCD_HOST_PKI_DIR}/server.crt`,
  key: `${ETCD_HOST_PKI_DIR}/server.key`,
  peerCert: `${ETCD_HOST_PKI_DIR}/peer.crt`,
  peerKey: `${ETCD_HOST_PKI_DIR}/peer.key`,
  healthcheckCert: `${ETCD_HOST_PKI_DIR}/healthcheck-client.crt`,
  healthcheckKey: `${ETCD_HOST_PKI_DIR}/healthcheck-client.key`,
} as const;

/** The Kubernetes PKI on masters and nodes (the standalone renderers place it, kubeadm's path). */
export const KUBERNETES_HOST_PKI_DIR = '/etc/kubernetes/pki';
export const KUBERNETES_HOST_CA = `${KUBERNETES_HOST_PKI_DIR}/ca.crt`;
/** the health-check client pair on a master, for the rollout gate */
export const KUBERNETES_HOST_HEALTHCHECK = {
  cert: `${KUBERNETES_HOST_PKI_DIR}/apiserver-healthcheck-client.crt`,
  key: `${KUBERNETES_HOST_PKI_DIR}/apiserver-healthcheck-client.key`,
} as const;

// Sets: which PKI dirs a plan has, what each must hold and what rendering reads from it. -------

export interface PkiSetPlan {
  /** the spec field naming its dir, for messages */
  readonly field: 'etcd.tls.pkiDir' | 'kubernetes.pkiDir';
  /** the dir as the spec gives it (relative to the spec file); absent when the spec names none */
  readonly pkiDir?: string;
  /** what `k8sm-render pki` issues into it */
  readonly requests: PkiRequests;
  /** the files rendering reads from it (empty when rendering needs none: TLS off) */
  readonly filesToRender: readonly string[];
}

/**
 * The PKI sets of a plan: etcd's whenever there is etcd (with the apiserver's etcd client pair
 * when a standalone control plane talks TLS to it), the Kubernetes one for a standalone control
 * plane (Kubernetes on Mesos has no PKI of k8sm's).
 */
export function pkiSetsOf(plan: ClusterPlan): PkiSetPlan[] {
  const sets: PkiSetPlan[] = [];
  const { etcd, kubernetes: k8s } = plan;
  const standalone = k8s?.flavor === 'standalone' ? k8s : undefined;
  if (etcd) {
    const files = etcdPkiFilesToRender(etcd);
    // a TLS etcd's apiserver client certificate lives in the etcd PKI dir
    if (standalone?.etcdTls) files.push(`${APISERVER_ETCD_CLIENT}.crt`, `${APISERVER_ETCD_CLIENT}.key`);
    sets.push({
      field: 'etcd.tls.pkiDir',
      ...(etcd.tls?.pkiDir === undefined ? {} : { pkiDir: etcd.tls.pkiDir }),
      requests: etcdPkiRequests(etcd),
      filesToRender: unique(files),
    });
  }
  if (standalone)
    sets.push({
      field: 'kubernetes.pkiDir',
      ...(standalone.pkiDir === undefined ? {} : { pkiDir: standalone.pkiDir }),
      requests: kubernetesPkiRequests(standalone, plan.haproxy?.members.map((m) => m.address) ?? []),
      filesToRender: kubernetesPkiFilesToRender(standalone),
    });
  return sets;
}
