import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Artifact, ConfigValueError, composeArtifacts, sh, shScript } from '@k8sm/spec';

/** Values that run `k8sm_pwned` wherever a script lets them reach the shell unquoted. */
export const SHELL_PAYLOADS: readonly string[] = [
  '$(k8sm_pwned)',
  '`k8sm_pwned`',
  'x; k8sm_pwned',
  'x | k8sm_pwned',
  'x && k8sm_pwned',
  'x\nk8sm_pwned',
  "x'; k8sm_pwned; '",
  'x"; k8sm_pwned; "',
  '{{ lookup("pipe", "k8sm_pwned") }} * ~ $HOME \\',
];

/** Every command the rendered scripts call: each stub logs its argv and succeeds. */
const STUBS = [
  'install',
  'chown',
  'chmod',
  'mkdir',
  'cp',
  'ln',
  'rm',
  'docker',
  'systemctl',
  'service',
  'update-rc.d',
  'haproxy',
  'nohup',
  'km',
  'curl',
];

export interface SandboxRun {
  readonly status: number | null;
  readonly stderr: string;
  /** each stubbed call: the command name, then its arguments */
  readonly calls: readonly (readonly string[])[];
  /** whether `k8sm_pwned` ran */
  readonly pwned: boolean;
}

/**
 * Run a script under bash with PATH holding only stubs, in bubblewrap: the root read-only, no
 * network, /var/log a tmpfs. `k8sm_pwned` writes a marker; every other stub logs its argv.
 */
export function runScriptSandboxed(
  script: string,
  args: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): SandboxRun {
  const dir = mkdtempSync(join(tmpdir(), 'k8sm-sandbox-'));
  try {
    const bin = join(dir, 'bin');
    const log = join(dir, 'calls.log');
    const marker = join(dir, 'pwned');
    spawnSync('/bin/mkdir', [bin]);
    const stub = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    // a record per call: the word count, then the words, each ended by NUL
    for (const name of STUBS)
      stub(
        name,
        `{ printf '%s\\0' "$(($# + 1))" ${name} "$@"; } >> ${log}${name === 'mkdir' ? '\n/bin/mkdir "$@" 2>/dev/null || true' : ''}`,
      );
    stub('k8sm_pwned', `: > ${marker}`);
    stub('dirname', '/usr/bin/dirname "$@"');
    writeFileSync(join(dir, 'script.sh'), script);
    const run = spawnSync(
      '/usr/bin/bwrap',
      [
        ...['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/var/log'],
        ...['--bind', dir, dir, '--unshare-net', '--die-with-parent'],
        ...['/bin/bash', '-c', '. "$0"; wait', join(dir, 'script.sh'), ...args],
      ],
      { encoding: 'utf8', env: { ...env, PATH: bin, HOME: dir }, timeout: 60_000 },
    );
    const words = existsSync(log) ? readFileSync(log, 'utf8').split('\0').slice(0, -1) : [];
    const calls: string[][] = [];
    for (let i = 0; i < words.length; ) {
      const n = Number(words[i]);
      calls.push(words.slice(i + 1, i + 1 + n));
      i += n + 1;
    }
    if (run.error) throw run.error;
    return { status: run.status, stderr: run.stderr, calls, pwned: existsSync(marker) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One host's steps as its scripts/<host>.sh runs them: in order, stopping at the first failure. */
export function hostScriptOf(artifacts: readonly Artifact[], host: string): string {
  const steps = composeArtifacts([artifacts]).commands.filter((c) => c.host === host);
  return shScript([sh`set -euo pipefail`, ...steps.map((c) => c.command)]);
}

/** A deep copy that a test may write into: how a value the grammar would refuse reaches a renderer. */
export type Writable<T> = { -readonly [K in keyof T]: Writable<T[K]> };
export const writableCopy = <T>(value: T): Writable<T> => structuredClone(value) as Writable<T>;

/**
 * For each payload, render and run each script (a host's steps, or a rendered script file) in the
 * sandbox: what went wrong, as readable lines; none when no payload ran and each reached a stub
 * intact, inside one word.
 */
export function scriptInjectionProblems(
  render: (payload: string) => readonly Artifact[],
  scripts: (artifacts: readonly Artifact[]) => readonly {
    readonly name: string;
    readonly text: string;
    /** the environment the script runs with (besides PATH and HOME) */
    readonly env?: Readonly<Record<string, string>>;
  }[],
): string[] {
  const problems: string[] = [];
  for (const payload of SHELL_PAYLOADS) {
    let artifacts: readonly Artifact[];
    try {
      artifacts = render(payload);
    } catch (error) {
      // a line break cannot be carried by a config line: the config writers refuse it, which is safe
      if (error instanceof ConfigValueError && payload.includes('\n')) continue;
      throw error;
    }
    const runs = scripts(artifacts).map((s) => ({ ...s, run: runScriptSandboxed(s.text, [], s.env) }));
    for (const { name, run } of runs) {
      const where = `${name} with ${JSON.stringify(payload)}`;
      if (run.pwned) problems.push(`${where}: the payload ran`);
      if (run.status !== 0) problems.push(`${where}: exit ${run.status}: ${run.stderr.trim()}`);
      if (/command not found/.test(run.stderr)) problems.push(`${where}: ${run.stderr.trim()}`);
    }
    if (!runs.some(({ run }) => run.calls.some((call) => call.some((word) => word.includes(payload)))))
      problems.push(`${JSON.stringify(payload)} reached no command intact inside one word`);
  }
  return problems;
}

/** The scripts of the given hosts, by host name. */
export const hostScripts =
  (...hosts: string[]) =>
  (artifacts: readonly Artifact[]) =>
    hosts.map((host) => ({ name: `${host}.sh`, text: hostScriptOf(artifacts, host) }));
