import { readFile } from 'node:fs/promises';
import type { ProbeFormat, ProbeReport } from '@k8sm/probes';
import { groupsOf, httpUrl, parseNumber, secondsFlag, TIMEOUT_SECONDS, WATCH_SECONDS } from '../args.js';
import { UsageError } from '../errors.js';
import type { EnsembleTarget, ProbeSettings } from '../probe.js';
import { watch } from '../watch.js';
import { defineCommand } from './command.js';

/** The URL flags, in the order their ensembles are probed and reported, with an example each. */
const URL_FLAGS = [
  ['etcd', 'http://10.0.0.1:2379'],
  ['mesos', 'http://10.0.0.1:5050'],
  ['marathon', 'http://10.0.0.1:8080'],
  ['apiserver', 'https://10.0.0.1:6443'],
  ['haproxy', 'http://10.0.0.1:9000/stats'],
] as const;

const FORMAT_FLAGS = ['json', 'prometheus', 'nagios'] as const satisfies readonly ProbeFormat[];

export const command = defineCommand({
  name: 'probe',
  program: 'k8sm-probe',
  synopsis: `[--zk host:port,…]… [--etcd url,…]… [--mesos url,…]… [--marathon url,…]…
             [--apiserver url,…]… [--haproxy stats-url]… [--spec spec.yaml] [options]`,
  summary: 'whether each member is up, who leads, and whether each ensemble holds quorum',
  options: {
    zk: { type: 'string', multiple: true },
    etcd: { type: 'string', multiple: true },
    mesos: { type: 'string', multiple: true },
    marathon: { type: 'string', multiple: true },
    apiserver: { type: 'string', multiple: true },
    haproxy: { type: 'string', multiple: true },
    spec: { type: 'string' },
    timeout: { type: 'string' },
    concurrency: { type: 'string' },
    cacert: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    insecure: { type: 'boolean' },
    'stats-user': { type: 'string' },
    'stats-password-env': { type: 'string' },
    'token-env': { type: 'string' },
    json: { type: 'boolean' },
    prometheus: { type: 'boolean' },
    nagios: { type: 'boolean' },
    watch: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean' },
  },
  help: `  --zk <host:port,…>        a ZooKeeper ensemble (srvr, and mntr on the leader)
  --etcd/--mesos/--marathon/--apiserver <url,…>  an ensemble of that system; URLs with their scheme
  --haproxy <stats-url>     an HAProxy stats page (each backend server is a member)
  --spec <spec.yaml>        every ensemble the spec describes
  --timeout <s>             per probe, connect to last byte (default 2)
  --concurrency <n>         members probed at once (default 256)
  --cacert/--cert/--key <f> TLS: CA to verify servers, client certificate and key
  --insecure                do not verify server certificates (named on purpose)
  --stats-user <u> --stats-password-env <VAR>   HAProxy stats credentials
  --token-env <VAR>         a bearer token for the apiservers, from that variable (never a flag)
  --json | --prometheus | --nagios              output format (default: a table)
  --watch <s>               probe again every <s> seconds until SIGINT/SIGTERM, print on change
  -h, --help                this help
  --version                 print the version

Each --flag value is one ensemble (comma-separated members); repeat a flag for more ensembles.`,
  async run({ values, positionals }, { version }) {
    if (values.version) return { code: 0, stdout: `k8sm-probe ${version}` };
    const [word] = positionals;
    if (word === 'quorum')
      throw new UsageError('quorum is a command: put it first, as in k8sm-probe quorum 5');
    if (word !== undefined) throw new UsageError(`unknown command "${word}"`);
    const urlTargets = URL_FLAGS.flatMap(([system, example]) =>
      groupsOf(values[system]).map((members) => ({
        system,
        members: members.map((url) => httpUrl(`--${system}`, url, example)),
      })),
    );
    const zk = groupsOf(values.zk).map((members) => ({ system: 'zookeeper' as const, members }));
    const chosen = FORMAT_FLAGS.filter((f) => values[f]);
    if (chosen.length > 1)
      throw new UsageError(`${chosen.map((f) => `--${f}`).join(' and ')}: choose one output format`);
    const format: ProbeFormat = chosen[0] ?? 'table';
    const timeoutMs = secondsFlag('--timeout', values.timeout, 2, TIMEOUT_SECONDS);
    const concurrency =
      values.concurrency === undefined
        ? 256
        : parseNumber('--concurrency', values.concurrency, { min: 1, max: 4096, whole: true });
    const intervalMs =
      values.watch === undefined ? undefined : secondsFlag('--watch', values.watch, 10, WATCH_SECONDS);

    // loaded by this command only: undici and the probes are most of the bundle
    const [{ probeAll, targetsOfSpec }, { PROBE_FORMATS, exitCodeOf }] = await Promise.all([
      import('../probe.js'),
      import('@k8sm/probes'),
    ]);
    const targets: EnsembleTarget[] = [
      ...zk,
      ...urlTargets,
      ...(values.spec ? await targetsOfSpec(values.spec) : []),
    ];
    if (targets.length === 0)
      throw new UsageError(
        'nothing to probe: give --zk, --etcd, --mesos, --marathon, --apiserver, --haproxy or --spec',
      );
    const [ca, cert, key] = await Promise.all([
      readPem('cacert', values.cacert),
      readPem('cert', values.cert),
      readPem('key', values.key),
    ]);
    if ((cert === undefined) !== (key === undefined)) throw new UsageError('--cert and --key go together');
    const passwordEnv = values['stats-password-env'];
    const settings: ProbeSettings = {
      timeoutMs,
      concurrency,
      http: {
        tls: {
          ...(ca === undefined ? {} : { ca }),
          ...(cert === undefined ? {} : { cert }),
          ...(key === undefined ? {} : { key }),
          ...(values.insecure ? { insecure: true } : {}),
        },
      },
      ...(values['stats-user'] ? { statsUser: values['stats-user'] } : {}),
      ...(passwordEnv ? { statsPassword: process.env[passwordEnv] ?? '' } : {}),
      ...(values['token-env'] ? { apiserverToken: process.env[values['token-env']] ?? '' } : {}),
    };
    const print = PROBE_FORMATS[format];
    if (intervalMs === undefined) {
      const report = await probeAll(targets, settings);
      return { code: exitCodeOf(report.status), stdout: print(report) };
    }
    // --watch: print the report when a status changes
    const last = await watch<ProbeReport>({
      intervalMs,
      round: () => probeAll(targets, settings),
      changed: (previous, next) => previous === undefined || stateOf(previous) !== stateOf(next),
      print: (report) => process.stdout.write(`${new Date().toISOString()}\n${print(report)}\n`),
    });
    return { code: last ? exitCodeOf(last.status) : 0 };
  },
});

/** What a watch compares between rounds: each ensemble's status, each member's up and leader. */
export const stateOf = (report: ProbeReport): string =>
  JSON.stringify(report.ensembles.map((e) => [e.status, e.members.map((m) => [m.result.ok, m.leader])]));

async function readPem(flag: string, file: string | undefined): Promise<string | undefined> {
  if (file === undefined) return undefined;
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}
