import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ProbeFormat, ProbeReport } from '@k8sm/probes';
import {
  groupsOf,
  httpUrl,
  MEMBER_ACCESS_OPTIONS,
  memberCredentials,
  parseNumber,
  secondsFlag,
  TIMEOUT_SECONDS,
  tlsFlags,
  WATCH_SECONDS,
} from '../args.js';
import { statusPaint } from '../colour.js';
import { describeSystemError, ProbeInputError, UsageError } from '../errors.js';
import type { EnsembleTarget, ProbeSettings } from '../probe.js';
import { watch } from '../watch.js';
import { type CommandResult, defineCommand, type OptionTable, type ParsedArgs } from './command.js';

/** The URL flags, in the order their ensembles are probed and reported, with an example each. */
export const URL_FLAGS = [
  ['etcd', 'http://10.0.0.1:2379'],
  ['mesos', 'http://10.0.0.1:5050'],
  ['mesos-agent', 'http://10.0.0.11:5051'],
  ['marathon', 'http://10.0.0.1:8080'],
  ['apiserver', 'https://10.0.0.1:6443'],
  ['haproxy', 'http://10.0.0.1:9000/stats'],
] as const;

const ZK_EXAMPLE = '10.16.40.1:2181';

/** Members one flag may list, over all its ensembles: more is a generated list gone wrong, not a cluster. */
export const MAX_MEMBERS_PER_FLAG = 256;

/**
 * One flag's ensembles, each member checked and listed once. `key` checks a member and gives the
 * endpoint it names, so `H:2181` and `h:2181`, or `http://h:80/` and `http://h`, are one member:
 * probed twice, one member would count as two (three copies of a leader were "3 leaders").
 */
function membersOfFlag(
  flag: string,
  values: readonly string[] | undefined,
  example: string,
  key: (member: string) => string,
  warnings: string[],
): string[][] {
  const groups = groupsOf(values);
  groups.forEach((members, i) => {
    if (members.length === 0)
      throw new ProbeInputError(
        `--${flag} ${JSON.stringify(values?.[i] ?? '')}: no member in it: list them comma-separated, e.g. --${flag} ${example}`,
      );
  });
  const count = groups.reduce((n, g) => n + g.length, 0);
  if (count > MAX_MEMBERS_PER_FLAG)
    throw new ProbeInputError(
      `--${flag}: ${count} members, more than the ${MAX_MEMBERS_PER_FLAG} k8sm-probe takes per flag: probe fewer at a time`,
    );
  return groups.map((members) => {
    const seen = new Map<string, string>();
    for (const member of members) {
      const endpoint = key(member);
      const first = seen.get(endpoint);
      if (first === undefined) seen.set(endpoint, member);
      else warnings.push(`--${flag} ${member}: the same member as ${first}, probed once`);
    }
    return [...seen.values()];
  });
}

const portOk = (text: string) => /^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65_535;

/** A ZooKeeper member, `host:port`; the endpoint is the host in lower case and the port. */
export function zkKey(member: string): string {
  const m = /^([^:\s/]+):([^:]*)$/.exec(member);
  if (!m) throw new ProbeInputError(`--zk ${member}: write host:port, e.g. --zk ${ZK_EXAMPLE}`);
  const [, host = '', port = ''] = m;
  if (!portOk(port))
    throw new ProbeInputError(
      `--zk ${member}: port ${port || '(empty)'} is not a TCP port: give 1 to 65535, e.g. --zk ${host}:2181`,
    );
  return `${host.toLowerCase()}:${Number(port)}`;
}

/** A URL member; the endpoint as WHATWG URL parsing gives it (host case, default port), without a trailing slash. */
export function urlKey(flag: string, member: string, example: string): string {
  const authority = /^https?:\/\/([^/?#\s]*)/i.exec(member)?.[1] ?? '';
  const port = /^(?:[^@]*@)?(?:\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority)?.[1];
  if (port !== undefined && !portOk(port))
    throw new ProbeInputError(
      `${flag} ${member}: port ${port || '(empty)'} is not a TCP port: give 1 to 65535, e.g. ${example}`,
    );
  const url = new URL(httpUrl(flag, member, example));
  return `${url.protocol}//${url.username}@${url.host}${url.pathname.replace(/\/+$/, '')}${url.search}`;
}

const FORMAT_FLAGS = ['json', 'prometheus', 'nagios'] as const satisfies readonly ProbeFormat[];

const OPTIONS = {
  zk: { type: 'string', multiple: true },
  etcd: { type: 'string', multiple: true },
  mesos: { type: 'string', multiple: true },
  'mesos-agent': { type: 'string', multiple: true },
  marathon: { type: 'string', multiple: true },
  apiserver: { type: 'string', multiple: true },
  haproxy: { type: 'string', multiple: true },
  spec: { type: 'string' },
  timeout: { type: 'string' },
  concurrency: { type: 'string' },
  'no-discover': { type: 'boolean' },
  warning: { type: 'string', short: 'w' },
  critical: { type: 'string', short: 'c' },
  'cert-warning': { type: 'string' },
  'cert-critical': { type: 'string' },
  ...MEMBER_ACCESS_OPTIONS,
  json: { type: 'boolean' },
  prometheus: { type: 'boolean' },
  nagios: { type: 'boolean' },
  watch: { type: 'string' },
  html: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies OptionTable;

export const command = defineCommand({
  name: 'probe',
  program: 'k8sm-probe',
  synopsis: `[--zk host:port,…]… [--etcd url,…]… [--mesos url,…]… [--mesos-agent url,…]… [--marathon url,…]…
             [--apiserver url,…]… [--haproxy stats-url]… [--spec spec.yaml] [options]`,
  summary: 'whether each member is up, who leads, and whether each ensemble holds quorum',
  options: OPTIONS,
  help: `  --zk <host:port,…>        a ZooKeeper ensemble (srvr and mntr on every member)
  --etcd/--mesos/--marathon/--apiserver <url,…>  an ensemble of that system; URLs with their scheme
  --mesos-agent <url,…>     Mesos agents: each up when /slave(1)/health is 200 and it is registered
                            with a master (slave/registered 1); no election, any may fail alone
  --haproxy <stats-url>     an HAProxy stats page (judged per backend: its servers are the members)
  --spec <spec.yaml>        every ensemble the spec describes
  --timeout <s>             a member's whole probe: every request and TLS handshake (default 2)
  --concurrency <n>         members probed at once, over all ensembles (default 256)
  --no-discover             judge only the members given; by default a ZooKeeper (conf) or etcd
                            (member list) member's own list of its ensemble sets the quorum, and
                            members it names that were not given are probed too (each with its
                            own --timeout, so a run takes at most two)
  -w, --warning <s>         an ensemble whose slowest member took longer is at least WARNING
  -c, --critical <s>        … at least CRITICAL (both also set Nagios' latency perfdata limits)
  --cert-warning <days>     an ensemble a member of which shows a TLS certificate with fewer days
                            left is at least WARNING (HTTPS members; the certificate of the probe's
                            own handshake)
  --cert-critical <days>    … at least CRITICAL (both also set the cert_days perfdata limits)
  --cacert/--cert/--key <f> TLS: CA to verify servers, client certificate and key
  --insecure                do not verify server certificates (named on purpose)
  --stats-user <u> --stats-password-env <VAR>   HAProxy stats credentials
  --token-env <VAR>         a bearer token for the apiservers, from that variable (never a flag)
  --json | --prometheus | --nagios              output format (default: a table)
  --watch <s>               probe again every <s> seconds until SIGINT/SIGTERM, print on change
                            (--json: one NDJSON line per round, the time inside)
  --html <file>             also write the run as a self-contained HTML page (not with --watch)
  -h, --help                this help
  --version                 print the version

Each --flag value is one ensemble (comma-separated members); repeat a flag for more ensembles.`,
  async run({ values, positionals }, { version }) {
    if (values.version) return { code: 0, stdout: `k8sm-probe ${version}` };
    const [word] = positionals;
    if (word === 'quorum')
      throw new UsageError('quorum is a command: put it first, as in k8sm-probe quorum 5');
    if (word !== undefined) throw new UsageError(`unknown command "${word}"`);
    const chosen = FORMAT_FLAGS.filter((f) => values[f]);
    if (chosen.length > 1)
      throw new UsageError(`${chosen.map((f) => `--${f}`).join(' and ')}: choose one output format`);
    const format: ProbeFormat = chosen[0] ?? 'table';
    if (values.html !== undefined && values.watch !== undefined)
      throw new UsageError('--html and --watch: the HTML report is of one run; drop one of them');
    try {
      return await probeCommand(values, format);
    } catch (error) {
      if (error instanceof ProbeInputError && error.stdout) throw error;
      if (!(error instanceof UsageError || error instanceof ProbeInputError)) throw error;
      const { UNKNOWN_FORMATS } = await import('@k8sm/probes');
      throw new ProbeInputError(error.message, UNKNOWN_FORMATS[format](error.message));
    }
  },
});

type ProbeValues = ParsedArgs<typeof OPTIONS>['values'];

/** After the output format is known: every input error from here on is an UNKNOWN in that format. */
async function probeCommand(values: ProbeValues, format: ProbeFormat): Promise<CommandResult> {
  const warnings: string[] = [];
  const urlTargets = URL_FLAGS.flatMap(([system, example]) =>
    membersOfFlag(
      system,
      values[system],
      example,
      (url) => urlKey(`--${system}`, url, example),
      warnings,
    ).map((members) => ({ system, members })),
  );
  const zk = membersOfFlag('zk', values.zk, ZK_EXAMPLE, zkKey, warnings).map((members) => ({
    system: 'zookeeper' as const,
    members,
  }));
  const timeoutMs = secondsFlag('--timeout', values.timeout, 2, TIMEOUT_SECONDS);
  const concurrency =
    values.concurrency === undefined
      ? 256
      : parseNumber('--concurrency', values.concurrency, { min: 1, max: 4096, whole: true });
  const warningMs =
    values.warning === undefined
      ? undefined
      : secondsFlag('-w/--warning', values.warning, 0, TIMEOUT_SECONDS);
  const criticalMs =
    values.critical === undefined
      ? undefined
      : secondsFlag('-c/--critical', values.critical, 0, TIMEOUT_SECONDS);
  if (warningMs !== undefined && criticalMs !== undefined && warningMs > criticalMs)
    throw new UsageError(
      `-w ${values.warning} is above -c ${values.critical}: the WARNING latency must not exceed the CRITICAL one`,
    );
  const certDays = (flag: 'cert-warning' | 'cert-critical') =>
    values[flag] === undefined
      ? undefined
      : parseNumber(`--${flag}`, values[flag], { min: 0, max: 36_500, whole: true, unit: 'days' });
  const [certWarning, certCritical] = [certDays('cert-warning'), certDays('cert-critical')];
  if (certWarning !== undefined && certCritical !== undefined && certWarning < certCritical)
    throw new UsageError(
      `--cert-warning ${certWarning} is below --cert-critical ${certCritical}: warn earlier (more days left) than the critical limit`,
    );
  const intervalMs =
    values.watch === undefined ? undefined : secondsFlag('--watch', values.watch, 10, WATCH_SECONDS);

  // loaded by this command only: undici and the probes are most of the bundle
  const [{ probeAll, targetsOfSpec }, { PROBE_FORMATS, WATCH_FORMATS, exitCodeOf, formatTable, redactUrl }] =
    await Promise.all([import('../probe.js'), import('@k8sm/probes')]);
  const targets: EnsembleTarget[] = [
    ...zk,
    ...urlTargets,
    ...(values.spec
      ? await targetsOfSpec(values.spec, { ca: values.cacert !== undefined, cert: values.cert !== undefined })
      : []),
  ];
  if (targets.length === 0)
    throw new UsageError(
      'nothing to probe: give --zk, --etcd, --mesos, --mesos-agent, --marathon, --apiserver, --haproxy or --spec',
    );
  const tls = await tlsFlags(values);
  const settings: ProbeSettings = {
    timeoutMs,
    concurrency,
    ...(values['no-discover'] ? { discover: false } : {}),
    ...(warningMs === undefined && criticalMs === undefined
      ? {}
      : {
          latency: {
            ...(warningMs === undefined ? {} : { warningMs }),
            ...(criticalMs === undefined ? {} : { criticalMs }),
          },
        }),
    ...(certWarning === undefined && certCritical === undefined
      ? {}
      : {
          certificates: {
            ...(certWarning === undefined ? {} : { warningDays: certWarning }),
            ...(certCritical === undefined ? {} : { criticalDays: certCritical }),
          },
        }),
    http: { tls },
    ...memberCredentials(values),
  };
  // a table on a terminal gets its statuses coloured; the machine formats never do
  const paint = format === 'table' ? statusPaint() : undefined;
  const print = paint ? (report: ProbeReport) => formatTable(report, { paint }) : PROBE_FORMATS[format];
  const warned = warnings.map((w) => redactUrl(`k8sm-probe: warning: ${w}`)).join('\n');
  if (intervalMs === undefined) {
    if (values.html !== undefined) await writableHtml(values.html);
    const report = await probeAll(targets, settings);
    if (values.html !== undefined) {
      const { formatHtml } = await import('@k8sm/probes');
      await writeHtml(values.html, formatHtml(report, new Date()));
    }
    return { code: exitCodeOf(report.status), stdout: print(report), ...(warned ? { stderr: warned } : {}) };
  }
  if (warned) process.stderr.write(`${warned}\n`);
  // --watch: print the report when a status changes
  const last = await watch<ProbeReport>({
    intervalMs,
    round: () => probeAll(targets, settings),
    changed: (previous, next) => previous === undefined || stateOf(previous) !== stateOf(next),
    print: (report) =>
      process.stdout.write(
        paint
          ? WATCH_FORMATS.table(report, new Date(), { paint })
          : WATCH_FORMATS[format](report, new Date()),
      ),
  });
  return { code: last ? exitCodeOf(last.status) : 0 };
}

const htmlError = (path: string, why: string) =>
  new ProbeInputError(`--html ${path}: cannot write the report there: ${why}`);

/** Before any probe is sent: the report's directory exists and the path is not a directory. */
async function writableHtml(path: string): Promise<void> {
  if (path === '') throw htmlError(path, 'give a file path, e.g. --html report.html');
  const dir = await stat(dirname(path)).catch((error: unknown) => {
    throw htmlError(path, `its directory ${dirname(path)}: ${describeSystemError(error)}`);
  });
  if (!dir.isDirectory()) throw htmlError(path, `${dirname(path)} is not a directory`);
  const target = await stat(path).catch(() => undefined);
  if (target?.isDirectory()) throw htmlError(path, 'it is a directory');
}

/** Written whole or not at all: a temporary file beside it, renamed over it (a reader never sees half a page). */
async function writeHtml(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const file = await open(temp, 'wx', 0o644);
    try {
      await file.writeFile(text);
      // the mode open gave is less the umask
      await file.chmod(0o644);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw htmlError(path, describeSystemError(error));
  }
}

/** What a watch compares between rounds: each ensemble's status, each member's up and leader. */
export const stateOf = (report: ProbeReport): string =>
  JSON.stringify(report.ensembles.map((e) => [e.status, e.members.map((m) => [m.result.ok, m.leader])]));
