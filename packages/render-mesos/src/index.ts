import {
  type Artifact,
  type ClusterPlan,
  type CommandArtifact,
  type DerivedFlagValues,
  disableService,
  enableServices,
  envFileLine,
  type FileArtifact,
  flagFile,
  flagPairs,
  type InDocker,
  MARATHON_BIND_VARIABLE,
  type MarathonMember,
  type MarathonPlan,
  MESOS_PACKAGE_ULIMIT,
  MESOS_WRAPPER_VARIABLES,
  type MesosAgentMember,
  type MesosDerivedFlag,
  type MesosMasterMember,
  type MesosPlan,
  pairFile,
  restartServices,
  type ShellLine,
  sh,
  shContinued,
  versionAtLeast,
} from '@k8sm/spec';
import { renderMarathonApps } from './apps.js';
import { type FlagValue, marathonFlags, mesosFlags, without } from './flags.js';

export { shellQuote } from '@k8sm/spec';
export { marathonAppFile, marathonAppJson, renderMarathonApps } from './apps.js';

const SLAVE_DIR = '/etc/mesos-slave';
const MARATHON_DEFAULTS = '/etc/default/marathon';

/** The part of the cluster plan this renderer reads; it derives nothing else. */
export type MesosPlanSlice = Pick<ClusterPlan, 'name' | 'hosts' | 'mesos' | 'marathon'>;

/** Every Mesos master, agent and Marathon file and command, for every host. */
export function renderMesos(slice: MesosPlanSlice): Artifact[] {
  const { mesos, marathon } = slice;
  if (!mesos) return [];
  const out: Artifact[] = [];
  const variables: WrapperVariable[] = [];
  for (const m of mesos.masters)
    out.push(...(mesos.runtime === 'docker' ? dockerMaster(mesos, m) : packageMaster(mesos, m, variables)));
  for (const a of mesos.agents)
    out.push(...(mesos.runtime === 'docker' ? dockerAgent(mesos, a) : packageAgent(mesos, a, variables)));
  if (marathon) {
    for (const m of marathon.members)
      out.push(
        ...(marathon.runtime === 'docker' ? dockerMarathon(marathon, m) : packageMarathon(marathon, m)),
      );
    out.push(...renderMarathonApps(slice.name, marathon));
  }
  if (mesos.runtime === 'package') {
    // /etc/mesos/zk feeds both the master and the agent: once per host that runs either.
    const hosts = [...new Set([...mesos.masters, ...mesos.agents].map((m) => m.host))];
    const zk = flagFile('/etc/mesos', 'zk', mesos.zkUrl);
    out.push(...hosts.map((host) => file(host, zk.path, zk.content)));
    out.push(...wrapperEnvFiles(variables));
    out.push(...disableForeignServices(slice));
  }
  return out;
}

const file = (
  host: string,
  path: string,
  content: string,
  component: 'mesos' | 'marathon' = 'mesos',
): FileArtifact => ({
  kind: 'file',
  host,
  path,
  mode: 0o644,
  content,
  component,
});
const step = (
  host: string,
  order: number,
  command: ShellLine,
  component: 'mesos' | 'marathon' = 'mesos',
): CommandArtifact => ({
  kind: 'command',
  host,
  order,
  command,
  component,
});

/**
 * The Mesos packages' init wrapper turns every file `<dir>/<flag>` into `--<flag>=<contents>`,
 * `?<flag>` into a bare `--<flag>` and `?no-<flag>` into its negation: flag files therefore hold
 * the value alone, with no comment line (it would become part of the value).
 */
function flagFiles(
  host: string,
  dir: string,
  flags: Readonly<Record<string, FlagValue>>,
  component: 'mesos' | 'marathon' = 'mesos',
  no = 'no-',
): FileArtifact[] {
  return Object.entries(flags).map(([flag, value]) => {
    const f = flagFile(dir, flag, value, no);
    return file(host, f.path, f.content, component);
  });
}

/** A variable of /etc/default/mesos* that the init wrapper turns into a flag, for one host. */
interface WrapperVariable {
  readonly host: string;
  readonly file: string;
  readonly variable: string;
  readonly value: FlagValue;
}

/**
 * The flags the init wrapper passes from a variable (MESOS_WRAPPER_VARIABLES) go in that variable,
 * the others in flag files: given both ways Mesos would get them twice and refuse to start.
 */
function forWrapper(
  kind: 'master' | 'agent',
  host: string,
  flags: Readonly<Record<string, FlagValue>>,
  variables: WrapperVariable[],
): Record<string, FlagValue> {
  const table: Readonly<Record<string, { readonly file: string; readonly variable: string }>> =
    MESOS_WRAPPER_VARIABLES[kind];
  const files: Record<string, FlagValue> = {};
  for (const [flag, value] of Object.entries(flags)) {
    const to = Object.hasOwn(table, flag) ? table[flag] : undefined;
    if (to) variables.push({ host, ...to, value });
    else files[flag] = value;
  }
  return files;
}

/**
 * Each host's /etc/default/mesos (with the package's ULIMIT kept, as k8sm replaces the file) and
 * /etc/default/mesos-master or -slave. A master and an agent on one host share /etc/default/mesos:
 * they read the same address and log dir, which the plan gives both.
 */
function wrapperEnvFiles(variables: readonly WrapperVariable[]): FileArtifact[] {
  const files = new Map<string, Map<string, FlagValue>>();
  const hosts = new Set(variables.map((v) => v.host));
  for (const host of hosts)
    files.set(`${host}\0/etc/default/mesos`, new Map([['ULIMIT', MESOS_PACKAGE_ULIMIT]]));
  for (const { host, file: path, variable, value } of variables) {
    const key = `${host}\0${path}`;
    const vars = files.get(key) ?? new Map<string, FlagValue>();
    const before = vars.get(variable);
    if (before !== undefined && before !== value)
      throw new Error(`${path} on ${host}: ${variable} would be both ${before} and ${value}`);
    vars.set(variable, value);
    files.set(key, vars);
  }
  return [...files].map(([key, vars]) => {
    const [host = '', path = ''] = key.split('\0');
    const lines = [...vars].map(([name, value]) => envFileLine(path, name, value));
    return file(host, path, `${lines.join('\n')}\n`);
  });
}

function packageMaster(mesos: MesosPlan, m: MesosMasterMember, variables: WrapperVariable[]): Artifact[] {
  const flags = mesosFlags(
    'master',
    m.host,
    {
      quorum: mesos.quorumValue,
      zk: mesos.zkUrl,
      ip: m.address,
      hostname: m.address,
      work_dir: m.workDir,
      log_dir: m.logDir,
      cluster: mesos.cluster || undefined,
      // k8sm writes /etc/default/mesos-master whole: PORT always, as the package's did
      port: m.port,
    },
    m.flags,
  );
  return [
    ...flagFiles(m.host, '/etc/mesos-master', forWrapper('master', m.host, flags, variables)),
    step(m.host, 200, sh`mkdir -p ${m.workDir} ${m.logDir}`),
    step(m.host, 210, enableServices(m.initSystem, ['mesos-master'])),
    step(m.host, 211, restartServices(m.initSystem, ['mesos-master'])),
  ];
}

/** The agent flags both runtimes render the same way. */
function agentFlags(mesos: MesosPlan, a: MesosAgentMember): DerivedFlagValues<MesosDerivedFlag<'agent'>> {
  return {
    ip: a.address,
    hostname: a.address,
    containerizers: a.containerizers.join(','),
    work_dir: a.workDir,
    log_dir: a.logDir,
    isolation: a.isolation ? a.isolation.join(',') : undefined,
    executor_registration_timeout: mesos.executorRegistrationTimeout || undefined,
    port: a.port === 5051 ? undefined : a.port,
  };
}

function packageAgent(mesos: MesosPlan, a: MesosAgentMember, variables: WrapperVariable[]): Artifact[] {
  const flags = mesosFlags(
    'agent',
    a.host,
    {
      master: mesos.zkUrl,
      ...agentFlags(mesos, a),
      switch_user: mesos.switchUser ? undefined : false,
      attributes: flagPairs(SLAVE_DIR, 'attributes', a.attributes),
      resources: flagPairs(SLAVE_DIR, 'resources', a.resources),
    },
    a.flags,
  );
  return [
    ...flagFiles(
      a.host,
      SLAVE_DIR,
      forWrapper('agent', a.host, without(flags, 'attributes', 'resources'), variables),
    ),
    // The init wrapper joins attributes/<k> and resources/<k> into --attributes and --resources.
    ...(['attributes', 'resources'] as const).flatMap((kind) =>
      Object.entries(a[kind]).map(([k, v]) => {
        const f = pairFile(SLAVE_DIR, kind, k, v);
        return file(a.host, f.path, f.content);
      }),
    ),
    step(a.host, 200, sh`mkdir -p ${a.workDir} ${a.logDir}`),
    step(a.host, 220, enableServices(a.initSystem, ['mesos-slave'])),
    step(a.host, 221, restartServices(a.initSystem, ['mesos-slave'])),
  ];
}

/**
 * Marathon's own packages changed how they take flags in 1.5: before, the wrapper
 * (bin/marathon-framework) turned each /etc/marathon/conf/<flag> file into `--<flag> <contents>`
 * and a `?<flag>` file into a bare `--<flag>`; from 1.5 only /etc/default/marathon is read, each
 * MARATHON_<FLAG>=value becoming `--<flag>=value` ("We no longer support /etc/marathon/conf",
 * Marathon 1.5.0 changelog). Marathon negates a boolean with `--disable_<flag>`, not `--no-`.
 */
function packageMarathon(marathon: MarathonPlan, m: MarathonMember): Artifact[] {
  const flags = marathonFlags(
    m.host,
    { hostname: m.address, master: marathon.masterUrl, zk: marathon.zkUrl, http_port: m.httpPort },
    m.flags,
  );
  // /etc/default/marathon carries the driver's address either way (MARATHON_BIND_VARIABLE)
  const files = versionAtLeast(marathon.version, '1.5')
    ? [file(m.host, MARATHON_DEFAULTS, marathonEnvFile(m, flags), 'marathon')]
    : [
        ...flagFiles(m.host, '/etc/marathon/conf', flags, 'marathon', 'disable_'),
        file(m.host, MARATHON_DEFAULTS, marathonEnvFile(m, {}), 'marathon'),
      ];
  return [
    ...files,
    step(m.host, 230, enableServices(m.initSystem, ['marathon']), 'marathon'),
    step(m.host, 231, restartServices(m.initSystem, ['marathon']), 'marathon'),
  ];
}

/** MARATHON_* variables: a boolean is an empty variable, named DISABLE_<FLAG> when false. */
function marathonEnv(flags: Readonly<Record<string, FlagValue>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(flags).map(([flag, value]) =>
      typeof value === 'boolean'
        ? [`MARATHON_${value ? '' : 'DISABLE_'}${flag.toUpperCase()}`, '']
        : [`MARATHON_${flag.toUpperCase()}`, String(value)],
    ),
  );
}

/** LIBPROCESS_IP, the member's address, then the MARATHON_* variables. */
function marathonEnvFile(m: MarathonMember, flags: Readonly<Record<string, FlagValue>>): string {
  const vars = { [MARATHON_BIND_VARIABLE]: m.address, ...marathonEnv(flags) };
  const lines = Object.entries(vars).map(([k, v]) => envFileLine(MARATHON_DEFAULTS, k, v));
  return `${lines.join('\n')}\n`;
}

/** What the guides did by hand: the packages install every service on every host. */
function disableForeignServices(slice: MesosPlanSlice): CommandArtifact[] {
  const out: CommandArtifact[] = [];
  for (const host of slice.hosts) {
    const runs = (role: string) => host.roles.includes(role as never);
    const off: string[] = [];
    if (runs('mesos-master') && !runs('mesos-agent')) off.push('mesos-slave');
    if (runs('mesos-agent') && !runs('mesos-master')) off.push('mesos-master');
    if (runs('mesos-agent') && !runs('zookeeper')) off.push('zookeeper');
    if (runs('mesos-agent') && !runs('marathon') && slice.marathon) off.push('marathon');
    for (const service of off) out.push(step(host.name, 190, disableService(host.initSystem, service)));
  }
  return out;
}

const env = (vars: Record<string, FlagValue | undefined>) =>
  Object.entries(vars)
    .filter((e): e is [string, FlagValue] => e[1] !== undefined)
    .map(([k, v]) => sh`-e ${k}=${String(v)}`);
const flagEnv = (prefix: string, flags: Readonly<Record<string, FlagValue>>) =>
  Object.fromEntries(Object.entries(flags).map(([k, v]) => [`${prefix}${k.toUpperCase()}`, v]));

function dockerRun(
  host: string,
  order: number,
  name: string,
  args: ShellLine[],
  component: 'mesos' | 'marathon' = 'mesos',
): CommandArtifact[] {
  return [
    step(host, order, sh`docker rm -f ${name} >/dev/null 2>&1 || true`, component),
    step(host, order + 1, shContinued([sh`docker run -d`, sh`--name ${name}`, ...args]), component),
  ];
}

/** The work and log dirs are mounted at the same paths and named in MESOS_*: what the image writes is kept. */
function dockerMaster(mesos: InDocker<MesosPlan>, m: MesosMasterMember): Artifact[] {
  const flags = mesosFlags(
    'master',
    m.host,
    {
      hostname: m.address,
      ip: m.address,
      port: m.port,
      zk: mesos.zkUrl,
      quorum: mesos.quorumValue,
      cluster: mesos.cluster,
      work_dir: m.workDir,
      log_dir: m.logDir,
    },
    m.flags,
  );
  const vars = env(flagEnv('MESOS_', flags));
  return [
    step(m.host, 200, sh`mkdir -p ${m.workDir} ${m.logDir}`),
    ...dockerRun(m.host, 210, 'mesos-master', [
      sh`--net host`,
      sh`--restart always`,
      ...vars,
      sh`-v ${m.workDir}:${m.workDir}`,
      sh`-v ${m.logDir}:${m.logDir}`,
      sh`${mesos.image}`,
    ]),
  ];
}

function dockerAgent(mesos: InDocker<MesosPlan>, a: MesosAgentMember): Artifact[] {
  const flags = mesosFlags(
    'agent',
    a.host,
    {
      master: mesos.zkUrl,
      switch_user: mesos.switchUser ? 1 : 0,
      attributes: flagPairs(SLAVE_DIR, 'attributes', a.attributes),
      resources: flagPairs(SLAVE_DIR, 'resources', a.resources),
      ...agentFlags(mesos, a),
    },
    a.flags,
  );
  const vars = env({
    ...flagEnv('MESOS_', flags),
    DOCKER_DAEMON_ARGS: mesos.dockerDaemonArgs.length ? mesos.dockerDaemonArgs.join(' ') : undefined,
  });
  return [
    step(a.host, 200, sh`mkdir -p ${a.workDir} ${a.logDir}`),
    ...dockerRun(a.host, 220, 'mesos-slave', [
      sh`--net host`,
      sh`--pid host`,
      sh`--privileged`,
      sh`--restart always`,
      ...vars,
      sh`-v ${a.workDir}:${a.workDir}`,
      sh`-v ${a.logDir}:${a.logDir}`,
      sh`${mesos.agentImage}`,
    ]),
  ];
}

function dockerMarathon(marathon: InDocker<MarathonPlan>, m: MarathonMember): Artifact[] {
  const flags = marathonFlags(
    m.host,
    { hostname: m.address, master: marathon.masterUrl, zk: marathon.zkUrl, http_port: m.httpPort },
    m.flags,
  );
  const vars = env({ [MARATHON_BIND_VARIABLE]: m.address, ...marathonEnv(flags) });
  return dockerRun(
    m.host,
    230,
    'marathon',
    [sh`--net host`, sh`--restart always`, ...vars, sh`${marathon.image}`],
    'marathon',
  );
}
