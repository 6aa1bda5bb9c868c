import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { examples, removeTempDirs, render, renderableExample, tempDir } from './helpers.js';

// Every example's whole output, file by file (bytes and mode), against the reviewed copy in
// test/golden/. After an intended change: K8SM_UPDATE_GOLDEN=1 pnpm test:unit, then review the diff.
const goldenRoot = fileURLToPath(new URL('../../test/golden/', import.meta.url));
const update = process.env.K8SM_UPDATE_GOLDEN === '1';

test.after.always(removeTempDirs);

/** Contents by path; modes are compared through manifest.json (git keeps only the x bit). */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else out[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('');
  return out;
}

// Certificates and keys differ on every `k8sm-render pki` run: the golden copy holds a marker
// for each, and the test checks the rendered file is byte-for-byte the PKI dir's file instead.
const PKI_PLACED =
  /\/etc\/etcd\/ssl\/[^/]+$|\/etc\/kubernetes\/pki\/[^/]+$|\.kubeconfig$|\/kubernetes\/(kubelet|kube-proxy|scheduler|controller-manager|admin)\.conf$|\/etc\/haproxy\/kubernetes-ca\.crt$|^cluster\/monitoring\/tls\//;

/** Where a file placed on a host comes from in the PKI dir (kubeconfigs embed several: none). */
function pkiSource(path: string): string | undefined {
  if (path.endsWith('/etc/haproxy/kubernetes-ca.crt')) return 'kubernetes/ca.crt';
  // Prometheus' client pair for etcd's /metrics: the health-check client's
  const monitoring = /^cluster\/monitoring\/tls\/etcd\/(ca\.crt|client\.crt|client\.key)$/.exec(path)?.[1];
  if (monitoring)
    return `etcd/${monitoring === 'ca.crt' ? 'ca.crt' : monitoring.replace('client', 'healthcheck-client')}`;
  const [, host, dir, name = ''] =
    /^hosts\/([^/]+)\/etc\/(etcd\/ssl|kubernetes\/pki)\/(.+)$/.exec(path) ?? [];
  if (dir === 'etcd/ssl')
    return name === 'ca.crt' || name.startsWith('healthcheck-client')
      ? `etcd/${name}`
      : `etcd/${host}/${name}`;
  if (dir === 'kubernetes/pki') {
    if (name === 'etcd-ca.crt') return 'etcd/ca.crt';
    if (name.startsWith('apiserver-etcd-client')) return `etcd/${name}`;
    if (name.startsWith('apiserver.')) return `kubernetes/${host}/${name}`;
    return `kubernetes/${name}`;
  }
  return undefined;
}
const PKI_MARKER = '<from the PKI dir>\n';

// An output's `.gitignore` (`*`, written beside key material) would make git ignore the golden
// copy itself: it is kept as `dot-gitignore` there.
const STORED_AS: Readonly<Record<string, string>> = { '.gitignore': 'dot-gitignore' };
const fromGolden = (golden: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(golden).map(([path, text]) => [
      Object.entries(STORED_AS).find(([, stored]) => stored === path)?.[0] ?? path,
      text,
    ]),
  );

/** Output contents with PKI files and their manifest hashes replaced by markers. */
function masked(out: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [path, content] of Object.entries(out))
    result[path] = PKI_PLACED.test(path) ? PKI_MARKER : content;
  const manifest = result['manifest.json'];
  if (manifest) {
    const json = JSON.parse(manifest) as {
      files: { path: string; output?: string; bytes: number; sha256?: string }[];
    };
    for (const f of json.files)
      if (PKI_PLACED.test(f.path) || PKI_PLACED.test(f.output ?? ''))
        Object.assign(f, { bytes: 0, ...(f.sha256 ? { sha256: '<from the PKI dir>' } : {}) });
    result['manifest.json'] = `${JSON.stringify(json, null, 2)}\n`;
  }
  return result;
}

for (const spec of readdirSync(examples).filter((f) => /\.(json|ya?ml)$/.test(f)))
  test(`golden output of ${spec}`, (t) => {
    const cwd = tempDir();
    const { file, pkiDir } = renderableExample(spec, cwd);
    const tls = pkiDir !== undefined;
    const r = render([file, '-o', 'out'], cwd);
    t.is(r.code, 0, r.stderr);
    const out = contents(join(cwd, 'out'));
    const placed = Object.keys(out).filter((p) => PKI_PLACED.test(p));
    if (!tls) t.deepEqual(placed, [], 'no PKI file without a PKI dir');
    for (const path of placed) {
      const source = pkiSource(path);
      if (source) t.is(out[path], readFileSync(join(pkiDir ?? '', source), 'utf8'), path);
      else t.regex(out[path] ?? '', /client-certificate-data: \S+/, path);
    }
    const golden = join(goldenRoot, spec.replace(/\.(json|ya?ml)$/, ''));
    if (update) {
      rmSync(golden, { recursive: true, force: true });
      cpSync(join(cwd, 'out'), golden, { recursive: true });
      for (const [path, content] of Object.entries(masked(out)))
        if (PKI_PLACED.test(path) || path === 'manifest.json') writeFileSync(join(golden, path), content);
      for (const [path, stored] of Object.entries(STORED_AS))
        if (existsSync(join(golden, path))) renameSync(join(golden, path), join(golden, stored));
    }
    t.true(existsSync(golden), `no golden output for ${spec}: run with K8SM_UPDATE_GOLDEN=1 and review it`);
    t.deepEqual(masked(out), fromGolden(contents(golden)));
  });

test('no golden file holds key or certificate material', (t) => {
  const all = readdirSync(goldenRoot).flatMap((example) =>
    Object.entries(contents(join(goldenRoot, example))).map(
      ([path, text]) => [`${example}/${path}`, text] as const,
    ),
  );
  t.true(all.length > 100);
  // PEM, or PEM base64-encoded in a kubeconfig (`LS0tLS1CRUdJTi` is "-----BEGIN")
  const leaks = all.filter(([, text]) => /BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)|LS0tLS1CRUdJTi/.test(text));
  t.deepEqual(
    leaks.map(([path]) => path),
    [],
  );
});

// A spec of ASCII renders ASCII: one non-ASCII character in a header made V8 hold every file's
// text in two bytes a character (12% of a 10,000-host render's memory, issue 19).
test('every file of every example output is ASCII', (t) => {
  const all = readdirSync(goldenRoot).flatMap((example) =>
    Object.entries(contents(join(goldenRoot, example))).map(
      ([path, text]) => [`${example}/${path}`, text] as const,
    ),
  );
  t.true(all.length > 100);
  t.deepEqual(
    all.filter(([, text]) => /[^\t\n\r -~]/.test(text)).map(([path]) => path),
    [],
  );
});
