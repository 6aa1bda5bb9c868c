import type { EtcdPlan } from './plan.js';

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

export interface PkiRequests {
  readonly authorities: readonly CertificateAuthorityRequest[];
  readonly certificates: readonly CertificateRequest[];
}

export const ETCD_CA = 'etcd/ca';
export const etcdServerCert = (member: string) => `etcd/${member}/server`;
export const etcdPeerCert = (member: string) => `etcd/${member}/peer`;
export const ETCD_HEALTHCHECK_CLIENT = 'etcd/healthcheck-client';
export const APISERVER_ETCD_CLIENT = 'etcd/apiserver-etcd-client';

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
  const client = (path: string, commonName: string, organization?: string): CertificateRequest => ({
    path,
    commonName,
    ...(organization === undefined ? {} : { organization }),
    dnsNames: [],
    ipAddresses: [],
    usages: ['client'],
    issuer: ETCD_CA,
  });
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
  return [...requests.authorities, ...requests.certificates].flatMap((r) => [
    `${r.path}.crt`,
    `${r.path}.key`,
  ]);
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
