import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';

/*
 * A spec default belongs in DEFAULTS (a component's facts.ts), applied once by the plan; renderers
 * and the CLI read the plan. This test fails on a literal fallback (`?? 'text'`, `?? 8080`,
 * `?? ['a']`, `?? true`) in their sources that is not listed below with the reason it may stay.
 */
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const LITERAL_FALLBACK = /\?\?\s*(?:'[^']+'|`[^`]+`|[1-9]\d*|\[\s*'|true\b|false\b)/;

const ALLOWED: readonly { readonly file: string; readonly text: string; readonly why: string }[] = [
  {
    file: 'packages/render-haproxy/src/index.ts',
    text: "ha.template ?? 'haproxy.template'",
    why: 'a name for an error message, not a setting',
  },
  {
    file: 'packages/render-k8s-manifests/src/modern.ts',
    text: "k8s.authorization ?? ['Node', 'RBAC']",
    why: 'kubeadm-layout default, not yet in the plan (standalone 1.6 has none)',
  },
  {
    file: 'packages/render-k8s-manifests/src/modern.ts',
    text: "k8s.docker.cgroupDriver ?? 'systemd'",
    why: 'kubeadm-layout default, not yet in the plan (the 1.6 layout leaves docker its own)',
  },
  {
    file: 'packages/render-cluster/src/cluster.ts',
    text: "options.file ?? '<spec>'",
    why: "a name for messages when the library's caller gives none (loadSpec's own)",
  },
  { file: 'apps/cli/src/args.ts', text: "code ?? 'error'", why: 'an error message' },
  { file: 'apps/cli/src/exporter.ts', text: "req.url ?? '/'", why: 'an HTTP request line without a path' },
  { file: 'apps/cli/src/commands/probe.ts', text: "chosen[0] ?? 'table'", why: 'a command-line option' },
  {
    file: 'apps/cli/src/commands/init.ts',
    text: "positionals[0] ?? 'k8sm.yaml'",
    why: 'a command-line option',
  },
  {
    file: 'apps/cli/src/commands/bridge.ts',
    text: "values.reload ?? 'systemctl",
    why: 'a command-line option',
  },
  {
    file: 'apps/cli/src/commands/bridge.ts',
    text: "values.haproxy ?? 'haproxy'",
    why: 'a command-line option',
  },
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const scanned = [
  ...readdirSync(join(root, 'packages'))
    .filter((p) => p.startsWith('render-'))
    .map((p) => join(root, 'packages', p, 'src')),
  join(root, 'apps/cli/src'),
].flatMap(sources);

const fallbacks = scanned.flatMap((path) => {
  const file = relative(root, path);
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((line, i) => (LITERAL_FALLBACK.test(line) ? [{ file, line: i + 1, text: line.trim() }] : []));
});

const allowed = (f: { file: string; text: string }) =>
  ALLOWED.some((a) => a.file === f.file && f.text.includes(a.text));

test('renderers and the CLI apply no spec default of their own: each lives in DEFAULTS and the plan', (t) => {
  t.true(scanned.length > 20, 'the scan found the sources');
  const strays = fallbacks.filter((f) => !allowed(f)).map((f) => `${f.file}:${f.line}: ${f.text}`);
  t.deepEqual(strays, [], 'move the default into its component’s facts.ts and let the plan apply it');
});

test('every allowed fallback is still there (the list shrinks when one moves into the plan)', (t) => {
  const stale = ALLOWED.filter((a) => !fallbacks.some((f) => f.file === a.file && f.text.includes(a.text)));
  t.deepEqual(stale, []);
});

test('the pattern catches the literal fallbacks it is meant to', (t) => {
  for (const line of ["x ?? '2s'", 'x ?? 8080', "x ?? ['Node']", 'x ?? `img:v1`', 'x ?? false'])
    t.true(LITERAL_FALLBACK.test(line), line);
  for (const line of ["x ?? ''", 'x ?? 0', 'x ?? []', 'x ?? {}', 'x ?? D.port'])
    t.false(LITERAL_FALLBACK.test(line), line);
});
