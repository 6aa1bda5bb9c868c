import type { PkiRequests } from '@k8sm/spec';
import type { PkiFiles, PkiOptions } from './index.js';
import { issueLeaf } from './leaf.js';
import {
  certificateMatchesKey,
  createCertificateAuthority,
  describeCertificate,
  type KeyPairPem,
} from './x509.js';

export interface RenewOptions extends PkiOptions {
  /** re-issue the CAs too (and so every leaf under them): only when asked for by name */
  readonly authorities?: boolean;
}

export interface RenewResult {
  /** every file to replace: each leaf's certificate and a new key; with `authorities`, the CAs */
  readonly renewed: PkiFiles;
  /** one line per certificate re-issued, with its new expiry */
  readonly lines: readonly string[];
  /** why nothing may be written: a CA missing, expired or not matching its key */
  readonly problems: readonly string[];
}

/**
 * Re-issues every leaf certificate of `requests` from the CA the PKI dir holds, each with a new
 * key and the names and usages the spec asks for now. The CA is kept unless `authorities` is set;
 * a CA that is missing, unusable or expired is a problem, and nothing is renewed.
 */
export async function renewPki(
  requests: PkiRequests,
  existing: PkiFiles,
  options: RenewOptions = {},
): Promise<RenewResult> {
  const now = options.now ?? new Date();
  const renewed: Record<string, string> = {};
  const lines: string[] = [];
  const problems: string[] = [];
  const authorities = new Map<string, KeyPairPem>();
  const until = (pem: string) => describeCertificate(pem).notAfter.toISOString().slice(0, 10);

  for (const ca of requests.authorities) {
    if (options.authorities) {
      const pair = await createCertificateAuthority({
        commonName: ca.commonName,
        days: options.caDays ?? 3650,
        now,
      });
      renewed[`${ca.path}.crt`] = pair.certPem;
      renewed[`${ca.path}.key`] = pair.keyPem;
      authorities.set(ca.path, pair);
      lines.push(`${ca.path}.crt (CA): new key, valid until ${until(pair.certPem)}`);
      continue;
    }
    const [certPem, keyPem] = [existing[`${ca.path}.crt`], existing[`${ca.path}.key`]];
    if (certPem === undefined || keyPem === undefined) {
      problems.push(
        `${ca.path}.${certPem === undefined ? 'crt' : 'key'} is missing: run \`k8sm-render pki <spec>\` to create what is missing, or renew the CA too with --renew-ca`,
      );
      continue;
    }
    try {
      if (!certificateMatchesKey(certPem, keyPem)) {
        problems.push(`${ca.path}.key does not belong to ${ca.path}.crt`);
        continue;
      }
    } catch (error) {
      problems.push(`${ca.path}: not a PEM certificate and key (${(error as Error).message})`);
      continue;
    }
    const about = describeCertificate(certPem);
    if (!about.isCa) problems.push(`${ca.path}.crt is not a CA certificate`);
    else if (about.notAfter <= now)
      problems.push(
        `${ca.path}.crt expired on ${about.notAfter.toISOString()}: leaves it signs now would not verify; renew it too with --renew-ca`,
      );
    else authorities.set(ca.path, { certPem, keyPem });
  }
  if (problems.length > 0) return { renewed: {}, lines: [], problems };

  for (const request of requests.certificates) {
    const ca = authorities.get(request.issuer);
    if (!ca) {
      problems.push(`${request.path}: its CA ${request.issuer} is not in the PKI dir`);
      continue;
    }
    const pair = await issueLeaf(request, ca, options.leafDays ?? 365, now);
    renewed[`${request.path}.crt`] = pair.certPem;
    renewed[`${request.path}.key`] = pair.keyPem;
    lines.push(`${request.path}.crt: new key, valid until ${until(pair.certPem)}`);
  }
  return problems.length > 0 ? { renewed: {}, lines: [], problems } : { renewed, lines, problems };
}
