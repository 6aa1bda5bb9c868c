import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import type { OptionTable } from '../src/commands/command.js';
import { COMMANDS } from '../src/commands/index.js';
import { probeBin, removeTempDirs, renderBin, run, tempDir } from './helpers.js';

// The scripts are tried in the real shells: bash through its completion function, zsh through a
// terminal (zpty) and its own completion system, fish through `complete -C`.
test.after.always(removeTempDirs);

const shellAt = (name: string) => ['/usr/bin', '/bin'].map((d) => join(d, name)).find((p) => existsSync(p));
const BASH = shellAt('bash');
const ZSH = shellAt('zsh');
const FISH = shellAt('fish');
const SHELLCHECK = shellAt('shellcheck');
const ci = process.env.CI === 'true';
const zshTest = ZSH || ci ? test : test.skip;
const fishTest = FISH || ci ? test : test.skip;
const shellcheckTest = SHELLCHECK || ci ? test : test.skip;

const COMPONENTS = ['zookeeper', 'mesos', 'marathon', 'etcd', 'kubernetes', 'haproxy'];
const ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[a-zA-Z]`, 'g');
const sq = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/** A working directory with a spec file and a directory to complete, and each program's script of `shell`. */
function setup(shell: string) {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'spec.yaml'), 'name: x\n');
  mkdirSync(join(cwd, 'specs'));
  const scripts: Record<string, string> = {};
  const dir = tempDir();
  for (const [program, bin] of [
    ['k8sm-render', renderBin],
    ['k8sm-probe', probeBin],
  ] as const) {
    const r = run(bin, ['completion', shell], cwd);
    if (r.code !== 0 || r.stderr !== '') throw new Error(`${program} completion ${shell}: ${r.stderr}`);
    scripts[program] = join(dir, `${program}.${shell}`);
    writeFileSync(scripts[program], r.stdout);
  }
  return { cwd, scripts };
}

const shell = (bin: string | undefined, args: string[], cwd: string) => {
  const r = spawnSync(bin ?? 'missing-shell', args, { cwd, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
};

test('completion prints the script on stdout, exit 0; an unknown or missing shell is a usage error', (t) => {
  const cwd = tempDir();
  for (const [bin, program, usage] of [
    [renderBin, 'k8sm-render', 2],
    [probeBin, 'k8sm-probe', 3],
  ] as const) {
    for (const name of ['bash', 'zsh', 'fish']) {
      const r = run(bin, ['completion', name], cwd);
      t.is(r.code, 0, `${program} completion ${name}`);
      t.is(r.stderr, '');
      t.regex(r.stdout, new RegExp(`^# ${name} completion for ${program}|^#compdef ${program}\\n`));
    }
    for (const args of [['completion', 'tcsh'], ['completion'], ['completion', 'bash', 'zsh']]) {
      const r = run(bin, args, cwd);
      t.is(r.code, usage, `${program} ${args.join(' ')}: the program's usage code`);
      t.is(r.stdout, '');
      t.regex(
        r.stderr,
        new RegExp(`^${program} completion: .*\\n\\nUsage:\\n {2}${program} completion bash\\|zsh\\|fish`),
      );
    }
    t.regex(run(bin, ['completion', 'tcsh'], cwd).stderr, /unknown shell "tcsh": give bash, zsh, fish/);
    const help = run(bin, ['completion', '--help'], cwd);
    t.regex(help.stdout, new RegExp(`source <\\(${program} completion bash\\)`));
    t.regex(help.stdout, new RegExp(`${program} completion fish \\| source`));
    t.regex(help.stdout, /fpath/);
  }
  t.true(run(renderBin, ['completion', 'bash'], cwd).stdout.includes('complete -F _k8sm_render k8sm-render'));
});

test('every script names every command and every option of the command table', async (t) => {
  const cwd = tempDir();
  for (const name of ['bash', 'zsh', 'fish'])
    for (const program of ['k8sm-render', 'k8sm-probe'] as const) {
      const script = run(program === 'k8sm-probe' ? probeBin : renderBin, ['completion', name], cwd).stdout;
      for (const entry of COMMANDS.filter((c) => c.program === program)) {
        const { command } = await entry.load();
        if (!entry.default) t.regex(script, new RegExp(`(?<![\\w-])${entry.name}(?![\\w-])`), entry.name);
        for (const [long, option] of Object.entries(command.options as OptionTable)) {
          const longForm = name === 'fish' ? `-l ${long}` : `--${long}`;
          t.true(script.includes(longForm), `${name} ${program} ${entry.name}: --${long}`);
          if (option.short)
            t.true(
              script.includes(name === 'fish' ? `-s ${option.short}` : `-${option.short}`),
              `-${option.short}`,
            );
        }
      }
    }
});

/** COMPREPLY of the bash completion function for these words (the last one is being completed). */
function bashComplete(cwd: string, script: string, words: string[]): string[] {
  const fn = words[0] === 'k8sm-probe' ? '_k8sm_probe' : '_k8sm_render';
  const code = `source ${sq(script)}; COMP_WORDS=(${words.map(sq).join(' ')}); COMP_CWORD=${words.length - 1}; ${fn}; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = shell(BASH, ['--norc', '-c', code], cwd);
  if (r.code !== 0 || r.stderr !== '') throw new Error(`bash: ${r.code} ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}

test('bash: commands, options, --only components, option values and file names', (t) => {
  const { cwd, scripts } = setup('bash');
  const render = (...words: string[]) =>
    bashComplete(cwd, scripts['k8sm-render'] ?? '', ['k8sm-render', ...words]);
  const probe = (...words: string[]) =>
    bashComplete(cwd, scripts['k8sm-probe'] ?? '', ['k8sm-probe', ...words]);
  t.deepEqual(render('--o').sort(), ['--only', '--output']);
  t.deepEqual(render('p'), ['pki']);
  t.deepEqual(render('').sort(), [
    'bridge',
    'completion',
    'init',
    'pki',
    'schema',
    'spec.yaml',
    'specs',
    'validate',
  ]);
  t.deepEqual(render('s').sort(), ['schema', 'spec.yaml', 'specs'], 'a command or the spec file');
  t.deepEqual(render('--only', ''), COMPONENTS);
  t.deepEqual(render('--only', 'ma'), ['marathon']);
  t.deepEqual(render('--only', 'etcd,m').sort(), ['etcd,marathon', 'etcd,mesos'], 'after a comma');
  t.deepEqual(render('--only', '=', 'k'), ['kubernetes'], '--only=k');
  t.deepEqual(render('-o', 'sp').sort(), ['spec.yaml', 'specs']);
  t.deepEqual(render('--host', ''), [], 'a host name: nothing to offer');
  t.deepEqual(render('spec.yaml', '--d'), ['--dry-run']);
  t.deepEqual(render('pki', '--re').sort(), ['--renew', '--renew-ca']);
  t.false(render('pki', '--').includes('--only'), "pki's own options only");
  t.deepEqual(render('validate', '--'), ['--json', '--strict', '--help']);
  t.deepEqual(render('validate', 'spec.y'), ['spec.yaml']);
  t.deepEqual(render('completion', ''), ['bash', 'zsh', 'fish']);
  t.deepEqual(render('schema', ''), []);
  t.deepEqual(probe('--z'), ['--zk']);
  t.deepEqual(probe('').sort(), ['completion', 'quorum', 'serve']);
  t.deepEqual(probe('--spec', 'spec.'), ['spec.yaml']);
  t.deepEqual(probe('--timeout', ''), []);
  t.deepEqual(probe('serve', '--l'), ['--listen']);
  const dash = probe('-');
  t.true(dash.includes('-w') && dash.includes('--warning') && dash.includes('-c'), 'long and short options');
});

shellcheckTest('the bash scripts pass shellcheck', (t) => {
  const { cwd, scripts } = setup('bash');
  const r = shell(SHELLCHECK, ['-s', 'bash', scripts['k8sm-render'] ?? '', scripts['k8sm-probe'] ?? ''], cwd);
  t.is(r.code, 0, r.stdout + r.stderr);
});

zshTest('zsh: the script loads under compinit, and completes through zsh’s own completion system', (t) => {
  const { cwd, scripts } = setup('zsh');
  const load = shell(
    ZSH,
    [
      '-fc',
      `autoload -U compinit; compinit -u; source <(cat ${sq(scripts['k8sm-render'] ?? '')}); source ${sq(scripts['k8sm-probe'] ?? '')}; print -r -- $_comps[k8sm-render] $_comps[k8sm-probe]`,
    ],
    cwd,
  );
  t.is(load.code, 0, load.stderr);
  t.is(load.stderr, '');
  t.is(load.stdout, '_k8sm_render _k8sm_probe\n');
  // an interactive zsh in a terminal: type the line and TAB (list-choices), read what zsh lists
  const driver = join(cwd, 'drive.zsh');
  writeFileSync(
    driver,
    `zmodload zsh/zpty
zpty z 'zsh -f -i'
zpty -w z 'PROMPT=; RPROMPT=; autoload -U compinit; compinit -u'
zpty -w z "source $1"
zpty -w z "zstyle ':completion:*' list-prompt ''; LISTMAX=100000; bindkey -e; bindkey '^I' list-choices"
zpty -w z "print -r -- __REA''DY__"
zpty -r z out '*__READY__*'
zpty -n -w z "$2"$'\\t'
# zsh lists the matches, then draws the line again
zpty -r z out "*\${(b)2% }*"$'\\n'"*\${(b)2% }*"
print -r -- "$out"
zpty -d z
`,
  );
  const complete = (line: string) => {
    const script = scripts[line.startsWith('k8sm-probe') ? 'k8sm-probe' : 'k8sm-render'] ?? '';
    const r = shell(ZSH, ['-f', driver, script, line], cwd);
    t.is(r.code, 0, r.stderr);
    // the terminal's escapes out; what zsh listed is between the typed line and its redrawing
    const text = r.stdout
      .replace(ESCAPE, '')
      .replace(/\r/g, '\n')
      .split('')
      .filter((ch) => ch.charCodeAt(0) !== 7 && ch.charCodeAt(0) !== 8)
      .join('');
    return text.slice(text.indexOf(line) + line.length, text.lastIndexOf(line.trimEnd()));
  };
  const words = (text: string) => new Set(text.split(/\s+/).filter(Boolean));
  const only = complete('k8sm-render --o');
  t.regex(only, /--only +-- render only these components/);
  t.regex(only, /--output +-- output directory/);
  t.regex(complete('k8sm-render p'), /pki +-- create the CA/);
  const components = words(complete('k8sm-render --only '));
  for (const c of COMPONENTS) t.true(components.has(c), c);
  // after a comma, the components that start so (as the other checks, by membership: under load
  // zsh may redraw a part of the line into what is read)
  const afterComma = words(complete('k8sm-render --only etcd,m'));
  t.deepEqual(
    COMPONENTS.filter((c) => afterComma.has(c)),
    ['mesos', 'marathon'],
  );
  t.true(words(complete('k8sm-render completion ')).has('fish'));
  t.regex(complete('k8sm-render validate spec'), /spec\.yaml/);
  t.regex(complete('k8sm-probe --z'), /--zk/);
});

fishTest('fish: the script loads, and complete -C gives the candidates', (t) => {
  const { cwd, scripts } = setup('fish');
  const complete = (...lines: string[]) => {
    const code = [
      `cat ${sq(scripts['k8sm-render'] ?? '')} | source`,
      `cat ${sq(scripts['k8sm-probe'] ?? '')} | source`,
      ...lines.map((l) => `complete -C ${sq(l)}; echo ==`),
    ].join('; ');
    const r = shell(FISH, ['--no-config', '-c', code], cwd);
    t.is(r.code, 0, r.stderr);
    t.is(r.stderr, '');
    return r.stdout
      .split('==\n')
      .slice(0, lines.length)
      .map((block) =>
        block
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('\t')[0]),
      );
  };
  const [o, p, only, probeZ, pki, files, shells, probeWords] = complete(
    'k8sm-render --o',
    'k8sm-render p',
    'k8sm-render --only ',
    'k8sm-probe --z',
    'k8sm-render pki --re',
    'k8sm-render validate sp',
    'k8sm-render completion ',
    'k8sm-probe ',
  );
  t.deepEqual(o, ['--only', '--output']);
  t.deepEqual(p, ['pki']);
  t.deepEqual(only?.sort(), [...COMPONENTS].sort());
  t.deepEqual(probeZ, ['--zk']);
  t.deepEqual(pki, ['--renew', '--renew-ca']);
  t.deepEqual(files, ['spec.yaml', 'specs/']);
  t.deepEqual(shells, ['bash', 'fish', 'zsh']);
  t.deepEqual(probeWords, ['completion', 'quorum', 'serve']);
});
