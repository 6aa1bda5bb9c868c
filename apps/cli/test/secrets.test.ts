import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { maskSecrets, SECRET_RULES, secretIn } from '../src/secrets.js';
import { removeTempDirs, render, renderBin, tempDir, writeSpec } from './helpers.js';

test.after.always(() => removeTempDirs());

const { privateKey: KEY } = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const KEY_BODY = KEY.split('\n')[1] ?? '';
const KEY_DATA = Buffer.from(KEY).toString('base64');

const kubeconfig = `apiVersion: v1
kind: Config
users:
- name: admin
  user:
    client-certificate-data: Y2VydA==
    client-key-data: ${KEY_DATA}
- name: robot
  user:
    token: s3cr3t-bearer-token
`;

// biome-ignore format: one row per kind of secret
const SECRETS: readonly (readonly [string, string, string])[] = [
  ['a PEM private key', `-----BEGIN RSA PRIVATE KEY-----\n${KEY_BODY}\n-----END RSA PRIVATE KEY-----\n`, KEY_BODY],
  ['a PEM private key', `cut off: ${KEY.slice(0, 80)}`, KEY_BODY.slice(0, 20)],
  ['a kubeconfig credential', `    client-key-data: ${KEY_DATA}\n`, KEY_DATA.slice(0, 40)],
  ['a kubeconfig credential', '    token: s3cr3t-bearer-token\n', 's3cr3t'],
  ['a kubeconfig credential', '{"user": {"password": "hunter2"}}', 'hunter2'],
  ['a kubeconfig credential', 'PASSWORD=hunter2\n', 'hunter2'],
  ['an HAProxy password', '    stats auth admin:hunter2\n', 'hunter2'],
  ['an HAProxy password', '    stats auth "admin:hunter2"\n', 'hunter2'],
  ['an HAProxy password', '    user admin insecure-password hunter2\n', 'hunter2'],
  ['a password in a URL', 'http://admin:hunter2@10.0.0.1:8080/v2/apps', 'hunter2'],
];

test('each kind of secret is found and masked, whatever the mode of its file', (t) => {
  for (const [rule, text, secret] of SECRETS) {
    t.true(text.includes(secret));
    const masked = maskSecrets(text);
    t.false(masked.includes(secret), `${rule}: ${masked}`);
    t.true(masked.includes('(masked)') || masked.includes(':***@'), masked);
    t.is(secretIn({ content: text, mode: 0o644 }), rule, text);
  }
  t.is(secretIn({ content: 'nothing to hide\n', mode: 0o600 }), 'mode 0600', 'a 0600 file stays a secret');
  t.deepEqual(
    SECRET_RULES.map((r) => r.name),
    [...new Set(SECRETS.map(([rule]) => rule))],
    'every rule has a row above',
  );
});

test('what is not a secret is printed as it is: ids, environment lookups, certificates, empty fields', (t) => {
  const certificate = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n';
  for (const text of [
    'initial-cluster-token: etcd-cluster-1\nETCD_INITIAL_CLUSTER_TOKEN=etcd-cluster-1\n',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: HAProxy's environment lookup
    '    stats auth "k8sm:${HAPROXY_STATS_PASSWORD}"\n',
    certificate,
    'password:\n  env: HAPROXY_STATS_PASSWORD\n',
    '--token-auth-file=/etc/kubernetes/tokens.csv\nclient-key: /etc/kubernetes/pki/admin.key\n',
    'http://10.0.0.1:8080/v2/apps user@host\n',
  ]) {
    t.is(maskSecrets(text), text);
    t.is(secretIn({ content: text, mode: 0o644 }), undefined, text);
  }
});

/** A rendered etcd output dir, for --check against it. */
function renderedOutput(): { cwd: string; spec: string } {
  const cwd = tempDir();
  const spec = writeSpec(cwd, 'spec.json', {
    name: 'e',
    hosts: ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((address, i) => ({
      name: `etcd-${i + 1}`,
      address,
      roles: ['etcd'],
    })),
    etcd: { version: '3.4.23' },
  });
  const r = render([spec, '-o', 'out'], cwd);
  if (r.code !== 0) throw new Error(r.stderr);
  return { cwd, spec };
}

test('--check: a 0644 kubeconfig and key that are no longer rendered are named, never printed (issue 13)', (t) => {
  const { cwd, spec } = renderedOutput();
  // what a git checkout or a `tar` without -p leaves: keys and kubeconfigs 0644
  const config = join(cwd, 'out/hosts/etcd-1/etc/kubernetes/admin.conf');
  mkdirSync(join(cwd, 'out/hosts/etcd-1/etc/kubernetes'), { recursive: true });
  writeFileSync(config, kubeconfig);
  writeFileSync(join(cwd, 'out/hosts/etcd-1/etc/kubernetes/old.key'), KEY);
  chmodSync(config, 0o644);
  // and a file that is only drifted, no secret: its diff is still shown
  writeFileSync(join(cwd, 'out/hosts/etcd-1/notes.txt'), 'plain words\n');

  const text = render([spec, '-o', 'out', '--check'], cwd);
  t.is(text.code, 3);
  t.regex(
    text.stdout,
    /^hosts\/etcd-1\/etc\/kubernetes\/admin\.conf: extra \(a secret: content not shown\)$/m,
  );
  t.regex(text.stdout, /^hosts\/etcd-1\/etc\/kubernetes\/old\.key: extra \(a secret: content not shown\)$/m);
  t.regex(text.stdout, /^-plain words$/m, 'a file without a secret is diffed as before');
  const json = render([spec, '-o', 'out', '--check', '--json'], cwd);
  t.is(json.code, 3);
  t.deepEqual(
    (JSON.parse(json.stdout).drift as { path: string }[]).map((d) => d.path),
    [
      'hosts/etcd-1/etc/kubernetes/admin.conf',
      'hosts/etcd-1/etc/kubernetes/old.key',
      'hosts/etcd-1/notes.txt',
    ],
  );
  for (const r of [text, json])
    for (const secret of [KEY_DATA.slice(0, 24), KEY_BODY, 's3cr3t-bearer-token', 'PRIVATE KEY'])
      t.false(`${r.stdout}${r.stderr}`.includes(secret), secret);
});

test('--check never reads through a symlink in the output dir: the file it points to is not printed', (t) => {
  const { cwd, spec } = renderedOutput();
  const shadow = join(cwd, 'shadow');
  writeFileSync(shadow, 'root:$6$saltsalt$hashhashhash:19000:0:99999:7:::\n', { mode: 0o640 });
  symlinkSync(shadow, join(cwd, 'out/hosts/etcd-1/passwd'));
  const r = render([spec, '-o', 'out', '--check'], cwd);
  t.is(r.code, 3);
  t.regex(r.stdout, /^-\(a symbolic link to .*\/shadow: not followed\)$/m);
  t.false(`${r.stdout}${r.stderr}`.includes('hashhashhash'));
  t.is(readFileSync(shadow, 'utf8').length > 0, true);
});

const servers: Server[] = [];
test.after.always(() => {
  for (const s of servers) s.close();
});

const bridge = async (marathon: string, cwd: string) => {
  const r = await promisify(execFile)(
    process.execPath,
    [renderBin, 'bridge', '--marathon', marathon, '-o', join(cwd, 'haproxy.cfg'), '--timeout', '1'],
    { cwd, timeout: 20_000 },
  ).catch((error: { code: number; stdout: string; stderr: string }) => error);
  return { code: r && 'code' in r ? r.code : 0, stdout: r.stdout, stderr: r.stderr };
};

test('an error quoting what it read masks it: a password in a Marathon URL, a credential in its answer', async (t) => {
  const cwd = tempDir();
  const refused = await bridge('http://k8sm:hunter2@127.0.0.1:1', cwd);
  t.is(refused.code, 1);
  t.regex(refused.stderr, /http:\/\/k8sm:\*\*\*@127\.0\.0\.1:1/);
  t.false(refused.stderr.includes('hunter2'), refused.stderr);

  // a proxy in front of Marathon answering with something else: its first bytes are quoted
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('password: hunter2\n');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const quoted = await bridge(url, cwd);
  t.is(quoted.code, 1);
  t.regex(quoted.stderr, /not JSON: "password: \(masked\)/);
  t.false(quoted.stderr.includes('hunter2'), quoted.stderr);
});
