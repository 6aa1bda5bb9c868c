// @peculiar/x509 resolves its algorithm providers through tsyringe, which
// throws at load time unless a Reflect metadata polyfill is installed first.
// ES modules evaluate imports in order, so this must stay the first import.
import 'reflect-metadata';
import { createPrivateKey, type webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export type KeyPairPem = { certPem: string; keyPem: string };
export type Usage = 'server' | 'client';

export type CertificateAuthorityOptions = {
  commonName: string;
  days: number;
  now?: Date;
};

export type IssueCertificateOptions = {
  ca: KeyPairPem;
  commonName: string;
  organization?: string;
  dnsNames?: string[];
  ipAddresses?: string[];
  usages: Usage[];
  days: number;
  now?: Date;
};

export type CertificateDescription = {
  /** Node's format: one `KEY=value` per line, e.g. "CN=etcd-1\nO=system:nodes". */
  subject: string;
  issuer: string;
  dnsNames: string[];
  ipAddresses: string[];
  notAfter: Date;
  isCa: boolean;
  extendedKeyUsages: Usage[];
};

const { subtle } = globalThis.crypto;
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const EKU_OIDS: Record<Usage, string> = {
  server: x509.ExtendedKeyUsage.serverAuth,
  client: x509.ExtendedKeyUsage.clientAuth,
};

export async function createCertificateAuthority(opts: CertificateAuthorityOptions): Promise<KeyPairPem> {
  const keys = await generateKeyPair();
  const name: x509.JsonName = [{ CN: [opts.commonName] }];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: name,
    issuer: name,
    ...validity(opts.now ?? new Date(), opts.days),
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return toKeyPairPem(cert, keys.privateKey);
}

// The CA's certificate parsed and its key imported once per CA object: a spec's PKI signs a
// thousand leaves or more with one CA, and doing both again for each was a fifth of a leaf's
// time. Keyed by the object, so an entry goes with it; checked against its PEMs, so a CA object
// given new ones is read again.
const signers = new WeakMap<
  KeyPairPem,
  { certPem: string; keyPem: string; cert: x509.X509Certificate; key: Promise<webcrypto.CryptoKey> }
>();

function signerOf(ca: KeyPairPem) {
  const known = signers.get(ca);
  if (known && known.certPem === ca.certPem && known.keyPem === ca.keyPem) return known;
  const signer = {
    certPem: ca.certPem,
    keyPem: ca.keyPem,
    cert: new x509.X509Certificate(ca.certPem),
    key: importPrivateKeyPem(ca.keyPem),
  };
  // a key that fails to import is not kept: the next call tries again and fails the same way
  signer.key.catch(() => signers.delete(ca));
  signers.set(ca, signer);
  return signer;
}

export async function issueCertificate(opts: IssueCertificateOptions): Promise<KeyPairPem> {
  if (opts.usages.length === 0) throw new Error('issueCertificate: usages must not be empty');
  const signer = signerOf(opts.ca);
  const caCert = signer.cert;
  const caKey = await signer.key;
  const keys = await generateKeyPair();

  const subject: x509.JsonName = [{ CN: [opts.commonName] }];
  if (opts.organization !== undefined) subject.push({ O: [opts.organization] });

  const altNames: x509.JsonGeneralName[] = [
    ...(opts.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(opts.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];

  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject,
    // Copy the CA's encoded subject so issuer/subject chaining compares byte-for-byte.
    issuer: caCert.subjectName,
    ...validity(opts.now ?? new Date(), opts.days),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      // digitalSignature alone: keyEncipherment does not apply to EC keys (RFC 5480, 3).
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(unique(opts.usages).map((u) => EKU_OIDS[u])),
      ...(altNames.length > 0 ? [new x509.SubjectAlternativeNameExtension(altNames)] : []),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return toKeyPairPem(cert, keys.privateKey);
}

export function describeCertificate(certPem: string): CertificateDescription {
  const cert = new X509Certificate(certPem);
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const entry of splitAltNames(cert.subjectAltName)) {
    if (entry.startsWith('DNS:')) dnsNames.push(entry.slice('DNS:'.length));
    else if (entry.startsWith('IP Address:')) {
      ipAddresses.push(canonicalIp(entry.slice('IP Address:'.length)));
    }
  }
  // Despite its name, node's `keyUsage` lists the *extended* key usage OIDs.
  const ekuOids = cert.keyUsage ?? [];
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    dnsNames,
    ipAddresses,
    notAfter: new Date(cert.validTo),
    isCa: cert.ca,
    extendedKeyUsages: (Object.keys(EKU_OIDS) as Usage[]).filter((u) => ekuOids.includes(EKU_OIDS[u])),
  };
}

export function certificateMatchesKey(certPem: string, keyPem: string): boolean {
  return new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
}

async function generateKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
}

async function toKeyPairPem(
  cert: x509.X509Certificate,
  privateKey: webcrypto.CryptoKey,
): Promise<KeyPairPem> {
  const pkcs8 = await subtle.exportKey('pkcs8', privateKey);
  return {
    certPem: `${cert.toString('pem')}\n`,
    keyPem: `${x509.PemConverter.encode(pkcs8, 'PRIVATE KEY')}\n`,
  };
}

async function importPrivateKeyPem(pem: string): Promise<webcrypto.CryptoKey> {
  const [der] = x509.PemConverter.decode(pem);
  if (der === undefined) throw new Error('CA key: no PEM block found');
  return subtle.importKey('pkcs8', der, KEY_ALGORITHM, false, ['sign']);
}

function validity(now: Date, days: number): { notBefore: Date; notAfter: Date } {
  return {
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter: new Date(now.getTime() + days * DAY_MS),
  };
}

// RFC 5280 requires positive serials of at most 20 octets; clearing the top
// bit avoids a sign-padding byte, so the DER INTEGER is never over 16 bytes.
function randomSerialNumber(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

// Node joins entries with ", ". It JSON-quotes values containing commas or
// quotes, but valid DNS names and IP addresses never contain those.
function splitAltNames(san: string | undefined): string[] {
  return san ? san.split(', ') : [];
}

// Node prints IPv6 SANs fully expanded ("0:0:0:0:0:0:0:1"); compress them so
// callers can compare with the addresses they asked for.
function canonicalIp(ip: string): string {
  return ip.includes(':') ? new URL(`http://[${ip}]`).hostname.slice(1, -1) : ip;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** Whether `caPem` signed `certPem` (the signature, not only the names). */
export function signedBy(certPem: string, caPem: string): boolean {
  const cert = new X509Certificate(certPem);
  const ca = new X509Certificate(caPem);
  return cert.checkIssued(ca) && cert.verify(ca.publicKey);
}
