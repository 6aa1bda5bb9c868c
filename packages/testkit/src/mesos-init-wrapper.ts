// The Mesos packages' start path, run for real: the units run `mesos-init-wrapper master|slave`
// (mesosphere/mesos-deb-packaging systemd/master.systemd, slave.systemd @ 54ec74acbb37), and the
// wrapper (mesos-init-wrapper @ 54ec74acbb37, copied verbatim to upstream/) sources
// /etc/default/mesos and /etc/default/mesos-<role> with allexport, turns ZK/MASTER, IP, PORT,
// CLUSTER, LOGS and ISOLATION into flags, then appends every file of /etc/mesos-<role>/ (and the
// agent's attributes/ and resources/ dirs). Then the flags as Mesos's stout loads them.
import { MESOS_AGENT_FLAGS, MESOS_COMMON_FLAGS, MESOS_MASTER_FLAGS, versionAtLeast } from '@k8sm/spec';
import { runUpstreamScript, type ScriptRun, upstreamFile } from './upstream-script.js';

export type MesosRole = 'master' | 'agent';

/** The package's own /etc/default files, which stay when k8sm does not write its own. */
export const MESOS_PACKAGE_DEFAULTS: Readonly<Record<string, string>> = Object.fromEntries(
  ['mesos', 'mesos-master', 'mesos-slave'].map((f) => [
    `/etc/default/${f}`,
    upstreamFile(`mesos-deb-packaging/default/${f}`),
  ]),
);

const READ = /^\/etc\/(default\/mesos(-master|-slave)?|mesos\/.+|mesos-master\/.+|mesos-slave\/.+)$/;

/**
 * The argv and environment mesos-master or mesos-slave gets from the real init wrapper, on a host
 * holding `files` (its rendered files by absolute path; the others are ignored) over the package's
 * /etc/default files.
 */
export function mesosInitWrapperArgv(files: Readonly<Record<string, string>>, role: MesosRole): ScriptRun {
  const etc = { ...MESOS_PACKAGE_DEFAULTS };
  for (const [path, content] of Object.entries(files)) if (READ.test(path)) etc[path] = content;
  const binary = role === 'master' ? 'mesos-master' : 'mesos-slave';
  return runUpstreamScript({
    script: upstreamFile('mesos-deb-packaging/mesos-init-wrapper'),
    name: 'mesos-init-wrapper',
    args: [role === 'master' ? 'master' : 'slave'],
    etc,
    daemons: [`/usr/sbin/${binary}`],
  });
}

interface Known {
  readonly name: string;
  readonly boolean: boolean;
}

/** The flags of one Mesos version and binary (packages/cluster-spec/src/mesos-flags.ts), by name and alias. */
function flagTable(version: string, role: MesosRole): Map<string, Known> {
  const table = new Map<string, Known>();
  const aliases = versionAtLeast(version, '1.0');
  for (const f of [...MESOS_COMMON_FLAGS, ...(role === 'master' ? MESOS_MASTER_FLAGS : MESOS_AGENT_FLAGS)]) {
    if (f.since && !versionAtLeast(version, f.since)) continue;
    if (f.removed && versionAtLeast(version, f.removed)) continue;
    // from 1.0 a deprecated name is an alias of its new flag (stout flags.hpp `aliases`)
    table.set(f.name, { name: aliases && f.use ? f.use : f.name, boolean: f.boolean === true });
  }
  return table;
}

export interface MesosFlagsLoad {
  /** the error Mesos exits with (after printing its usage), or undefined when it loads */
  readonly error?: string;
  /** every flag loaded, by its name, with its value as text (booleans `true`/`false`) */
  readonly flags: ReadonlyMap<string, string>;
}

/** `--name=value`, `--name`, `--no-name` after strings::trim, lowercased; undefined when no flag. */
function parseArg(word: string): [string, string | undefined] | undefined {
  const arg = word.trim();
  if (!arg.startsWith('--')) return undefined;
  const eq = arg.indexOf('=');
  const name = (eq < 0 ? arg.slice(2) : arg.slice(2, eq)).toLowerCase();
  return [name, eq < 0 ? undefined : arg.slice(eq + 1)];
}

/**
 * FlagsBase::load("MESOS_", argc, argv) of apache/mesos stout (flags/flags.hpp), which
 * mesos-master and mesos-agent call first (src/master/main.cpp, src/slave/main.cpp).
 * - Before 1.0 (3rdparty/libprocess/3rdparty/stout/include/stout/flags/flags.hpp @ tag 0.24.1,
 *   44873806c2bb; the same through 0.28): MESOS_* variables of known flags are read first, then
 *   each argument; a name already read, or `no-<name>` after `<name>`, is
 *   "Duplicate flag '<name>' on command line", so a variable and an argument collide too.
 * - From 1.0 (3rdparty/stout/include/stout/flags/flags.hpp @ tag 1.0.0, c9b70582e9fc; the same at
 *   c1b42f79d157): the arguments, then a variable only for a name no argument gave; a flag
 *   reached twice (again, negated or by an alias) is "Flag '<name>' is already loaded via name
 *   '<first>'".
 * Both: an unknown name is "Failed to load unknown flag", a valued flag needs a value, a
 * negated flag must be boolean.
 */
export function loadMesosFlags(
  run: Pick<ScriptRun, 'argv' | 'env'>,
  version: string,
  role: MesosRole,
): MesosFlagsLoad {
  const table = flagTable(version, role);
  const flags = new Map<string, string>();
  const fail = (error: string): MesosFlagsLoad => ({ error, flags });
  const fromEnv: [string, string | undefined][] = Object.entries(run.env).flatMap(([key, value]) => {
    if (!key.startsWith('MESOS_')) return [];
    const name = key.slice('MESOS_'.length).toLowerCase();
    return table.has(name.replace(/^no-/, '')) ? [[name, value] as [string, string]] : [];
  });
  const fromArgv: [string, string | undefined][] = [];
  for (const word of run.argv.slice(1)) {
    if (word.trim() === '--') break;
    const flag = parseArg(word);
    if (flag) fromArgv.push(flag);
  }
  let values: [string, string | undefined][];
  if (!versionAtLeast(version, '1.0')) {
    const seen = new Map<string, string | undefined>(fromEnv);
    for (const [name, value] of fromArgv) {
      if (seen.has(name) || (name.startsWith('no-') && seen.has(name.slice(3))))
        return fail(`Duplicate flag '${name}' on command line`);
      seen.set(name, value);
    }
    values = [...seen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  } else {
    const given = new Set(fromArgv.map(([name]) => name));
    // a stout Multimap: by name, then in the order put
    values = [...fromArgv, ...fromEnv.filter(([name]) => !given.has(name))]
      .map((v, i) => [v, i] as const)
      .sort(([[a], i], [[b], j]) => (a < b ? -1 : a > b ? 1 : i - j))
      .map(([v]) => v);
  }
  // before 1.0 every name is its own flag, read once: `--x` after `--no-x` goes unnoticed
  const once = versionAtLeast(version, '1.0');
  const loadedVia = new Map<string, string>();
  for (const [name, value] of values) {
    const negated = name.startsWith('no-');
    const flagName = negated ? name.slice(3) : name;
    const flag = table.get(flagName);
    if (!flag) return fail(`Failed to load unknown flag '${flagName}'${negated ? ` via '${name}'` : ''}`);
    const first = loadedVia.get(flag.name);
    if (once && first !== undefined) return fail(`Flag '${flagName}' is already loaded via name '${first}'`);
    loadedVia.set(flag.name, flagName);
    if (!flag.boolean) {
      if (negated) return fail(`Failed to load non-boolean flag '${flagName}' via '${name}'`);
      if (value === undefined) return fail(`Failed to load non-boolean flag '${flagName}': Missing value`);
      flags.set(flag.name, value);
    } else if (value === undefined || value === '') flags.set(flag.name, negated ? 'false' : 'true');
    else if (negated)
      return fail(`Failed to load boolean flag '${flagName}' via '${name}' with value '${value}'`);
    else flags.set(flag.name, value);
  }
  return { flags };
}
