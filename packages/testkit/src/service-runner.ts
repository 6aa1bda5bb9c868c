// Runs a host's rendered services where systemd is not running (tests, CI containers): each
// "host" is a directory (its root) that stands in for the host's /etc, /var/lib, /var/log and
// /run. A host's step scripts run under bubblewrap with that view, and with a `systemctl` first
// on PATH that starts the rendered unit's ExecStart= in the background, as systemd would, with
// its EnvironmentFile=, Environment= and User=. The daemons keep the view (their mount
// namespace) after the steps end; their process groups are in `<root>/run/k8sm/<unit>.pid`.
//
// The playbook reaches it through one variable, `k8sm_steps_runner` (default `bash`): the
// handler of each component runs `{{ k8sm_steps_runner }} <the host's steps script>`.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitWords } from './systemd-exec.js';

/** The executable: `node SERVICE_RUNNER steps --root <dir> <script>` (and `systemctl …` inside the view). */
export const SERVICE_RUNNER = fileURLToPath(new URL('./service-runner-cli.js', import.meta.url));

/** The value of `k8sm_steps_runner` that runs each host's steps under its own root, `k8sm_root`. */
export const STEPS_RUNNER_VAR = `${process.execPath} ${SERVICE_RUNNER} steps --root {{ k8sm_root }}`;

/** Host directories the root replaces whole: what the daemons and the steps write. */
const REPLACED = ['/var/lib', '/var/log', '/run'] as const;
/** Host directories the root is laid over: the host's entries stay visible where the root has none. */
const MERGED = ['/etc'] as const;
/** Where the runner keeps its state inside the view. */
const STATE = '/run/k8sm';
/** How long a daemon may live at most: a test that forgets teardown still leaves nothing behind. */
const LIFETIME_SECONDS = Number(process.env.K8SM_SERVICE_LIFETIME ?? 600);

// ---- the unit, read as systemd reads it ----

export interface ServiceUnit {
  readonly execStart: readonly string[];
  readonly execStartPre: readonly (readonly string[])[];
  readonly environment: Readonly<Record<string, string>>;
  readonly user?: string;
  readonly group?: string;
  readonly workingDirectory?: string;
}

/**
 * The [Service] settings of a unit file (systemd.syntax(7): `#`/`;` comments, a trailing
 * backslash joins the next line with a blank), with its environment files read from `readFile`.
 */
export function parseUnit(text: string, readFile: (path: string) => string | undefined): ServiceUnit {
  const settings: [string, string][] = [];
  let section = '';
  const lines = text.replaceAll(/\\\n/g, ' ').split('\n');
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1] ?? '';
      continue;
    }
    const eq = line.indexOf('=');
    if (section === 'Service' && eq > 0) settings.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  const environment: Record<string, string> = {};
  for (const [key, value] of settings) {
    if (key === 'Environment') for (const word of splitWords(value, {})) assign(environment, word);
    if (key === 'EnvironmentFile') {
      const optional = value.startsWith('-');
      const path = optional ? value.slice(1) : value;
      const content = readFile(path);
      if (content === undefined) {
        if (!optional) throw new Error(`EnvironmentFile=${path}: no such file`);
        continue;
      }
      Object.assign(environment, parseEnvironmentFile(content));
    }
  }
  const last = (key: string) => settings.filter(([k]) => k === key).at(-1)?.[1];
  const command = (value: string) => splitWords(value.replace(/^[-@:+!]+/, ''), environment);
  const execStart = last('ExecStart');
  if (!execStart) throw new Error('the unit has no ExecStart=');
  const user = last('User');
  const group = last('Group');
  const workingDirectory = last('WorkingDirectory');
  return {
    execStart: command(execStart),
    execStartPre: settings.filter(([k]) => k === 'ExecStartPre').map(([, v]) => command(v)),
    environment,
    ...(user ? { user } : {}),
    ...(group ? { group } : {}),
    ...(workingDirectory ? { workingDirectory } : {}),
  };
}

function assign(env: Record<string, string>, word: string) {
  const eq = word.indexOf('=');
  if (eq > 0) env[word.slice(0, eq)] = word.slice(eq + 1);
}

/**
 * An EnvironmentFile= (systemd.exec(5)): `KEY=value` lines, `#`/`;` comments, blanks around the
 * value stripped unless it is quoted, "…" with backslash escapes, a trailing backslash continues.
 */
export function parseEnvironmentFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.replaceAll(/\\\n/g, '').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!m?.[1]) continue;
    let value = m[2] ?? '';
    const q = value[0];
    if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) {
      value = value.slice(1, -1);
      if (q === '"') value = value.replaceAll(/\\(.)/g, '$1');
    }
    env[m[1]] = value;
  }
  return env;
}

// ---- the host's view ----

/**
 * bubblewrap arguments that show `root` as the host: /var/lib, /var/log and /run are the root's,
 * /etc is the host's with the root's entries laid over it (directories merged, files replaced), so
 * the Java alternatives, passwd and CA certificates stay. The network is the machine's.
 */
export function hostViewArgs(root: string): string[] {
  const args = [
    '--ro-bind',
    '/',
    '/',
    '--dev-bind',
    '/dev',
    '/dev',
    '--proc',
    '/proc',
    '--bind',
    '/tmp',
    '/tmp',
  ];
  for (const dir of REPLACED) {
    mkdirSync(join(root, dir), { recursive: true });
    args.push('--bind', join(root, dir), dir);
  }
  for (const dir of MERGED) {
    mkdirSync(join(root, dir), { recursive: true });
    args.push('--tmpfs', dir, ...merge(dir, join(root, dir), dir));
  }
  return args;
}

function merge(host: string, upper: string, target: string): string[] {
  const args: string[] = [];
  const own = new Set(readdirSync(upper));
  for (const name of readdirSync(host)) {
    if (own.has(name)) continue;
    const from = join(host, name);
    const st = lstatSync(from);
    if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(from), join(target, name));
    else if (st.isDirectory() || st.isFile()) args.push('--ro-bind', from, join(target, name));
  }
  for (const name of own) {
    const from = join(upper, name);
    const hostEntry = join(host, name);
    // a host directory reached through a symlink (Debian's /etc/zookeeper/conf -> alternatives)
    // is merged too: on a real host the rendered zoo.cfg lands beside the package's environment
    const bothDirs =
      statSync(from).isDirectory() && existsSync(hostEntry) && statSync(hostEntry).isDirectory();
    if (bothDirs)
      args.push('--dir', join(target, name), ...merge(realpathSync(hostEntry), from, join(target, name)));
    else args.push('--bind', from, join(target, name));
  }
  return args;
}

/** Run a host's steps script (its path on the machine, or below the root) with the host's view. */
export function runSteps(root: string, script: string): number {
  const shims = join(root, STATE, 'bin');
  mkdirSync(shims, { recursive: true });
  writeFileSync(
    join(shims, 'systemctl'),
    `#!/bin/sh\nexec ${shellWord(process.execPath)} ${shellWord(SERVICE_RUNNER)} systemctl "$@"\n`,
    { mode: 0o755 },
  );
  // below one of the root's view directories it is seen at its host path; elsewhere as it is
  const below = script.startsWith(`${root}/`) ? script.slice(root.length) : undefined;
  const inView = below && [...REPLACED, ...MERGED].some((d) => below.startsWith(`${d}/`)) ? below : script;
  const r = spawnSync(
    'bwrap',
    [
      ...hostViewArgs(root),
      '--setenv',
      'PATH',
      `${STATE}/bin:${process.env.PATH ?? '/usr/bin:/bin'}`,
      '--',
      '/bin/bash',
      inView,
    ],
    { stdio: 'inherit', timeout: 120_000 },
  );
  if (r.error) throw r.error;
  return r.status ?? 1;
}

const shellWord = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

// ---- systemctl, inside the view ----

const unitPath = (unit: string) =>
  ['/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system']
    .map((d) => join(d, unit))
    .find((p) => existsSync(p));
const pidFile = (unit: string) => join(STATE, `${unit}.pid`);
const unitName = (name: string) => (name.includes('.') ? name : `${name}.service`);

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stop a process group: TERM, up to 10 s, then KILL. */
export function stopGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return;
  }
  const until = Date.now() + 10_000;
  while (groupAlive(pgid) && Date.now() < until) spawnSync('sleep', ['0.1']);
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {}
  }
}

function running(unit: string): number | undefined {
  const file = pidFile(unit);
  if (!existsSync(file)) return undefined;
  const pgid = Number(readFileSync(file, 'utf8').trim());
  return pgid > 0 && groupAlive(pgid) ? pgid : undefined;
}

function stop(unit: string) {
  const pgid = running(unit);
  if (pgid !== undefined) stopGroup(pgid);
  rmSync(pidFile(unit), { force: true });
}

function start(unit: string) {
  if (running(unit) !== undefined) return;
  const path = unitPath(unit);
  if (!path) throw new Error(`Unit ${unit} not found.`);
  const u = parseUnit(readFileSync(path, 'utf8'), (p) =>
    existsSync(p) ? readFileSync(p, 'utf8') : undefined,
  );
  const env = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...u.environment };
  // User=/Group= as systemd applies them, when the runner may: it runs as root
  const asUser =
    process.getuid?.() === 0 && u.user
      ? ['setpriv', `--reuid=${u.user}`, `--regid=${u.group ?? u.user}`, '--init-groups', '--']
      : [];
  for (const pre of u.execStartPre) {
    const r = spawnSync(pre[0] ?? '', pre.slice(1), { env, stdio: 'inherit', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${unit}: ExecStartPre ${pre.join(' ')} exited ${r.status}`);
  }
  const logDir = '/var/log/k8sm-service-runner';
  mkdirSync(logDir, { recursive: true });
  const log = openSync(join(logDir, `${unit}.log`), 'a');
  const argv = ['timeout', '--kill-after=5', String(LIFETIME_SECONDS), ...asUser, ...u.execStart];
  const child = spawn(argv[0] ?? '', argv.slice(1), {
    detached: true,
    env,
    cwd: u.workingDirectory ?? '/',
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`${unit}: could not start ${u.execStart.join(' ')}`);
  mkdirSync(STATE, { recursive: true });
  writeFileSync(pidFile(unit), `${child.pid}\n`);
  child.unref();
}

/** `systemctl <verb> <unit>…` for the verbs the rendered steps use; the exit code systemctl would give. */
export function systemctl(args: readonly string[]): number {
  const [verb, ...rest] = args.filter((a) => !a.startsWith('-'));
  const units = rest.map(unitName);
  switch (verb) {
    case 'daemon-reload':
      return 0;
    case 'enable':
    case 'disable':
      mkdirSync(STATE, { recursive: true });
      for (const u of units)
        if (verb === 'enable') writeFileSync(join(STATE, `${u}.enabled`), '');
        else rmSync(join(STATE, `${u}.enabled`), { force: true });
      return 0;
    case 'start':
      for (const u of units) start(u);
      return 0;
    case 'restart':
      for (const u of units) {
        stop(u);
        start(u);
      }
      return 0;
    case 'stop':
      for (const u of units) stop(u);
      return 0;
    case 'is-active':
      return units.every((u) => running(u) !== undefined) ? 0 : 3;
    default:
      process.stderr.write(`k8sm service runner: systemctl ${verb ?? ''} is not supported\n`);
      return 1;
  }
}

// ---- teardown, from outside ----

/** The process groups of every service started under `root`. */
export function servicesOf(root: string): { unit: string; pgid: number; alive: boolean }[] {
  const dir = join(root, STATE);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pid'))
    .map((f) => {
      const pgid = Number(readFileSync(join(dir, f), 'utf8').trim());
      return { unit: f.slice(0, -4), pgid, alive: pgid > 0 && groupAlive(pgid) };
    });
}

/** Stop every service started under `root` (each process group: TERM, then KILL). */
export function stopServices(root: string): void {
  for (const s of servicesOf(root)) if (s.alive) stopGroup(s.pgid);
}
