import { execFile } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import test from 'ava';
import {
  certificateMatchesKey,
  createCertificateAuthority,
  describeCertificate,
  type IssueCertificateOptions,
  issueCertificate,
  type KeyPairPem,
} from '../src/x509.js';

const DAY_MS = 24 * 60 * 60 * 1000;

let workDir = '';
let ca: KeyPairPem;
let otherCa: KeyPairPem;

test.before(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'x509-test-'));
  ca = await createCertificateAuthority({ commonName: 'test-ca', days: 30 });
  otherCa = await createCertificateAuthority({ commonName: 'other-ca', days: 30 });
});

test.after.always(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

function leaf(opts: Partial<IssueCertificateOptions> = {}): Promise<KeyPairPem> {
  return issueCertificate({
    ca,
    commonName: 'etcd-1',
    dnsNames: ['etcd-1', 'localhost'],
    ipAddresses: ['127.0.41.1', '127.0.0.1'],
    usages: ['server'],
    days: 7,
    ...opts,
  });
}

let fileCounter = 0;
async function writeTemp(contents: string): Promise<string> {
  const path = join(workDir, `f${fileCounter++}.pem`);
  await writeFile(path, contents);
  return path;
}

type ExecResult = { ok: boolean; stdout: string; stderr: string };
function openssl(args: string[]): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile('/usr/bin/openssl', args, (error, stdout, stderr) => {
      resolve({ ok: error === null, stdout, stderr });
    });
  });
}

async function opensslText(certPem: string): Promise<string> {
  const res = await openssl(['x509', '-noout', '-text', '-in', await writeTemp(certPem)]);
  if (!res.ok) throw new Error(res.stderr);
  return res.stdout;
}

async function opensslVerify(leafPem: string, purpose: string): Promise<ExecResult> {
  const caFile = await writeTemp(ca.certPem);
  return openssl(['verify', '-purpose', purpose, '-CAfile', caFile, await writeTemp(leafPem)]);
}

test('CA is a CA and the leaf is not', async (t) => {
  const caCert = new X509Certificate(ca.certPem);
  const leafCert = new X509Certificate((await leaf()).certPem);
  t.true(caCert.ca);
  t.false(leafCert.ca);
  t.true(caCert.verify(caCert.publicKey), 'CA is self-signed');
  t.is(caCert.subject, 'CN=test-ca');
  t.is(leafCert.issuer, 'CN=test-ca');
});

test('leaf verifies against its CA and not against another CA', async (t) => {
  const leafCert = new X509Certificate((await leaf()).certPem);
  t.true(leafCert.verify(new X509Certificate(ca.certPem).publicKey));
  t.false(leafCert.verify(new X509Certificate(otherCa.certPem).publicKey));
  t.true(leafCert.checkIssued(new X509Certificate(ca.certPem)));
  t.false(leafCert.checkIssued(new X509Certificate(otherCa.certPem)));
});

test('CA extensions: critical basicConstraints and keyUsage, SKI', async (t) => {
  const text = await opensslText(ca.certPem);
  t.regex(text, /X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
  t.regex(text, /X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign\n/);
  t.regex(text, /X509v3 Subject Key Identifier:\s+[0-9A-F:]{59}/);
  t.regex(text, /Signature Algorithm: ecdsa-with-SHA256/);
  t.regex(text, /ASN1 OID: prime256v1/);
});

test('leaf extensions: CA:FALSE, key usages, AKI matches CA SKI', async (t) => {
  const caText = await opensslText(ca.certPem);
  const text = await opensslText((await leaf({ organization: 'ACME, Inc.' })).certPem);
  t.regex(text, /X509v3 Basic Constraints: critical\s+CA:FALSE/);
  t.regex(text, /X509v3 Key Usage: critical\s+Digital Signature\n/);
  t.regex(text, /X509v3 Subject Key Identifier:\s+[0-9A-F:]{59}/);
  t.regex(text, /Subject: CN = etcd-1, O = "ACME, Inc."/);

  const caSki = /X509v3 Subject Key Identifier:\s+([0-9A-F:]+)/.exec(caText)?.[1];
  const leafAki = /X509v3 Authority Key Identifier:\s+(?:keyid:)?([0-9A-F:]+)/.exec(text)?.[1];
  t.truthy(caSki);
  t.is(leafAki, caSki);
});

test('subjectAltName carries DNS and IP entries', async (t) => {
  const leafCert = new X509Certificate((await leaf()).certPem);
  const san = leafCert.subjectAltName ?? '';
  for (const entry of ['DNS:etcd-1', 'DNS:localhost', 'IP Address:127.0.41.1', 'IP Address:127.0.0.1']) {
    t.true(san.includes(entry), `${entry} in ${san}`);
  }
  t.is(leafCert.checkIP('127.0.41.1'), '127.0.41.1');
  t.is(leafCert.checkIP('10.9.9.9'), undefined);
  t.is(leafCert.checkHost('etcd-1'), 'etcd-1');
  t.is(leafCert.checkHost('etcd-2'), undefined);
});

test('leaf without SANs has no subjectAltName extension', async (t) => {
  const { certPem } = await issueCertificate({
    ca,
    commonName: 'kube-admin',
    organization: 'system:masters',
    usages: ['client'],
    days: 1,
  });
  t.is(new X509Certificate(certPem).subjectAltName, undefined);
});

test('server-only EKU: openssl accepts sslserver, rejects sslclient', async (t) => {
  const { certPem } = await leaf({ usages: ['server'] });
  const server = await opensslVerify(certPem, 'sslserver');
  t.true(server.ok, server.stderr);
  t.regex(server.stdout, /: OK/);
  const client = await opensslVerify(certPem, 'sslclient');
  t.false(client.ok);
  t.regex(client.stdout + client.stderr, /error 26 .*unsuitable certificate purpose/);

  const text = await opensslText(certPem);
  t.regex(text, /TLS Web Server Authentication/);
  t.notRegex(text, /TLS Web Client Authentication/);
});

test('client-only EKU: openssl accepts sslclient, rejects sslserver', async (t) => {
  const { certPem } = await leaf({ usages: ['client'] });
  t.true((await opensslVerify(certPem, 'sslclient')).ok);
  t.false((await opensslVerify(certPem, 'sslserver')).ok);
});

test('server+client EKU: openssl accepts both purposes', async (t) => {
  const { certPem } = await leaf({ usages: ['server', 'client'] });
  const server = await opensslVerify(certPem, 'sslserver');
  const client = await opensslVerify(certPem, 'sslclient');
  t.true(server.ok, server.stderr);
  t.true(client.ok, client.stderr);
  const text = await opensslText(certPem);
  t.regex(text, /TLS Web Server Authentication, TLS Web Client Authentication/);
});

test('leaf signed by another CA fails openssl verify', async (t) => {
  const foreign = await issueCertificate({ ca: otherCa, commonName: 'x', usages: ['server'], days: 1 });
  t.false((await opensslVerify(foreign.certPem, 'sslserver')).ok);
});

test('private keys are PKCS#8 P-256 and match their certificate', async (t) => {
  const pair = await leaf();
  for (const keyPem of [pair.keyPem, ca.keyPem]) {
    t.true(keyPem.startsWith('-----BEGIN PRIVATE KEY-----\n'));
    t.true(keyPem.endsWith('-----END PRIVATE KEY-----\n'));
    const res = await openssl(['pkey', '-in', await writeTemp(keyPem), '-noout']);
    t.true(res.ok, res.stderr);
    const key = createPrivateKey(keyPem);
    t.is(key.asymmetricKeyType, 'ec');
    t.is(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  }
  t.true(pair.certPem.startsWith('-----BEGIN CERTIFICATE-----\n'));
  t.true(certificateMatchesKey(pair.certPem, pair.keyPem));
  t.true(certificateMatchesKey(ca.certPem, ca.keyPem));
  t.false(certificateMatchesKey(pair.certPem, ca.keyPem));
  t.false(certificateMatchesKey(ca.certPem, otherCa.keyPem));
});

test('serial numbers are random, positive and at most 16 bytes', async (t) => {
  const serials = await Promise.all(
    [1, 2, 3, 4].map(async () => new X509Certificate((await leaf()).certPem).serialNumber),
  );
  t.is(new Set(serials).size, serials.length);
  for (const serial of serials) {
    t.regex(serial, /^[0-9A-F]+$/);
    // node strips DER sign padding, so a set top bit here would mean a 17-byte INTEGER.
    t.true(serial.length <= 32, serial);
    if (serial.length === 32) t.true(parseInt(serial.slice(0, 2), 16) < 0x80, serial);
  }
});

test('`now` controls the validity window', async (t) => {
  const now = new Date('2031-05-06T07:08:09Z');
  const pair = await leaf({ now, days: 30 });
  const cert = new X509Certificate(pair.certPem);
  const notBefore = new Date(cert.validFrom).getTime();
  const notAfter = describeCertificate(pair.certPem).notAfter.getTime();
  t.true(Math.abs(notAfter - (now.getTime() + 30 * DAY_MS)) < 1000);
  t.true(Math.abs(notBefore - (now.getTime() - 5 * 60 * 1000)) < 1000);

  const caPair = await createCertificateAuthority({ commonName: 'future-ca', days: 365, now });
  const caNotAfter = describeCertificate(caPair.certPem).notAfter.getTime();
  t.true(Math.abs(caNotAfter - (now.getTime() + 365 * DAY_MS)) < 1000);
});

test('default validity starts 5 minutes before the current time', async (t) => {
  // bounded by the clock before and after issuing (key generation is slow on a loaded machine);
  // X.509 times have whole seconds, so the lower bound allows the truncated second
  const before = Date.now();
  const cert = new X509Certificate((await leaf({ days: 2 })).certPem);
  const after = Date.now();
  const notBefore = new Date(cert.validFrom).getTime();
  t.true(notBefore <= after - 5 * 60 * 1000);
  t.true(notBefore >= before - 5 * 60 * 1000 - 1000);
});

test('describeCertificate reports what reuse checks need', async (t) => {
  const pair = await leaf({
    organization: 'system:nodes',
    dnsNames: ['etcd-1', 'localhost'],
    ipAddresses: ['127.0.41.1', '::1'],
    usages: ['client', 'server'],
  });
  const d = describeCertificate(pair.certPem);
  t.is(d.subject, 'CN=etcd-1\nO=system:nodes');
  t.is(d.issuer, 'CN=test-ca');
  t.deepEqual(d.dnsNames, ['etcd-1', 'localhost']);
  t.deepEqual(d.ipAddresses, ['127.0.41.1', '::1']);
  t.false(d.isCa);
  t.deepEqual(d.extendedKeyUsages, ['server', 'client']);

  const dCa = describeCertificate(ca.certPem);
  t.true(dCa.isCa);
  t.deepEqual(dCa.dnsNames, []);
  t.deepEqual(dCa.ipAddresses, []);
  t.deepEqual(dCa.extendedKeyUsages, []);

  t.deepEqual(describeCertificate((await leaf({ usages: ['server'] })).certPem).extendedKeyUsages, [
    'server',
  ]);
});

test('issueCertificate rejects an empty usages list', async (t) => {
  await t.throwsAsync(leaf({ usages: [] }), { message: /usages/ });
});

type HandshakeResult = { ok: boolean; clientError?: string; serverError?: string };

// Server sends a greeting only after it accepted the client; with TLS 1.3 the
// client's secureConnect fires before the server has checked the client cert.
async function handshake(server: KeyPairPem, client: Partial<KeyPairPem>): Promise<HandshakeResult> {
  let serverError: string | undefined;
  const srv = tls.createServer(
    {
      cert: server.certPem,
      key: server.keyPem,
      ca: [ca.certPem],
      requestCert: true,
      rejectUnauthorized: true,
    },
    (socket) => socket.end('hello\n'),
  );
  // When Node rejects an unauthorized client it just destroys the socket
  // ("socket hang up"); the verification reason is left on the socket.
  srv.on('tlsClientError', (err: NodeJS.ErrnoException, socket: tls.TLSSocket) => {
    serverError = socket.authorizationError?.toString() ?? err.code ?? err.message;
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const address = srv.address();
  if (address === null || typeof address === 'string') throw new Error('no port');

  let socket: tls.TLSSocket | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const outcome = new Promise<{ ok: boolean; clientError?: string }>((resolve) => {
      // host is an IP, so the default checkServerIdentity matches it against IP SANs.
      socket = tls.connect({
        host: '127.0.0.1',
        port: address.port,
        ca: [ca.certPem],
        ...(client.certPem !== undefined ? { cert: client.certPem } : {}),
        ...(client.keyPem !== undefined ? { key: client.keyPem } : {}),
      });
      let data = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (data += chunk));
      socket.on('error', (err: NodeJS.ErrnoException) =>
        resolve({ ok: false, clientError: err.code ?? err.message }),
      );
      socket.on('close', () => resolve({ ok: data === 'hello\n' }));
    });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('TLS handshake timed out')), 5000);
    });
    const result = await Promise.race([outcome, timeout]);
    // Give the server a tick to report its side of a failed handshake.
    await new Promise((resolve) => setImmediate(resolve));
    return serverError === undefined ? result : { ...result, serverError };
  } finally {
    clearTimeout(timer);
    socket?.destroy();
    await new Promise<void>((resolve) => srv.close(() => resolve()));
  }
}

test('mutual TLS handshake succeeds with server and client leaves', async (t) => {
  const server = await leaf({ usages: ['server'] });
  const client = await issueCertificate({ ca, commonName: 'etcd-client', usages: ['client'], days: 1 });
  const result = await handshake(server, client);
  t.deepEqual(result, { ok: true });
});

test('mutual TLS handshake fails without a client certificate', async (t) => {
  const server = await leaf({ usages: ['server'] });
  const result = await handshake(server, {});
  t.false(result.ok);
  t.is(result.serverError, 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE');
  t.truthy(result.clientError);
});

test('mutual TLS handshake fails when the client cert lacks clientAuth', async (t) => {
  const server = await leaf({ usages: ['server'] });
  const client = await issueCertificate({ ca, commonName: 'not-a-client', usages: ['server'], days: 1 });
  const result = await handshake(server, client);
  t.false(result.ok);
  t.is(result.serverError, 'INVALID_PURPOSE');
});

test('mutual TLS handshake fails when the client cert is from another CA', async (t) => {
  const server = await leaf({ usages: ['server'] });
  const client = await issueCertificate({ ca: otherCa, commonName: 'stranger', usages: ['client'], days: 1 });
  const result = await handshake(server, client);
  t.false(result.ok);
  t.is(result.serverError, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
});

test('TLS client rejects a server cert without a matching IP SAN', async (t) => {
  const server = await leaf({ usages: ['server'], ipAddresses: ['127.0.41.1'] });
  const client = await issueCertificate({ ca, commonName: 'etcd-client', usages: ['client'], days: 1 });
  const result = await handshake(server, client);
  t.false(result.ok);
  t.is(result.clientError, 'ERR_TLS_CERT_ALTNAME_INVALID');
});

// The CA is parsed and its key imported once per CA object (signerOf): a CA object given other
// PEMs must sign with those, and openssl is the judge of which CA signed.
test('one CA object signs many leaves; given another CA’s PEMs it signs with that CA', async (t) => {
  const shared: KeyPairPem = { ...ca };
  const verifies = async (leafPem: string, by: KeyPairPem) =>
    (await openssl(['verify', '-CAfile', await writeTemp(by.certPem), await writeTemp(leafPem)])).ok;
  const first = await leaf({ ca: shared });
  const second = await leaf({ ca: shared, commonName: 'etcd-2' });
  t.true(await verifies(first.certPem, ca));
  t.true(await verifies(second.certPem, ca));
  shared.certPem = otherCa.certPem;
  shared.keyPem = otherCa.keyPem;
  const third = await leaf({ ca: shared, commonName: 'etcd-3' });
  t.true(await verifies(third.certPem, otherCa));
  t.false(await verifies(third.certPem, ca));
  // a key that does not import fails each time, not once
  const broken: KeyPairPem = { certPem: ca.certPem, keyPem: 'not a key' };
  await t.throwsAsync(leaf({ ca: broken }));
  await t.throwsAsync(leaf({ ca: broken }));
});
