import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { CertificateRequest, PkiRequests } from '@k8sm/spec';
import { issueLeaf } from './leaf.js';
import {
  certificateMatchesKey,
  createCertificateAuthority,
  describeCertificate,
  type KeyPairPem,
  signedBy,
} from './x509.js';

export { type RenewOptions, type RenewResult, renewPki } from './renew.js';
export {
  certificateMatchesKey,
  createCertificateAuthority,
  describeCertificate,
  issueCertificate,
  type KeyPairPem,
} from './x509.js';

/** File contents by path relative to the PKI dir. */
export type PkiFiles = Readonly<Record<string, string>>;

export interface PkiOptions {
  readonly now?: Date;
  /** validity of the CA, default 10 years */
  readonly caDays?: number;
  /** validity of leaf certificates, default 1 year (kubeadm's choice) */
  readonly leafDays?: number;
}

export interface PkiResult {
  /** new files to write (keys end in `.key`: write them 0600) */
  readonly created: PkiFiles;
  /** certificates found and still good for what they are requested for */
  readonly kept: readonly string[];
  /** existing files that cannot be used; nothing should be written while there are any */
  readonly problems: readonly string[];
}

/**
 * Issues what `existing` lacks and checks what it has: an existing certificate is kept only if
 * its key matches, its CA signed it, it has not expired and it still carries every name and usage
 * asked for; otherwise it is a problem (never overwritten: the operator decides).
 */
export async function issuePki(
  requests: PkiRequests,
  existing: PkiFiles,
  options: PkiOptions = {},
): Promise<PkiResult> {
  const now = options.now ?? new Date();
  const created: Record<string, string> = {};
  const kept: string[] = [];
  const problems: string[] = [];
  const authorities = new Map<string, KeyPairPem>();

  const found = (path: string): KeyPairPem | 'none' | 'problem' => {
    const cert = existing[`${path}.crt`];
    const key = existing[`${path}.key`];
    if (cert === undefined && key === undefined) return 'none';
    if (cert === undefined || key === undefined) {
      problems.push(
        `${path}.${cert === undefined ? 'crt' : 'key'} is missing but ${path}.${cert === undefined ? 'key' : 'crt'} exists: remove the other file to issue a new pair`,
      );
      return 'problem';
    }
    try {
      if (!certificateMatchesKey(cert, key)) {
        problems.push(`${path}.key does not belong to ${path}.crt: remove both to issue a new pair`);
        return 'problem';
      }
    } catch (error) {
      problems.push(
        `${path}: not a PEM certificate and key (${(error as Error).message}): remove both to issue a new pair`,
      );
      return 'problem';
    }
    return { certPem: cert, keyPem: key };
  };

  for (const ca of requests.authorities) {
    const have = found(ca.path);
    if (have === 'problem') continue;
    if (have === 'none') {
      const pair = await createCertificateAuthority({
        commonName: ca.commonName,
        days: options.caDays ?? 3650,
        now,
      });
      created[`${ca.path}.crt`] = pair.certPem;
      created[`${ca.path}.key`] = pair.keyPem;
      authorities.set(ca.path, pair);
      continue;
    }
    const about = describeCertificate(have.certPem);
    if (!about.isCa) problems.push(`${ca.path}.crt is not a CA certificate`);
    else if (about.notAfter <= now)
      problems.push(`${ca.path}.crt expired on ${about.notAfter.toISOString()}`);
    else {
      authorities.set(ca.path, have);
      kept.push(`${ca.path}.crt`);
    }
  }

  for (const request of requests.certificates) {
    const ca = authorities.get(request.issuer);
    const have = found(request.path);
    if (have === 'problem') continue;
    if (have !== 'none') {
      const wrong = ca ? unfit(have.certPem, request, ca, now) : undefined;
      if (wrong)
        problems.push(
          `${request.path}.crt ${wrong}: remove ${request.path}.crt and .key to issue a new pair`,
        );
      else if (ca) kept.push(`${request.path}.crt`);
      continue;
    }
    if (!ca) continue; // its CA is a problem already
    const pair = await issueLeaf(request, ca, options.leafDays ?? 365, now);
    created[`${request.path}.crt`] = pair.certPem;
    created[`${request.path}.key`] = pair.keyPem;
  }
  for (const { path } of requests.keyPairs ?? []) {
    const key = existing[`${path}.key`];
    const pub = existing[`${path}.pub`];
    if (key === undefined && pub === undefined) {
      // The service-account signing key: ES256 is accepted by the apiserver and controller-manager.
      const pair = generateKeyPairSync('ec', {
        namedCurve: 'P-256',
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      });
      created[`${path}.key`] = pair.privateKey;
      created[`${path}.pub`] = pair.publicKey;
    } else if (key === undefined || pub === undefined)
      problems.push(
        `${path}.${key === undefined ? 'key' : 'pub'} is missing but ${path}.${key === undefined ? 'pub' : 'key'} exists: remove the other file to make a new pair`,
      );
    else if (!publicKeyMatches(key, pub))
      problems.push(`${path}.pub is not the public half of ${path}.key: remove both to make a new pair`);
    else kept.push(`${path}.key`);
  }
  return { created, kept, problems };
}

function publicKeyMatches(keyPem: string, pubPem: string): boolean {
  try {
    const derived = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
    return derived.equals(createPublicKey(pubPem).export({ type: 'spki', format: 'der' }));
  } catch {
    return false;
  }
}

/** Why an existing certificate no longer serves its request, or undefined if it does. */
function unfit(certPem: string, request: CertificateRequest, ca: KeyPairPem, now: Date): string | undefined {
  if (!signedBy(certPem, ca.certPem)) return `was not issued by ${request.issuer}.crt`;
  const about = describeCertificate(certPem);
  if (about.notAfter <= now) return `expired on ${about.notAfter.toISOString()}`;
  const lacking = [
    ...request.dnsNames.filter((n) => !about.dnsNames.includes(n)).map((n) => `DNS:${n}`),
    ...request.ipAddresses.filter((n) => !about.ipAddresses.includes(n)).map((n) => `IP:${n}`),
    ...request.usages.filter((u) => !about.extendedKeyUsages.includes(u)).map((u) => `${u} usage`),
  ];
  return lacking.length > 0 ? `lacks ${lacking.join(', ')}` : undefined;
}
