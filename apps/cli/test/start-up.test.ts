// What each command line loads of the bundle, read by a module hook in the real process: the
// commands that do no spec work (--help, init, completion, quorum) must not parse the schema's
// libraries (zod, yaml), the renderers, undici or the X.509 library. Start-up time itself is a
// benchmark (bench/render.mjs, docs/benchmarks.md), never a timed test.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import test from 'ava';
import { example, probeBin, removeTempDirs, renderBin, tempDir } from './helpers.js';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

test.after.always(removeTempDirs);

/** The bundle files (dist/k8sm.js and its chunks) that `bin args` imports, with their sizes. */
function loaded(bin: string, args: readonly string[]): { files: string[]; bytes: number; stdout: string } {
  const dir = tempDir();
  const log = join(dir, 'loaded.txt');
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(log)}, url + '\\n');
  return next(url, context);
}
`,
  );
  const register = join(dir, 'register.mjs');
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, bin, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const files = [
    ...new Set(
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((url) => url.startsWith('file:'))
        .map((url) => fileURLToPath(url))
        .filter((path) => path.startsWith(dist)),
    ),
  ];
  return { files, bytes: files.reduce((sum, f) => sum + statSync(f).size, 0), stdout: r.stdout };
}

/** Marks of the heavy libraries, as they survive minification: error names and messages. */
const HEAVY: Record<string, RegExp> = {
  zod: /ZodError/,
  yaml: /YAMLParseError/,
  undici: /UND_ERR_/,
  'X.509': /BasicConstraintsExtension/,
};

const heavyIn = (files: readonly string[]) =>
  Object.keys(HEAVY).filter((lib) => files.some((f) => HEAVY[lib]?.test(readFileSync(f, 'utf8'))));

const LIGHT: ReadonlyArray<[string, string, readonly string[]]> = [
  ['k8sm-render --help', renderBin, ['--help']],
  ['k8sm-render pki --help', renderBin, ['pki', '--help']],
  ['k8sm-render init -', renderBin, ['init', '-']],
  ['k8sm-render completion bash', renderBin, ['completion', 'bash']],
  ['k8sm-probe --help', probeBin, ['--help']],
  ['k8sm-probe quorum 5', probeBin, ['quorum', '5']],
  ['k8sm-probe completion zsh', probeBin, ['completion', 'zsh']],
];

for (const [title, bin, args] of LIGHT)
  test(`${title} loads none of the heavy libraries`, (t) => {
    const { files, bytes } = loaded(bin, args);
    t.true(files.length > 0, 'the hook saw the bundle load');
    t.deepEqual(heavyIn(files), [], files.join('\n'));
    // the whole spec chunk alone is about 375 KiB
    t.true(bytes < 64 * 1024, `${bytes} bytes loaded:\n${files.join('\n')}`);
  });

// The control: the hook and the marks do see a command that works on a spec.
test('a --dry-run loads the schema and the YAML library, not the probes or the X.509 library', (t) => {
  const { files, stdout } = loaded(renderBin, [example('mesosphere-3-masters.json'), '--dry-run']);
  t.regex(stdout, /is valid/);
  t.deepEqual(heavyIn(files), ['zod', 'yaml']);
});
