import { spawnSync } from 'node:child_process';
import { linkSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { noStack, removeTempDirs, render, renderableExample, snapshot, tempDir } from './helpers.js';

// `k8sm-render pki --renew` against openssl: what it re-issued must verify against the CA the PKI
// dir holds (or the new one with --renew-ca), carry a key that is its own, and leave the CA alone.

test.after.always(removeTempDirs);

const openssl = (args: readonly string[]) => spawnSync('openssl', args, { encoding: 'utf8' });
const serial = (file: string) => openssl(['x509', '-noout', '-serial', '-in', file]).stdout.trim();
const verifies = (ca: string, leaf: string) => openssl(['verify', '-CAfile', ca, leaf]).status === 0;
const publicKeyOfCert = (file: string) => openssl(['x509', '-noout', '-pubkey', '-in', file]).stdout;
const publicKeyOfKey = (file: string) => openssl(['pkey', '-pubout', '-in', file]).stdout;

const LEAF = 'etcd/kube-controller01/server';
const K8S_LEAF = 'kubernetes/front-proxy-client';

function issued(): { cwd: string; file: string; dir: string } {
  const cwd = tempDir();
  const { file, pkiDir } = renderableExample('k8s-1.6-standalone-ha.yaml', cwd);
  return { cwd, file, dir: pkiDir ?? '' };
}

test('--renew re-issues every leaf with a new key from the kept CA; --dry-run writes nothing', (t) => {
  const { cwd, file, dir } = issued();
  const before = snapshot(dir);
  const oldSerial = serial(join(dir, `${LEAF}.crt`));
  // a hard link to the old certificate (a backup, a deploy in progress) must keep the old bytes
  const kept = join(cwd, 'old-server.crt');
  linkSync(join(dir, `${LEAF}.crt`), kept);
  const oldPem = readFileSync(kept, 'utf8');

  const dry = render(['pki', file, '--renew', '--dry-run'], cwd);
  t.is(dry.code, 0, dry.stderr);
  t.regex(dry.stdout, /would renew 24 certificate\(s\), CA kept/);
  t.deepEqual(snapshot(dir), before, '--dry-run changed the PKI dir');

  const r = render(['pki', file, '--renew'], cwd);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /renewed 24 certificate\(s\), CA kept/);
  const after = snapshot(dir);
  for (const ca of ['etcd/ca.crt', 'etcd/ca.key', 'kubernetes/ca.crt', 'kubernetes/ca.key'])
    t.is(after[ca], before[ca], `${ca} changed`);
  const leaves: [string, string][] = [
    [LEAF, 'etcd/ca'],
    [K8S_LEAF, 'kubernetes/front-proxy-ca'],
    ['etcd/healthcheck-client', 'etcd/ca'],
    ['kubernetes/apiserver-healthcheck-client', 'kubernetes/ca'],
  ];
  for (const ca of ['etcd/ca', 'kubernetes/ca', 'kubernetes/front-proxy-ca'])
    t.is(after[`${ca}.key`], before[`${ca}.key`], `${ca}.key changed`);
  for (const [leaf, ca] of leaves) {
    const [crt, key] = [join(dir, `${leaf}.crt`), join(dir, `${leaf}.key`)];
    t.not(after[`${leaf}.crt`], before[`${leaf}.crt`], `${leaf}.crt not renewed`);
    t.not(after[`${leaf}.key`], before[`${leaf}.key`], `${leaf}.key kept`);
    t.true(verifies(join(dir, `${ca}.crt`), crt), `${leaf} does not verify against ${ca}`);
    t.is(publicKeyOfCert(crt), publicKeyOfKey(key), `${leaf}: the key is not the certificate's`);
    t.is(statSync(key).mode & 0o777, 0o600);
  }
  t.not(serial(join(dir, `${LEAF}.crt`)), oldSerial);
  t.is(readFileSync(kept, 'utf8'), oldPem, 'the renewal wrote through a hard link into the old file');
  // the service-account key pair is no certificate: kept
  t.is(after['kubernetes/sa.key'], before['kubernetes/sa.key']);
  // the rendered hosts get the new certificates
  const out = render([file, '-o', 'out'], cwd);
  t.is(out.code, 0, out.stderr);
  t.is(
    readFileSync(join(cwd, 'out/hosts/kube-controller01/etc/etcd/ssl/server.crt'), 'utf8'),
    readFileSync(join(dir, `${LEAF}.crt`), 'utf8'),
  );
});

test('--renew --renew-ca: a new CA, and every leaf verifies against it and not against the old one', (t) => {
  const { cwd, file, dir } = issued();
  const oldCa = join(cwd, 'old-ca.crt');
  writeFileSync(oldCa, readFileSync(join(dir, 'etcd/ca.crt')));
  const r = render(['pki', file, '--renew', '--renew-ca'], cwd);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /the CA included/);
  t.not(readFileSync(join(dir, 'etcd/ca.crt'), 'utf8'), readFileSync(oldCa, 'utf8'));
  t.true(verifies(join(dir, 'etcd/ca.crt'), join(dir, `${LEAF}.crt`)));
  t.false(verifies(oldCa, join(dir, `${LEAF}.crt`)));
  t.is(render(['pki', file, '--renew-ca'], cwd).code, 2, '--renew-ca alone');
});

test('--renew is all or nothing: a CA without its key renews nothing, in any PKI set', (t) => {
  const { cwd, file, dir } = issued();
  rmSync(join(dir, 'etcd/ca.key'));
  const before = snapshot(dir);
  const r = render(['pki', file, '--renew'], cwd);
  t.is(r.code, 1, r.stdout);
  t.regex(r.stderr, /nothing was renewed/);
  t.regex(r.stderr, /etcd\/ca\.key is missing: .*--renew-ca/);
  t.true(noStack(r.stderr), r.stderr);
  t.deepEqual(snapshot(dir), before, 'a PKI dir changed though the renewal failed');
});

test('--check-expiration --warn-days exits 3 while a certificate expires within the window; render warns', (t) => {
  const { cwd, file } = issued();
  const soon = render(['pki', file, '--check-expiration', '--warn-days', '400'], cwd);
  t.is(soon.code, 3, soon.stderr);
  t.regex(soon.stderr, /24 certificate\(s\) expire within 400 days .*--renew/);
  t.regex(soon.stdout, /^CERTIFICATE/);
  t.is(render(['pki', file, '--check-expiration', '--warn-days', '30'], cwd).code, 0);
  t.is(render(['pki', file, '--warn-days', '30'], cwd).code, 2, '--warn-days alone');

  const quiet = render([file, '--dry-run'], cwd);
  t.is(quiet.code, 0, quiet.stderr);
  t.notRegex(quiet.stderr, /expire within/);
  // a year-long leaf is inside a window of 400 days
  const spec = join(cwd, 'window.yaml');
  writeFileSync(spec, `${readFileSync(file, 'utf8')}\nmonitoring:\n  certificateWarningDays: 400\n`);
  const warned = render([spec, '-o', 'out'], cwd);
  t.is(warned.code, 0, warned.stderr);
  t.regex(
    warned.stderr,
    /warning: 24 certificate\(s\) in .* expire within 400 days \(monitoring\.certificateWarningDays\), the soonest \S+\.crt in 36[45] day\(s\): renew with k8sm-render pki .* --renew/,
  );
});
