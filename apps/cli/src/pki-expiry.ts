import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { type PkiReads, READ_AFRESH } from './pki-tree.js';

/** One certificate of a PKI dir, as `kubeadm certs check-expiration` lists them. */
export interface CertificateExpiry {
  /** the file, below the PKI dir */
  readonly path: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notAfter: string;
  /** whole days left; negative once expired */
  readonly daysLeft: number;
  readonly isCa: boolean;
}

const commonName = (dn: string) => /(?:^|\n)CN=([^\n]*)/.exec(dn)?.[1] ?? dn.replaceAll('\n', ', ');

/** Every `.crt` below each dir, read as the PKI dir is read (no link followed), in path order. */
function* certificatesIn(
  dirs: readonly string[],
  reads: PkiReads = READ_AFRESH,
): Generator<{ path: string; pem: string }> {
  for (const dir of dirs) {
    const tree = reads.scan(dir);
    for (const path of [...tree.files].filter((p) => p.endsWith('.crt')).sort()) {
      const pem = reads.read(tree, path);
      if (pem !== undefined) yield { path: join(dir, path), pem };
    }
  }
}

const daysLeft = (notAfter: Date, now: Date) => Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000);
const soonestFirst = <R extends { path: string; notAfter: string }>(rows: R[]): R[] =>
  rows.sort((a, b) => a.notAfter.localeCompare(b.notAfter) || a.path.localeCompare(b.path));

/** Every `.crt` below each dir, soonest expiry first, as `kubeadm certs check-expiration` lists them. */
export function certificateExpiries(dirs: readonly string[], now = new Date()): CertificateExpiry[] {
  const rows: CertificateExpiry[] = [];
  for (const { path, pem } of certificatesIn(dirs)) {
    const cert = new X509Certificate(pem);
    const notAfter = new Date(cert.validTo);
    rows.push({
      path,
      subject: commonName(cert.subject),
      issuer: commonName(cert.issuer),
      notAfter: notAfter.toISOString(),
      daysLeft: daysLeft(notAfter, now),
      isCa: cert.ca,
    });
  }
  return soonestFirst(rows);
}

/**
 * Every `.crt` below each dir with its expiry only, soonest first: what a render warns of. Read
 * from the DER where it can be (`notAfterOf`): parsing every certificate whole with
 * X509Certificate took 577 ms of a 10,000-host `--dry-run` (10,041 certificates).
 */
export function certificateDeadlines(
  dirs: readonly string[],
  now = new Date(),
  reads: PkiReads = READ_AFRESH,
): Pick<CertificateExpiry, 'path' | 'notAfter' | 'daysLeft'>[] {
  const rows = [...certificatesIn(dirs, reads)].map(({ path, pem }) => {
    const notAfter = notAfterOf(pem) ?? new Date(new X509Certificate(pem).validTo);
    return { path, notAfter: notAfter.toISOString(), daysLeft: daysLeft(notAfter, now) };
  });
  return soonestFirst(rows);
}

/**
 * The notAfter of the first certificate of a PEM text, read from its DER: RFC 5280 4.1, the
 * validity is the tbsCertificate's fifth field (after the optional [0] version, the serial
 * number, the signature algorithm and the issuer), a UTCTime before 2050 and a GeneralizedTime
 * from then on (4.1.2.5). Undefined for anything not shaped so; the caller then asks
 * X509Certificate, which says what is wrong.
 */
export function notAfterOf(pem: string): Date | undefined {
  const base64 = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----/.exec(pem)?.[1];
  if (base64 === undefined) return undefined;
  const der = Buffer.from(base64, 'base64');
  // one TLV at `at`: its tag and where its content starts and ends (definite lengths only, as DER)
  const tlv = (at: number) => {
    if (at + 2 > der.length) return undefined;
    let length = der[at + 1] as number;
    let start = at + 2;
    if (length & 0x80) {
      const octets = length & 0x7f;
      if (octets < 1 || octets > 4 || start + octets > der.length) return undefined;
      length = 0;
      for (let i = 0; i < octets; i++) length = length * 256 + (der[start + i] as number);
      start += octets;
    }
    const end = start + length;
    return end > der.length ? undefined : { tag: der[at] as number, start, end };
  };
  const certificate = tlv(0);
  const tbs = certificate?.tag === 0x30 ? tlv(certificate.start) : undefined;
  if (tbs?.tag !== 0x30) return undefined;
  let field = tlv(tbs.start);
  if (field?.tag === 0xa0) field = tlv(field.end); // version
  for (const tag of [0x02, 0x30, 0x30]) {
    // serial number, signature algorithm, issuer
    if (field?.tag !== tag) return undefined;
    field = tlv(field.end);
  }
  if (field?.tag !== 0x30) return undefined;
  const notBefore = tlv(field.start);
  const notAfter =
    notBefore && (notBefore.tag === 0x17 || notBefore.tag === 0x18) ? tlv(notBefore.end) : undefined;
  if (!notAfter || notAfter.end > field.end) return undefined;
  const text = der.toString('latin1', notAfter.start, notAfter.end);
  const parts =
    notAfter.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : notAfter.tag === 0x18
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (!parts) return undefined;
  const [year, month, day, hour, minute, second] = parts.slice(1).map(Number) as number[];
  const fullYear = notAfter.tag === 0x17 ? ((year as number) >= 50 ? 1900 : 2000) + (year as number) : year;
  return new Date(Date.UTC(fullYear as number, (month as number) - 1, day, hour, minute, second));
}

/** "364d", "9y 364d", or "expired 3d ago": the residual time column. */
function residual(days: number): string {
  if (days < 0) return `expired ${-days}d ago`;
  const years = Math.floor(days / 365);
  return years > 0 ? `${years}y ${days % 365}d` : `${days}d`;
}

export function expiryTable(rows: readonly CertificateExpiry[]): string {
  const head = ['CERTIFICATE', 'EXPIRES', 'RESIDUAL TIME', 'CERTIFICATE AUTHORITY', 'CA'];
  const body = rows.map((r) => [
    r.path,
    `${r.notAfter.slice(0, 16).replace('T', ' ')} UTC`,
    residual(r.daysLeft),
    r.isCa && r.issuer === r.subject ? '(self-signed)' : r.issuer,
    r.isCa ? 'yes' : 'no',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]?.length ?? 0)));
  return [head, ...body]
    .map((row) =>
      row
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
