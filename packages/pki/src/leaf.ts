import type { CertificateRequest } from '@k8sm/spec';
import { issueCertificate, type KeyPairPem } from './x509.js';

/** A leaf certificate and a new key for `request`, signed by `ca`, valid `days` from `now`. */
export const issueLeaf = (
  request: CertificateRequest,
  ca: KeyPairPem,
  days: number,
  now: Date,
): Promise<KeyPairPem> =>
  issueCertificate({
    ca,
    commonName: request.commonName,
    ...(request.organization === undefined ? {} : { organization: request.organization }),
    dnsNames: [...request.dnsNames],
    ipAddresses: [...request.ipAddresses],
    usages: [...request.usages],
    days,
    now,
  });
