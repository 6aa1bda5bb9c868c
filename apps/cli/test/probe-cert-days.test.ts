import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type SelfSigned, selfSigned } from '@k8sm/testkit';
import test from 'ava';
import { probeBin, removeTempDirs, runAsync, tempDir } from './helpers.js';

// The certificate a member shows in the TLS handshake, judged in days left. openssl makes the
// certificate (valid 10 days) and reads its end date: the oracle for not_after and the days.

const closers: (() => void)[] = [];
test.after.always(() => {
  for (const close of closers.splice(0)) close();
  removeTempDirs();
});

/** What openssl makes for the apiserver: valid 10 days, for 127.0.0.1. */
const apiserverCertificate = () =>
  selfSigned(tempDir(), { days: 10, subject: '/CN=apiserver', ip: '127.0.0.1' });

/** An apiserver's health endpoints over TLS with that certificate. */
async function apiserver(tls: SelfSigned): Promise<string> {
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    if (req.url?.startsWith('/version')) res.end('{"gitVersion":"v1.30.0"}');
    else res.end('ok');
  });
  closers.push(() => server.close());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const probe = (args: readonly string[]) => runAsync(probeBin, args);

test('--cert-warning/--cert-critical judge the days left on the certificate the member showed', async (t) => {
  const tls = apiserverCertificate();
  const url = await apiserver(tls);
  const ca = tls.certFile;
  const days = Math.floor((tls.notAfter.getTime() - Date.now()) / 86_400_000);
  t.true(days === 9 || days === 10, `${days}`);

  const ok = await probe(['--apiserver', url, '--cacert', ca, '--nagios', '--cert-warning', '5']);
  t.is(ok.code, 0, ok.stdout + ok.stderr);
  t.regex(ok.stdout, new RegExp(`'apiserver_cert_days'=${days};5:;`));

  const warn = await probe([
    '--apiserver',
    url,
    '--cacert',
    ca,
    '--nagios',
    '--cert-warning',
    '30',
    '--cert-critical',
    '5',
  ]);
  t.is(warn.code, 1, warn.stdout);
  t.regex(
    warn.stdout,
    /^K8SM WARNING - .*the certificate of https:\/\/127\.0\.0\.1:\d+ expires in \d+ day\(s\), under --cert-warning 30/,
  );
  t.regex(warn.stdout, new RegExp(`'apiserver_cert_days'=${days};30:;5:`));

  const crit = await probe(['--apiserver', url, '--cacert', ca, '--cert-critical', '12']);
  t.is(crit.code, 2, crit.stdout);

  // the exposition's not_after is the certificate's end date, as openssl reads it
  const prom = await probe(['--apiserver', url, '--cacert', ca, '--prometheus']);
  const seconds = /^k8sm_member_certificate_not_after_seconds\{[^}]*\} (\d+)$/m.exec(prom.stdout)?.[1];
  t.is(Number(seconds), tls.notAfter.getTime() / 1000, prom.stdout);

  const json = JSON.parse((await probe(['--apiserver', url, '--cacert', ca, '--json'])).stdout) as {
    ensembles: { members: { certificate?: { notAfter: string; subject?: string } }[] }[];
  };
  t.is(json.ensembles[0]?.members[0]?.certificate?.notAfter, tls.notAfter.toISOString());
  t.is(json.ensembles[0]?.members[0]?.certificate?.subject, 'apiserver');
});

test('a member whose TLS handshake fails shows no certificate; the limits in the wrong order are a usage error', async (t) => {
  const url = await apiserver(apiserverCertificate());
  // not verified: the handshake fails (UNKNOWN, with the fix), so no certificate is read or judged
  const r = await probe(['--apiserver', url, '--nagios', '--cert-critical', '400']);
  t.is(r.code, 3, r.stdout);
  t.regex(r.stdout, /refused the probe's TLS handshake/);
  t.notRegex(r.stdout, /cert_days/);
  const order = await probe(['--apiserver', url, '--cert-warning', '5', '--cert-critical', '10']);
  t.is(order.code, 3);
  t.regex(order.stderr, /--cert-warning 5 is below --cert-critical 10/);
});
