import type { ProbeSystem } from '@k8sm/spec';
import {
  MEMBER_ACCESS_OPTIONS,
  memberCredentials,
  parseNumber,
  secondsFlag,
  TIMEOUT_SECONDS,
  tlsFlags,
} from '../args.js';
import { UsageError } from '../errors.js';
import { defineCommand } from './command.js';
import { URL_FLAGS, urlKey, zkKey } from './probe.js';

/** The exporter's port when --listen gives none: beside node_exporter's 9100 range, unassigned in Prometheus' port list. */
export const DEFAULT_LISTEN = '127.0.0.1:9180';

/** `host:port`, `[v6]:port`; port 0 asks the kernel for a free one (tests). */
function listenOf(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  if (!m || port > 65_535)
    throw new UsageError(
      `--listen ${text}: write address:port, e.g. --listen ${DEFAULT_LISTEN} (or 0.0.0.0:9180 for every interface)`,
    );
  return { host: m[1] ?? m[2] ?? '', port };
}

const OPTIONS = {
  listen: { type: 'string' },
  spec: { type: 'string' },
  'allow-adhoc-targets': { type: 'boolean' },
  cache: { type: 'string' },
  'max-runs': { type: 'string' },
  timeout: { type: 'string' },
  concurrency: { type: 'string' },
  'no-discover': { type: 'boolean' },
  ...MEMBER_ACCESS_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

export const command = defineCommand({
  name: 'serve',
  program: 'k8sm-probe',
  synopsis: 'serve --spec <spec.yaml> [--listen addr:port] [options]',
  summary: 'a Prometheus exporter: /metrics for the spec, /probe for one ensemble',
  options: OPTIONS,
  help: `  --listen <addr:port>      where to listen (default ${DEFAULT_LISTEN}; 0.0.0.0:9180 for every interface)
  --spec <spec.yaml>        the ensembles /metrics probes, and the members /probe may ask
  --allow-adhoc-targets     /probe may ask members the spec does not name (an open prober lets
                            whoever reaches it make this host connect anywhere: named on purpose)
  --cache <s>               serve an answer again while it is younger than this (default 10), so
                            two scrapers (an HA Prometheus pair) do not double the load
  --max-runs <n>            probe runs at once (default 4): a scrape that needs one more gets 503
  --timeout <s>             a member's whole probe (default 2); lowered to fit the scrape timeout
                            Prometheus sends (X-Prometheus-Scrape-Timeout-Seconds)
  --concurrency <n>         members probed at once within one run (default 256)
  --no-discover             judge only the spec's members, not the membership they report
  --cacert/--cert/--key <f> TLS for every member (the spec's PKI dir is used where it has them)
  --insecure                do not verify server certificates (named on purpose)
  --stats-user <u> --stats-password-env <VAR>   HAProxy stats credentials
  --token-env <VAR>         a bearer token for the apiservers, from that variable
  -h, --help                this help

Endpoints: /metrics (every ensemble of --spec), /probe?system=zookeeper&target=h1:2181,h2:2181
(one ensemble; system is zookeeper, etcd, mesos, mesos-agent, marathon, apiserver or haproxy),
/healthz. It runs until SIGTERM or SIGINT and finishes the probes in flight.`,
  exitCodes: 'Exit codes: 0 stopped by SIGTERM/SIGINT, 1 cannot listen, 3 usage error or an invalid --spec.',
  async run({ values, positionals }) {
    if (positionals.length > 0) throw new UsageError(`serve takes no argument, got ${positionals.join(' ')}`);
    if (!values.spec && !values['allow-adhoc-targets'])
      throw new UsageError(
        'give --spec <spec.yaml>: /metrics probes its ensembles and /probe may ask its members (or --allow-adhoc-targets for /probe alone)',
      );
    const { host, port } = listenOf(values.listen ?? DEFAULT_LISTEN);
    const timeoutMs = secondsFlag('--timeout', values.timeout, 2, TIMEOUT_SECONDS);
    const cacheMs = secondsFlag('--cache', values.cache, 10, { min: 0, max: 3600 });
    const maxRuns =
      values['max-runs'] === undefined
        ? 4
        : parseNumber('--max-runs', values['max-runs'], { min: 1, max: 256, whole: true });
    const concurrency =
      values.concurrency === undefined
        ? 256
        : parseNumber('--concurrency', values.concurrency, { min: 1, max: 4096, whole: true });
    const tls = await tlsFlags(values);
    const [{ targetsOfSpec }, { startExporter }] = await Promise.all([
      import('../probe.js'),
      import('../exporter.js'),
    ]);
    const targets = values.spec
      ? await targetsOfSpec(values.spec, { ca: values.cacert !== undefined, cert: values.cert !== undefined })
      : [];
    const example = (system: ProbeSystem) => URL_FLAGS.find(([s]) => s === system)?.[1] ?? '';
    const exporter = await startExporter({
      host,
      port,
      targets,
      cacheMs,
      maxRuns,
      allowAdhoc: values['allow-adhoc-targets'] === true,
      memberKey: (system, member) =>
        system === 'zookeeper' ? zkKey(member) : urlKey(system, member, example(system)),
      settings: {
        timeoutMs,
        concurrency,
        http: { tls },
        ...(values['no-discover'] ? { discover: false } : {}),
        ...memberCredentials(values),
      },
    });
    const ensembles = targets.length === 1 ? '1 ensemble' : `${targets.length} ensembles`;
    process.stderr.write(
      `k8sm-probe serve: listening on ${exporter.url} (/metrics: ${ensembles}${values.spec ? ` of ${values.spec}` : ''}; /probe${values['allow-adhoc-targets'] ? ', any target' : ", the spec's members"}; /healthz)\n`,
    );
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM')).once('SIGINT', () => resolve('SIGINT'));
    });
    await exporter.close();
    return { code: 0, stderr: `k8sm-probe serve: stopped on ${signal}` };
  },
});
