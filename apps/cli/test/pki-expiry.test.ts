import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selfSigned } from '@k8sm/testkit';
import test from 'ava';
import { certificateDeadlines, certificateExpiries, expiryTable, notAfterOf } from '../src/pki-expiry.js';
import { example, removeTempDirs, render, renderableExample, tempDir } from './helpers.js';

test.after.always(removeTempDirs);

/** What openssl itself reads in a certificate: the oracle for every row. */
function openssl(path: string) {
  const text = execFileSync(
    'openssl',
    ['x509', '-in', path, '-noout', '-enddate', '-issuer', '-ext', 'basicConstraints'],
    {
      encoding: 'utf8',
    },
  );
  return {
    notAfter: new Date(/^notAfter=(.*)$/m.exec(text)?.[1] ?? '').toISOString(),
    issuerCn: /^issuer=.*CN ?= ?([^,\n]+)/m.exec(text)?.[1]?.trim(),
    isCa: /CA:TRUE/.test(text),
  };
}

test('pki --check-expiration lists every certificate of the PKI dir with the expiry, issuer and CA flag openssl reads, soonest first', (t) => {
  const cwd = tempDir();
  const { file, pkiDir } = renderableExample('k8s-1.6-standalone-ha.yaml', cwd);
  const json = render(['pki', file, '--check-expiration', '--json'], cwd);
  t.is(json.code, 0, json.stderr);
  const rows = JSON.parse(json.stdout) as {
    path: string;
    notAfter: string;
    issuer: string;
    isCa: boolean;
    daysLeft: number;
  }[];
  const crts = execFileSync('find', [pkiDir ?? '', '-name', '*.crt'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  t.is(rows.length, crts.length);
  t.true(rows.length > 20);
  for (const row of rows) {
    const real = openssl(row.path);
    // openssl prints seconds; node's validTo the same instant
    t.is(row.notAfter.replace(/\.\d+Z$/, 'Z'), real.notAfter.replace(/\.\d+Z$/, 'Z'), row.path);
    t.is(row.isCa, real.isCa, row.path);
    t.is(row.issuer, real.issuerCn ?? '(no CN)', row.path);
  }
  t.deepEqual(
    rows.map((r) => r.notAfter),
    [...rows.map((r) => r.notAfter)].sort(),
    'soonest first',
  );
  // leaves for a year (kubeadm's choice), CAs for ten
  t.true(rows.filter((r) => !r.isCa).every((r) => r.daysLeft >= 363 && r.daysLeft <= 365));
  t.true(rows.filter((r) => r.isCa).every((r) => r.daysLeft > 3600));
  const table = render(['pki', file, '--check-expiration'], cwd);
  t.regex(table.stdout, /^CERTIFICATE +EXPIRES +RESIDUAL TIME +CERTIFICATE AUTHORITY +CA$/m);
  t.regex(table.stdout, /etcd\/ca\.crt +\d{4}-\d\d-\d\d \d\d:\d\d UTC +9y 36\dd +\(self-signed\) +yes$/m);
  t.false(table.stdout.includes('PRIVATE KEY'));
  // nothing is written: a spec whose PKI dir does not exist yet gets the way out, and no dir
  const fresh = tempDir();
  writeFileSync(join(fresh, 'spec.yaml'), readFileSync(example('k8s-1.6-standalone-ha.yaml'), 'utf8'));
  const none = render(['pki', 'spec.yaml', '--check-expiration'], fresh);
  t.is(none.code, 1);
  t.regex(none.stderr, /no certificate in .*: run k8sm-render pki spec\.yaml first/);
  t.false(existsSync(join(fresh, 'pki')));
  t.is(render(['pki', file, '--json'], cwd).code, 2, '--json alone is a usage error');
});

test('an expired certificate reads "expired Nd ago" with negative days left', (t) => {
  const cwd = tempDir();
  const { pkiDir } = renderableExample('k8s-1.6-standalone-ha.yaml', cwd);
  const later = new Date(Date.now() + 400 * 86_400_000);
  const rows = certificateExpiries([pkiDir ?? ''], later);
  const leaf = rows.find((r) => !r.isCa);
  t.truthy(leaf);
  t.true((leaf?.daysLeft ?? 0) < 0);
  t.regex(expiryTable(rows), /expired 3[5-6]d ago/);
});

// The render's expiry warning reads notAfter from the DER; openssl and X509Certificate are the oracles.
test('notAfterOf reads the expiry openssl reads, in UTCTime (to 2049) and GeneralizedTime (from 2050)', (t) => {
  const cwd = tempDir();
  const { pkiDir } = renderableExample('k8s-1.6-standalone-ha.yaml', cwd);
  const ours = execFileSync('find', [pkiDir ?? '', '-name', '*.crt'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  // openssl's own, either side of the 2050 switch of RFC 5280
  const theirs = [1, 8000, 9500, 40_000].map(
    (days) => selfSigned(cwd, { days, name: `openssl-${days}` }).certFile,
  );
  const times = new Set<number>();
  for (const path of [...ours, ...theirs]) {
    const pem = readFileSync(path, 'utf8');
    const fast = notAfterOf(pem);
    t.is(fast?.toISOString(), openssl(path).notAfter, path);
    t.is(fast?.getTime(), new Date(new X509Certificate(pem).validTo).getTime(), path);
    times.add(new Date(fast ?? 0).getUTCFullYear() >= 2050 ? 1 : 0);
  }
  t.deepEqual([...times].sort(), [0, 1], 'both time encodings were read');
  // not a certificate, or cut short: undefined, and the caller asks X509Certificate
  const pem = readFileSync(theirs[0] ?? '', 'utf8');
  t.is(notAfterOf('-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n'), undefined);
  t.is(notAfterOf(pem.replace(/\n[^\n]*\n-----END/, '\n-----END')), undefined);
  t.is(notAfterOf('no PEM here'), undefined);
  // the warning's rows are the table's rows, without the parse
  const full = certificateExpiries([pkiDir ?? '']);
  t.deepEqual(
    certificateDeadlines([pkiDir ?? '']),
    full.map(({ path, notAfter, daysLeft }) => ({ path, notAfter, daysLeft })),
  );
});
