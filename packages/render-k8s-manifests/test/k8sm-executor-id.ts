/**
 * A model of the executor ID that `km scheduler` computes from its own command line, read from
 * kubernetes-retired/kube-mesos-framework at commit a42c62e7d4a2664f48694975e0dfd4f803568524
 * (2015-10-15, the contrib/mesos code of the Kubernetes 1.1 era):
 * - pkg/scheduler/service/service.go `prepareExecutorInfo`: the executor's command value,
 *   arguments and URIs, and `serveFrameworkArtifactWithFilename`: a local km is served at
 *   `http://<--advertised-address>/km` when that is set, else `http://<--address>:<--port>/km`
 *   (the `--ha-domain` branch is unreachable: that flag is commented out);
 * - pkg/scheduler/service/util.go `hashExecutorInfo`: CRC-64/ECMA (Go hash/crc64) over name,
 *   source, data, command value, user, shell, the sorted arguments and the sorted
 *   `<uri><executable><extract>` strings;
 * - pkg/scheduler/uid/uid.go: the ID is `<hash in hex>_k8sm-executor`, and
 *   `validateLeadershipTransition` is fatal when the hash (the UID group) of the new leader
 *   differs from the current one's.
 * Flags the rendered command line leaves at their defaults are constants of the binary, the same
 * on every scheduler: the model writes them as `<default>`, which changes no comparison.
 */

// execcfg.DefaultInfoName, DefaultInfoSource, DefaultInfoID (pkg/executor/config/config.go)
const INFO_NAME = 'Kubelet-Executor';
const INFO_SOURCE = 'kubernetes';
const INFO_ID = 'k8sm-executor';
// ports.SchedulerPort; NewSchedulerServer's Address default
const SCHEDULER_PORT = '10251';
const DEFAULT_ADDRESS = '127.0.0.1';
const DEFAULT = '<default>';

export interface ExecutorInfoModel {
  readonly value: string;
  readonly arguments: readonly string[];
  readonly uris: readonly {
    readonly value: string;
    readonly executable: boolean;
    readonly extract: boolean;
  }[];
}

/** `--name=value` words → name → value; a bare `--name` is `true`, as pflag reads a bool. */
function parseFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (const word of argv) {
    const m = /^--?([^=]+)(?:=(.*))?$/s.exec(word);
    if (m?.[1]) flags.set(m[1], m[2] ?? 'true');
  }
  return flags;
}

/**
 * The ExecutorInfo of prepareExecutorInfo for a scheduler started with `argv` (the words after
 * `km scheduler`), `executable` being where km runs (osext.Executable, the --km-path default).
 */
export function executorInfoOf(argv: readonly string[], executable: string): ExecutorInfoModel {
  const f = parseFlags(argv);
  const get = (name: string) => f.get(name) ?? DEFAULT;
  const uris: { value: string; executable: boolean; extract: boolean }[] = [];
  if (f.has('static-pods-config')) throw new Error('the model does not hash --static-pods-config data');
  const advertised = f.get('advertised-address');
  const serveAs = (filename: string) =>
    advertised
      ? `http://${advertised}/${filename}`
      : `http://${f.get('address') ?? DEFAULT_ADDRESS}:${f.get('port') ?? SCHEDULER_PORT}/${filename}`;
  const serve = (path: string): [uri: string, basename: string] => {
    const basename = path.split('/').at(-1) ?? path;
    return [serveAs(basename), basename];
  };
  const args: string[] = [];
  let value: string;
  const executorPath = f.get('executor-path');
  if (executorPath) {
    const [uri, cmd] = serve(executorPath);
    uris.push({ value: uri, executable: true, extract: false });
    value = `./${cmd}`;
  } else {
    const kmPath = f.get('km-path') ?? executable;
    if (kmPath.indexOf('://') > 0) {
      uris.push({ value: kmPath, executable: true, extract: false });
      value = './km';
    } else {
      const [uri, cmd] = serve(kmPath);
      uris.push({ value: uri, executable: true, extract: false });
      value = `./${cmd}`;
    }
    args.push(
      'minion',
      `--run-proxy=${get('run-proxy')}`,
      `--proxy-bindall=${get('proxy-bindall')}`,
      `--proxy-logv=${get('proxy-logv')}`,
      `--path-override=${get('minion-path-override')}`,
      `--max-log-size=${get('minion-max-log-size')}`,
      `--max-log-backups=${get('minion-max-log-backups')}`,
      `--max-log-age=${get('minion-max-log-age')}`,
    );
  }
  const dockercfg = f.get('dockercfg-path');
  if (dockercfg) uris.push({ value: serveAs('.dockercfg'), executable: false, extract: false });
  args.push(
    `--api-servers=${f.get('api-servers') ?? ''}`,
    `--v=${get('executor-logv')}`,
    `--allow-privileged=${get('allow-privileged')}`,
    `--suicide-timeout=${get('executor-suicide-timeout')}`,
    `--mesos-launch-grace-period=${get('mesos-launch-grace-period')}`,
  );
  if (f.get('executor-bindall') === 'true') args.push('--address=0.0.0.0');
  args.push(
    `--mesos-cgroup-prefix=${get('mesos-cgroup-prefix')}`,
    `--cadvisor-port=${get('kubelet-cadvisor-port')}`,
    `--sync-frequency=${get('kubelet-sync-frequency')}`,
    `--contain-pod-resources=${get('contain-pod-resources')}`,
    `--enable-debugging-handlers=${get('profiling')}`,
  );
  const authPath = f.get('auth-path');
  if (authPath) {
    const [uri, basename] = serve(authPath);
    uris.push({ value: uri, executable: false, extract: false });
    args.push(`--auth-path=${basename}`);
  }
  for (const [arg, flag] of [
    ['cluster-dns', 'cluster-dns'],
    ['cluster-domain', 'cluster-domain'],
    ['root-dir', 'kubelet-root-dir'],
    ['docker-endpoint', 'kubelet-docker-endpoint'],
    ['pod-infra-container-image', 'kubelet-pod-infra-container-image'],
    ['host-network-sources', 'kubelet-host-network-sources'],
    ['network-plugin', 'kubelet-network-plugin'],
  ] as const) {
    const v = f.get(flag);
    if (v) args.push(`--${arg}=${v}`);
  }
  return { value, arguments: args, uris };
}

// Go's hash/crc64 with the ECMA polynomial (reversed form), table-driven as crc64.update does.
const ECMA = 0xc96c5795d7870f42n;
const MASK = 0xffffffffffffffffn;
const TABLE = Array.from({ length: 256 }, (_, i) => {
  let crc = BigInt(i);
  for (let j = 0; j < 8; j++) crc = crc & 1n ? (crc >> 1n) ^ ECMA : crc >> 1n;
  return crc;
});

export function crc64Ecma(bytes: Uint8Array): bigint {
  let crc = ~0n & MASK;
  for (const b of bytes) crc = (TABLE[Number((crc ^ BigInt(b)) & 0xffn)] ?? 0n) ^ (crc >> 8n);
  return ~crc & MASK;
}

/** hashExecutorInfo, then uid.New(hash, "k8sm-executor").String(). */
export function executorId(info: ExecutorInfoModel): string {
  return `${crc64Ecma(hashInput(info)).toString(16)}_${INFO_ID}`;
}

/** The bytes hashExecutorInfo feeds to the CRC. */
export function hashInput(info: ExecutorInfoModel): Uint8Array {
  // name, source, Data (empty without --static-pods-config), command value, user (unset), shell
  const parts = [INFO_NAME, INFO_SOURCE, '', info.value, '', 'false'];
  parts.push(...[...info.arguments].sort());
  parts.push(...info.uris.map((u) => `${u.value}${u.executable}${u.extract}`).sort());
  return new TextEncoder().encode(parts.join(''));
}
