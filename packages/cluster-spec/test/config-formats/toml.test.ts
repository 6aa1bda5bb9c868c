import { spawnSync } from 'node:child_process';
import { tomlString } from '@k8sm/spec';
import test from 'ava';
import { CONTROL, oracleTest, PRINTABLE, refusedOrReadBack, runs } from './hostile.js';

const CONFIG_TOML = '/etc/containerd/config.toml';

/** Each document's table, parsed by python3's tomllib (TOML 1.0). */
function tomllib(documents: readonly string[]): unknown[] {
  const run = spawnSync(
    'python3',
    ['-c', 'import json,sys,tomllib; print(json.dumps([tomllib.loads(d) for d in json.load(sys.stdin)]))'],
    { input: JSON.stringify(documents), encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as unknown[];
}

/** containerd's CRI section as the renderer writes it, with the value in sandbox_image. */
const document = (value: string) =>
  `version = 2\n\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = ${tomlString(CONFIG_TOML, 'sandbox_image', value)}\n`;

const python = runs('python3', '-c', 'import tomllib');

oracleTest(python)(
  'tomllib reads back exactly the one key with exactly the value, or the writer refuses it',
  (t) => {
    refusedOrReadBack(
      t,
      CONFIG_TOML,
      [...CONTROL, ...PRINTABLE, 'registry.k8s.io/pause:3.9"\n[plugins.evil]\nx = "y'],
      document,
      (documents) =>
        tomllib(documents).map((table) => {
          const cri = (table as { plugins?: Record<string, Record<string, unknown>> }).plugins;
          const keys = Object.keys(cri ?? {});
          const section = cri?.['io.containerd.grpc.v1.cri'] ?? {};
          return keys.length === 1 &&
            Object.keys(section).length === 1 &&
            Object.keys(table as object).length === 2
            ? (section.sandbox_image as string)
            : undefined;
        }),
      PRINTABLE,
    );
  },
);

test('a `"` cannot end the string: it is escaped, and a newline is refused', (t) => {
  t.is(tomlString(CONFIG_TOML, 'sandbox_image', 'pause"]x'), '"pause\\"]x"');
  t.is(tomlString(CONFIG_TOML, 'sandbox_image', 'registry.k8s.io/pause:3.9'), '"registry.k8s.io/pause:3.9"');
  t.throws(() => tomlString(CONFIG_TOML, 'sandbox_image', 'pause"\nx = 1'), {
    message:
      /^\/etc\/containerd\/config\.toml: the value of sandbox_image holds the control character U\+000A/,
  });
});
