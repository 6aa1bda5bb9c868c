import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import type { OptionTable } from '../src/commands/command.js';
import { COMMANDS, commandTitle } from '../src/commands/index.js';
import { probeBin, removeTempDirs, renderBin, tempDir } from './helpers.js';

// The READMEs are the npm pages: what they tell a reader to type must work. A ```sh block marked
// by the line `<!-- runnable -->` (or `<!-- runnable: creates <path> … -->`) just before it is
// run by bash in a fresh directory holding a copy of examples/, with this build's k8sm-render
// and k8sm-probe first on PATH. A line ending in `# exit N …` must exit N; any other must exit 0.

test.after.always(removeTempDirs);

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const READMES = ['README.md', 'apps/cli/README.md'] as const;
const textOf = (file: string) => readFileSync(join(root, file), 'utf8');
const BLOCK_TIMEOUT_MS = 60_000;

interface Block {
  readonly file: string;
  /** the line of the opening fence, 1-based */
  readonly line: number;
  readonly creates: readonly string[];
  readonly lines: readonly string[];
}

const MARKER = /^<!-- runnable(?::\s*creates\s+(.+?))?\s*-->$/;

function runnableBlocks(file: string): Block[] {
  const lines = textOf(file).split('\n');
  const blocks: Block[] = [];
  lines.forEach((line, i) => {
    const marker = MARKER.exec(line.trim());
    if (!marker) {
      if (line.trim().startsWith('<!-- runnable'))
        throw new Error(`${file}:${i + 1}: a runnable marker k8sm cannot read`);
      return;
    }
    if (lines[i + 1] !== '```sh')
      throw new Error(`${file}:${i + 1}: <!-- runnable --> must stand just before a \`\`\`sh fence`);
    const end = lines.indexOf('```', i + 2);
    if (end < 0) throw new Error(`${file}:${i + 2}: the runnable block never closes`);
    blocks.push({
      file,
      line: i + 2,
      creates: marker[1]?.split(/[\s,]+/).filter(Boolean) ?? [],
      lines: lines.slice(i + 2, end),
    });
  });
  return blocks;
}

/** Shell lines joined where a line ends in `\`, each with the README line it starts on. */
function commandsOf(block: Block): { readonly at: number; readonly text: string }[] {
  const out: { at: number; text: string }[] = [];
  let open: { at: number; text: string } | undefined;
  block.lines.forEach((line, i) => {
    if (open) open.text += `\n${line}`;
    else if (line.trim() !== '') open = { at: block.line + 1 + i, text: line };
    if (open && !line.endsWith('\\')) {
      out.push(open);
      open = undefined;
    }
  });
  if (open) out.push(open);
  return out;
}

const EXPECTED_EXIT = /^(.*?)\s+#\s*exit\s+(\d+)\b.*$/s;

/** The bash script of a block: `set -euo pipefail`, and each `# exit N` line checked for N. */
function scriptOf(block: Block): string {
  const steps = commandsOf(block).map(({ at, text }) => {
    const expected = EXPECTED_EXIT.exec(text);
    if (!expected) return text;
    const [, command, code] = expected as unknown as [string, string, string];
    return [
      'set +e',
      `( ${command} )`,
      'rc=$?',
      'set -e',
      `if [ "$rc" -ne ${code} ]; then echo "${block.file}:${at}: exited $rc, the README says ${code}" >&2; exit 1; fi`,
    ].join('\n');
  });
  return [
    'set -Eeuo pipefail',
    `trap 'echo "${block.file}: exit $? from: $BASH_COMMAND" >&2' ERR`,
    ...steps,
    '',
  ].join('\n');
}

/** A fresh directory with a copy of examples/ (without keys made by earlier renders) and a bin/. */
function sandbox(): { cwd: string; path: string } {
  const cwd = tempDir();
  cpSync(join(root, 'examples'), join(cwd, 'examples'), {
    recursive: true,
    filter: (source) => !source.startsWith(join(root, 'examples/pki')),
  });
  const bin = join(cwd, '.bin');
  mkdirSync(bin);
  for (const [name, script] of [
    ['k8sm-render', renderBin],
    ['k8sm-probe', probeBin],
  ] as const) {
    writeFileSync(
      join(bin, name),
      `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(script)} "$@"\n`,
    );
    chmodSync(join(bin, name), 0o755);
  }
  return { cwd, path: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` };
}

function runScript(script: string, at: { cwd: string; path: string }) {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: at.path, NO_COLOR: '1' };
  delete env.K8SM_DEBUG;
  const r = spawnSync('bash', ['-c', script], {
    cwd: at.cwd,
    env,
    encoding: 'utf8',
    timeout: BLOCK_TIMEOUT_MS,
  });
  return { code: r.status, signal: r.signal, output: `${r.stdout}${r.stderr}` };
}

const blocks = READMES.flatMap(runnableBlocks);

for (const block of blocks) {
  test(`${block.file}:${block.line}: the runnable block runs`, (t) => {
    t.timeout(BLOCK_TIMEOUT_MS + 10_000);
    const at = sandbox();
    const r = runScript(scriptOf(block), at);
    t.is(r.signal, null, `killed after ${BLOCK_TIMEOUT_MS} ms:\n${r.output}`);
    t.is(r.code, 0, r.output);
    for (const path of block.creates)
      t.true(existsSync(join(at.cwd, path)), `${path} was not written:\n${r.output}`);
  });
}

test('the runnable blocks of README.md cover the first commands a reader types, on loopback only', (t) => {
  const readme = blocks.filter((b) => b.file === 'README.md');
  const commands = readme.flatMap(commandsOf).map((c) => c.text);
  const has = (pattern: RegExp, what: string) =>
    t.true(
      commands.some((c) => pattern.test(c)),
      what,
    );
  has(/^k8sm-render examples\/\S+ -o \S+/, 'a render of a shipped example');
  has(/^k8sm-render \S+ .*--dry-run/, 'a --dry-run');
  has(/^k8sm-render \S+ .*--check/, 'a --check');
  has(/^k8sm-render init\b/, 'k8sm-render init');
  has(/^k8sm-probe quorum 5\b/, 'k8sm-probe quorum 5');
  has(/^k8sm-probe --zk 127\.\S+/, 'a probe on loopback');
  t.true(
    readme.some((b) => b.creates.length > 0),
    'a block says what it renders',
  );
  for (const block of blocks)
    for (const address of block.lines.join('\n').match(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g) ?? [])
      t.true(address.startsWith('127.'), `${block.file}:${block.line}: ${address} is not a loopback address`);
});

test("the README's first block is what CI and package.json run, and demo renders the example it names", (t) => {
  t.timeout(BLOCK_TIMEOUT_MS + 10_000);
  const readme = textOf('README.md');
  const pkg = JSON.parse(textOf('package.json')) as {
    packageManager: string;
    scripts: Record<string, string>;
  };
  const pnpm = `npx -y ${pkg.packageManager}`;
  const first = /```sh\n([\s\S]*?)\n```/.exec(readme)?.[1];
  t.is(first, `${pnpm} install && ${pnpm} demo\nbash scripts/test.sh`);
  // .ci/run is exactly the README's test command
  t.true(textOf('.ci/run').split('\n').includes('bash scripts/test.sh'), '.ci/run runs bash scripts/test.sh');
  t.true(existsSync(join(root, 'scripts/test.sh')));
  t.is(pkg.scripts.test, 'bash scripts/test.sh');

  // demo = build the CLI, then render the example the README says it renders, where it says
  const said = /renders the shipped example\s+`([^`]+)`\s+into\s+`([^`]+?)\/?`/.exec(readme);
  if (!said) return t.fail('the README no longer says which example demo renders');
  const [, example, out] = said as unknown as [string, string, string];
  const steps = (pkg.scripts.demo ?? '').split(' && ');
  t.true(
    steps[0]?.startsWith('turbo run build --filter=k8sm-render...'),
    `demo builds the CLI first: ${steps[0]}`,
  );
  const renderStep = steps.find((s) => s.startsWith('k8sm-render '));
  t.is(renderStep, `k8sm-render ${example} -o ${out}`);
  const at = sandbox();
  const r = runScript(`set -euo pipefail\n${renderStep}\n`, at);
  t.is(r.code, 0, r.output);
  t.true(existsSync(join(at.cwd, out, 'manifest.json')), r.output);
  t.true(existsSync(join(at.cwd, out, '.k8sm-output.json')), r.output);
});

const mentions = (text: string, flag: string) =>
  new RegExp(`(?<![\\w-])${flag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(text);

test('both READMEs name every command and every option of both programs', async (t) => {
  for (const file of READMES) {
    const text = textOf(file);
    for (const entry of COMMANDS) {
      const { command } = await entry.load();
      const title = commandTitle(entry);
      t.true(text.includes(`\`${title}`), `${file} names ${title}`);
      for (const [name, option] of Object.entries(command.options as OptionTable)) {
        t.true(mentions(text, `--${name}`), `${file} documents ${title} --${name}`);
        if (option.short)
          t.true(mentions(text, `-${option.short}`), `${file} documents ${title} -${option.short}`);
      }
    }
  }
});

test("the npm page of k8sm-render gives the repository README's exit codes", (t) => {
  const section = /\n## Exit codes\n([\s\S]*?)\n## /.exec(textOf('README.md'))?.[1] ?? '';
  const rows = section.split('\n').filter((line) => /^\| \d+ \|/.test(line));
  t.true(rows.length >= 8, 'both exit code tables');
  const page = textOf('apps/cli/README.md');
  for (const row of rows) t.true(page.includes(row), `apps/cli/README.md lacks: ${row}`);
});
