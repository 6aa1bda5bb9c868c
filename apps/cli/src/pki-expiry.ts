import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { readPkiFile, scanPkiTree } from './pki-tree.js';

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

/** Every `.crt` below each dir (read as the PKI dir is read: no link followed), soonest expiry first. */
export function certificateExpiries(dirs: readonly string[], now = new Date()): CertificateExpiry[] {
  const rows: CertificateExpiry[] = [];
  for (const dir of dirs) {
    const tree = scanPkiTree(dir);
    for (const path of [...tree.files].filter((p) => p.endsWith('.crt')).sort()) {
      const pem = readPkiFile(tree, path);
      if (pem === undefined) continue;
      const cert = new X509Certificate(pem);
      const notAfter = new Date(cert.validTo);
      rows.push({
        path: join(dir, path),
        subject: commonName(cert.subject),
        issuer: commonName(cert.issuer),
        notAfter: notAfter.toISOString(),
        daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000),
        isCa: cert.ca,
      });
    }
  }
  return rows.sort((a, b) => a.notAfter.localeCompare(b.notAfter) || a.path.localeCompare(b.path));
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
