import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A certificate openssl made: its PEM and key, their files, and the end date openssl reads. */
export interface SelfSigned {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
  readonly notAfter: Date;
}

/**
 * A self-signed P-256 certificate made by openssl itself (`req -x509`), written to
 * `<dir>/<name>.crt` and `<dir>/<name>.key`: for the tests that need a certificate k8sm did not
 * issue (a member's TLS, an expiry to read back). `ip` adds it as a subjectAltName.
 */
export function selfSigned(
  dir: string,
  options: { readonly days: number; readonly name?: string; readonly subject?: string; readonly ip?: string },
): SelfSigned {
  const name = options.name ?? 'cert';
  const [certFile, keyFile] = [join(dir, `${name}.crt`), join(dir, `${name}.key`)];
  const r = spawnSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
      ...['-keyout', keyFile, '-out', certFile, '-days', String(options.days)],
      ...['-subj', options.subject ?? `/CN=${name}`],
      ...(options.ip === undefined ? [] : ['-addext', `subjectAltName=IP:${options.ip}`]),
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`openssl req: ${r.stderr}`);
  const end = spawnSync('openssl', ['x509', '-enddate', '-noout', '-in', certFile], { encoding: 'utf8' });
  return {
    certFile,
    keyFile,
    cert: readFileSync(certFile, 'utf8'),
    key: readFileSync(keyFile, 'utf8'),
    notAfter: new Date(/notAfter=(.*)/.exec(end.stdout)?.[1] ?? ''),
  };
}
