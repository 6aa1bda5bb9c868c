import { readFile } from 'node:fs/promises';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import {
  type ArtifactComponent,
  COMPONENTS,
  describeQuorum,
  type Finding,
  formatFinding,
  formatPath,
  hasErrors,
  K8smError,
  loadSpec,
  quorum,
  type SpecReport,
  SpecSyntaxError,
  specJsonSchemaText,
} from '@k8sm/spec';
import { createTwoFilesPatch } from 'diff';
import type { BridgeRun } from './bridge.js';
import { UsageError } from './errors.js';
import { readRenderInputs } from './inputs.js';
import { readOutputTree, readSpecFile, writeNewFile, writeOutputAtomically } from './output.js';
import { issueMissingPki, pkiIncomplete, pkiSets } from './pki-files.js';
import type { EnsembleTarget, ProbeReport, ProbeSettings } from './probe.js';
import { STARTER_SPEC } from './starter.js';
import { type OutputFile, type OutputTree, renderOutput } from './tree.js';

/** What a command has to say; `print` is the only place that writes it out. */
export interface CommandResult {
  readonly code: 0 | 1 | 2 | 3;
  readonly stdout?: string;
  readonly stderr?: string;
}

const RENDER_USAGE = `Usage:
  k8sm-render <spec.json|spec.yaml> -o <dir> [options]   render every file and command of the cluster
  k8sm-render init [file]                                write a commented starter spec (default k8sm.yaml; - for stdout)
  k8sm-render schema                                     print the JSON Schema of the spec
  k8sm-render bridge --marathon <url,…> -o <haproxy.cfg> [--apply] [--reload <cmd>] [--watch <seconds>]
                                                         HAProxy listeners for Marathon's apps (haproxy-marathon-bridge)
  k8sm-render pki <spec> [-o <pki-dir>]                  create the CA, keys and certificates the spec needs
                                                         that <pki-dir> (default: etcd.tls.pkiDir) lacks

Options:
  -o, --output <dir>     output directory (replaced atomically; must be new, empty or a previous output)
  --only <component>     render only these components (repeat or comma-separate): ${COMPONENTS.join(', ')}
  --host <name>          render only this host's files and script
  --dry-run              validate and list what would be written; write nothing
  --check                compare <dir> with what the spec renders; exit 1 with a diff on drift
  --json                 print a machine-readable summary on stdout
  --strict               warnings fail the run
  -h, --help             this help
  --version              print the version

Exit codes: 0 ok, 1 invalid spec / drift / unreadable or unwritable file, 2 usage error.`;

const PROBE_USAGE = `Usage:
  k8sm-probe [--zk host:port,…]… [--etcd url,…]… [--mesos url,…]… [--marathon url,…]…
             [--apiserver url,…]… [--haproxy stats-url]… [--spec spec.yaml] [options]
  k8sm-probe quorum <members> [--json]   majority and tolerated failures of an ensemble of that size

Each --flag value is one ensemble (comma-separated members); repeat a flag for more ensembles.

Options:
  --timeout <s>             per probe, connect to last byte (default 2)
  --concurrency <n>         members probed at once (default 256)
  --cacert/--cert/--key <f> TLS: CA to verify servers, client certificate and key
  --insecure                do not verify server certificates (named on purpose)
  --stats-user <u> --stats-password-env <VAR>   HAProxy stats credentials
  --token-env <VAR>         a bearer token for the apiservers, from that variable (never a flag)
  --json | --prometheus | --nagios              output format (default: a table)
  --watch <s>               probe again every <s> seconds, print on change
  -h, --help                this help
  --version                 print the version

Exit codes: 0 OK, 1 WARNING (a member down, quorum holds), 2 CRITICAL (quorum lost, no leader,
split brain), 3 UNKNOWN (usage or bad input).`;

export async function run(
  program: 'k8sm-render' | 'k8sm-probe',
  argv: readonly string[],
  version: string,
): Promise<number> {
  let result: CommandResult;
  try {
    result =
      program === 'k8sm-probe'
        ? await probeCommand(argv, version)
        : argv[0] === 'bridge'
          ? await bridgeCommand(argv.slice(1), version)
          : await renderCommand(argv, version);
  } catch (error) {
    result = failure(program, error);
  }
  print(result);
  return result.code;
}

function print(result: CommandResult): void {
  if (result.stdout)
    process.stdout.write(result.stdout.endsWith('\n') ? result.stdout : `${result.stdout}\n`);
  if (result.stderr)
    process.stderr.write(result.stderr.endsWith('\n') ? result.stderr : `${result.stderr}\n`);
}

function failure(program: string, error: unknown): CommandResult {
  if (error instanceof UsageError)
    return {
      // k8sm-probe speaks the Nagios codes: 3 is UNKNOWN
      code: program === 'k8sm-probe' ? 3 : 2,
      stderr: `${program}: ${error.message}\n\n${program === 'k8sm-render' ? RENDER_USAGE : PROBE_USAGE}`,
    };
  if (error instanceof K8smError) return { code: 1, stderr: `${program}: ${error.message}` };
  // the renderers' own error classes carry a K8SM_ code: bad input, not a bug
  const code = (error as { code?: unknown } | undefined)?.code;
  if (error instanceof Error && typeof code === 'string' && code.startsWith('K8SM_'))
    return { code: 1, stderr: `${program}: ${error.message}` };
  const detail = process.env.K8SM_DEBUG && error instanceof Error ? `\n${error.stack}` : '';
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 1,
    stderr: `${program}: internal error: ${message} (set K8SM_DEBUG=1 for details; please report it)${detail}`,
  };
}

function parse<const O extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

// k8sm-render ------------------------------------------------------------------------------------

const renderOptions = {
  output: { type: 'string', short: 'o' },
  only: { type: 'string', multiple: true },
  host: { type: 'string' },
  'dry-run': { type: 'boolean' },
  check: { type: 'boolean' },
  json: { type: 'boolean' },
  strict: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

async function renderCommand(argv: readonly string[], version: string): Promise<CommandResult> {
  const { values, positionals } = parse(argv, renderOptions);
  if (values.help) return { code: 0, stdout: RENDER_USAGE };
  if (values.version) return { code: 0, stdout: `k8sm-render ${version}` };
  const [first, ...rest] = positionals;
  if (first === 'schema') {
    if (rest.length > 0) throw new UsageError(`schema takes no argument, got ${rest.join(' ')}`);
    return { code: 0, stdout: specJsonSchemaText() };
  }
  if (first === 'init') return initCommand(rest);
  if (first === 'pki') return pkiCommand(rest, values.output);
  if (first === undefined) throw new UsageError('missing the spec file');
  if (rest.length > 0) throw new UsageError(`one spec file at a time; also got ${rest.join(' ')}`);
  if (values.check && values['dry-run']) throw new UsageError('--check and --dry-run do not go together');
  if (!values.output && !values['dry-run'])
    throw new UsageError('missing -o <dir>: where to write the output');

  const only = values.only?.flatMap((o) => o.split(',')).map((o) => o.trim());
  for (const component of only ?? [])
    if (!(COMPONENTS as readonly string[]).includes(component))
      throw new UsageError(`--only ${component}: not a component; use one of ${COMPONENTS.join(', ')}`);

  const text = await readSpecFile(first);
  let report: SpecReport;
  try {
    report = loadSpec(text, first);
  } catch (error) {
    if (!(values.json && error instanceof SpecSyntaxError)) throw error;
    const finding = {
      severity: 'error',
      check: 'syntax',
      path: '(spec)',
      line: error.line,
      column: error.column,
      message: error.message,
    };
    return { code: 1, stdout: JSON.stringify({ ok: false, spec: first, findings: [finding] }, null, 2) };
  }
  const strict = values.strict === true;
  const failed = hasErrors(report.findings) || (strict && report.findings.length > 0);
  if (failed || !report.plan) return invalidSpec(first, report, strict, values.json === true);

  const plan = report.plan;
  if (values.host !== undefined && !plan.hosts.some((h) => h.name === values.host))
    throw new UsageError(
      `--host ${values.host}: no such host in ${first}; hosts: ${plan.hosts.map((h) => h.name).join(', ')}`,
    );
  const filter = {
    ...(only ? { only: only as ArtifactComponent[] } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
  };
  // A PKI dir the spec names but that lacks files is filled first, as `k8sm-render pki` would
  // (kubeadm's habit): keys are never shipped, so a fresh clone renders the TLS examples too.
  // --dry-run and --check write nothing, keys included.
  const pkiNotes =
    values['dry-run'] || values.check
      ? []
      : await issueMissingPki(pkiSets(first, plan).filter((set) => pkiIncomplete(set)));
  const inputs = await readRenderInputs(first, plan);
  const rendered = renderOutput({ ...report, plan }, text, first, version, filter, inputs);
  const notes = [...pkiNotes, reportNotes(first, report)].filter(Boolean).join('\n');
  const dir = values.output ?? '';

  if (values.check) return checkCommand(dir, first, rendered.tree, notes, values.json === true);

  if (!values['dry-run']) await writeOutputAtomically(dir, rendered.tree);
  const summary = {
    ok: true,
    spec: first,
    name: plan.name,
    output: values['dry-run'] ? null : dir,
    dryRun: values['dry-run'] === true,
    hosts: rendered.hosts.length,
    files: [...rendered.tree].map(([path, f]) => ({
      path,
      mode: `0${f.mode.toString(8)}`,
      bytes: Buffer.byteLength(f.content),
    })),
    commands: rendered.artifacts.commands.length,
    warnings: report.findings.map(jsonFinding),
    waived: report.waived.map((w) => ({ check: w.check, reason: w.reason, findings: w.findings.length })),
  };
  if (values.json) return { code: 0, stdout: JSON.stringify(summary, null, 2) };
  const lines = values['dry-run']
    ? [
        `k8sm-render: ${first} is valid; would write ${rendered.tree.size} files for ${rendered.hosts.length} hosts:`,
        ...summary.files.map((f) => `  ${f.mode}  ${String(f.bytes).padStart(7)}  ${f.path}`),
      ]
    : [
        `k8sm-render: rendered ${plan.name} from ${first} into ${dir}: ${rendered.tree.size} files, ${summary.commands} commands, ${rendered.hosts.length} hosts`,
      ];
  return { code: 0, stdout: lines.join('\n'), ...(notes ? { stderr: notes } : {}) };
}

function jsonFinding(f: Finding) {
  return {
    severity: f.severity,
    check: f.check,
    path: formatPath(f.path),
    ...(f.position ? { line: f.position.line, column: f.position.column } : {}),
    message: f.message,
    ...(f.fix ? { fix: f.fix } : {}),
  };
}

/** Warnings and waivers of a spec that rendered. */
function reportNotes(file: string, report: SpecReport): string {
  const lines = report.findings.map((f) => formatFinding(f, file));
  for (const w of report.waived)
    lines.push(
      `${file}: waived [${w.check}] (${w.findings.length} finding${w.findings.length === 1 ? '' : 's'}): ${w.reason}`,
    );
  return lines.join('\n');
}

function invalidSpec(file: string, report: SpecReport, strict: boolean, json: boolean): CommandResult {
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.length - errors;
  if (json)
    return {
      code: 1,
      stdout: JSON.stringify(
        { ok: false, spec: file, strict, findings: report.findings.map(jsonFinding) },
        null,
        2,
      ),
    };
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const head =
    errors > 0
      ? `k8sm-render: ${file} is not a valid cluster spec: ${count(errors, 'error')}${warnings ? `, ${count(warnings, 'warning')}` : ''}; nothing was written`
      : `k8sm-render: ${file}: ${count(warnings, 'warning')}, and --strict makes warnings fail; nothing was written`;
  return { code: 1, stderr: [head, ...report.findings.map((f) => formatFinding(f, file))].join('\n') };
}

const bridgeOptions = {
  marathon: { type: 'string', multiple: true },
  output: { type: 'string', short: 'o' },
  apply: { type: 'boolean' },
  reload: { type: 'string' },
  haproxy: { type: 'string' },
  watch: { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function bridgeCommand(argv: readonly string[], version: string): Promise<CommandResult> {
  const { values, positionals } = parse(argv, bridgeOptions);
  if (values.help) return { code: 0, stdout: RENDER_USAGE };
  if (positionals.length > 0)
    throw new UsageError(`bridge takes no positional argument, got ${positionals.join(' ')}`);
  const marathon = (values.marathon ?? []).flatMap((m) => m.split(',')).filter(Boolean);
  if (marathon.length === 0) throw new UsageError('bridge: give --marathon <url>[,<url>…]');
  for (const url of marathon)
    if (!/^https?:\/\/[^/\s]+/.test(url))
      throw new UsageError(`--marathon ${url}: write a URL like http://10.0.0.1:8080`);
  if (!values.output) throw new UsageError('bridge: missing -o <haproxy.cfg>');
  const seconds = (flag: string, text: string | undefined, fallback: number) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0)
      throw new UsageError(`${flag} ${text}: give a positive number of seconds`);
    return n;
  };
  const options = {
    marathon,
    output: values.output,
    apply: values.apply === true,
    reload: values.reload ?? 'systemctl reload haproxy.service',
    haproxy: values.haproxy ?? 'haproxy',
    timeoutMs: seconds('--timeout', values.timeout, 5) * 1000,
    attempts: 3,
  };
  // loaded by this command only: undici and the bridge are most of the bundle
  const { bridgeOnce } = await import('./bridge.js');
  const describe = (r: BridgeRun) =>
    [
      `k8sm-render bridge: ${r.listeners} listener(s) for ${r.apps} app(s) from ${r.source} → ${options.output} (${r.changed ? (r.reloaded ? 'changed, reloaded' : 'changed') : 'unchanged'})`,
      ...r.dropped.map((d) => `  dropped ${d}`),
      ...r.notes.map((n) => `  note: ${n}`),
    ].join('\n');
  if (values.watch === undefined) return { code: 0, stdout: describe(await bridgeOnce(options, version)) };
  // --watch: one pass per interval until SIGINT/SIGTERM; a failed pass keeps the previous config
  const interval = seconds('--watch', values.watch, 10) * 1000;
  let stop = false;
  const end = () => {
    stop = true;
  };
  process.once('SIGINT', end).once('SIGTERM', end);
  while (!stop) {
    try {
      process.stdout.write(`${describe(await bridgeOnce(options, version))}\n`);
    } catch (error) {
      if (!(error instanceof K8smError)) throw error;
      process.stderr.write(`k8sm-render bridge: ${error.message}\n`);
    }
    for (let waited = 0; waited < interval && !stop; waited += 100)
      await new Promise((r) => setTimeout(r, 100));
  }
  return { code: 0 };
}

async function pkiCommand(args: readonly string[], output: string | undefined): Promise<CommandResult> {
  const [file, ...extra] = args;
  if (file === undefined) throw new UsageError('pki: missing the spec file');
  if (extra.length > 0) throw new UsageError(`pki: one spec file at a time; also got ${extra.join(' ')}`);
  const report = loadSpec(await readSpecFile(file), file);
  if (hasErrors(report.findings) || !report.plan) return invalidSpec(file, report, false, false);
  const plan = report.plan;
  const sets = pkiSets(file, plan, output);
  if (sets.length === 0) {
    if (!plan.etcd && !plan.kubernetes)
      return {
        code: 1,
        stderr: `k8sm-render pki: ${file} has no etcd hosts and no Kubernetes control plane: no certificate to issue`,
      };
    throw new UsageError(`pki: give -o <pki-dir>, or set etcd.tls.pkiDir / kubernetes.pkiDir in ${file}`);
  }
  return { code: 0, stdout: (await issueMissingPki(sets)).join('\n') };
}

async function checkCommand(
  dir: string,
  specFile: string,
  want: OutputTree,
  notes: string,
  json: boolean,
): Promise<CommandResult> {
  const have = (await readOutputTree(dir)) ?? new Map();
  const paths = [...new Set([...want.keys(), ...have.keys()])].sort();
  const drift: { path: string; change: 'missing' | 'extra' | 'content' | 'mode'; detail?: string }[] = [];
  const patches: string[] = [];
  // A file either side holds 0600 (a private key): name the drift, never print the content.
  const secret = (...files: (OutputFile | undefined)[]) => files.some((f) => f && (f.mode & 0o077) === 0);
  for (const path of paths) {
    const a = have.get(path);
    const b = want.get(path);
    if (secret(a, b) && (a?.content !== b?.content || a?.mode !== b?.mode)) {
      const change = !a ? 'missing' : !b ? 'extra' : a.content !== b.content ? 'content' : 'mode';
      drift.push({ path, change });
      patches.push(`${path}: ${change} (a secret: content not shown)\n`);
    } else if (!a && b) {
      drift.push({ path, change: 'missing' });
      patches.push(createTwoFilesPatch('/dev/null', `b/${path}`, '', b.content));
    } else if (a && !b) {
      drift.push({ path, change: 'extra' });
      patches.push(createTwoFilesPatch(`a/${path}`, '/dev/null', a.content, ''));
    } else if (a && b && a.content !== b.content) {
      drift.push({ path, change: 'content' });
      patches.push(createTwoFilesPatch(`a/${path}`, `b/${path}`, a.content, b.content));
    } else if (a && b && a.mode !== b.mode) {
      const detail = `mode 0${a.mode.toString(8)} should be 0${b.mode.toString(8)}`;
      drift.push({ path, change: 'mode', detail });
      patches.push(`${path}: ${detail}\n`);
    }
  }
  if (json)
    return {
      code: drift.length ? 1 : 0,
      stdout: JSON.stringify({ ok: drift.length === 0, output: dir, drift }, null, 2),
    };
  if (drift.length === 0)
    return {
      code: 0,
      stdout: `k8sm-render: ${dir} matches ${specFile} (${want.size} files)`,
      ...(notes ? { stderr: notes } : {}),
    };
  const head = `k8sm-render: ${dir} differs from what ${specFile} renders: ${drift.length} file(s) drifted (a/ is on disk, b/ is the spec's)`;
  return { code: 1, stdout: patches.join(''), stderr: [head, notes].filter(Boolean).join('\n') };
}

async function initCommand(args: readonly string[]): Promise<CommandResult> {
  if (args.length > 1) throw new UsageError(`init takes at most one file name, got ${args.join(' ')}`);
  const file = args[0] ?? 'k8sm.yaml';
  if (file === '-') return { code: 0, stdout: STARTER_SPEC };
  await writeNewFile(file, STARTER_SPEC);
  return {
    code: 0,
    stdout: `k8sm-render: wrote ${file}; edit its hosts and versions, then run: k8sm-render ${file} -o out/`,
  };
}

// k8sm-probe -------------------------------------------------------------------------------------

const probeOptions = {
  json: { type: 'boolean' },
  prometheus: { type: 'boolean' },
  nagios: { type: 'boolean' },
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
  watch: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

async function probeCommand(argv: readonly string[], version: string): Promise<CommandResult> {
  const { values, positionals } = parse(argv, probeOptions);
  if (values.help) return { code: 0, stdout: PROBE_USAGE };
  if (values.version) return { code: 0, stdout: `k8sm-probe ${version}` };
  const [command, ...rest] = positionals;
  if (command === 'quorum') {
    const [size, ...extra] = rest;
    if (
      size === undefined ||
      extra.length > 0 ||
      !/^\d+$/.test(size) ||
      Number(size) < 1 ||
      Number(size) > 1000
    )
      throw new UsageError(
        `quorum takes one whole number of members from 1 to 1000, got ${rest.join(' ') || 'nothing'}`,
      );
    const q = quorum(Number(size));
    if (values.json) return { code: 0, stdout: JSON.stringify(q) };
    return { code: 0, stdout: describeQuorum(q) };
  }
  if (command !== undefined) throw new UsageError(`unknown command "${command}"`);
  // loaded by this command only: undici and the probes are most of the bundle
  const { exitCodeOf, formatJson, formatNagios, formatPrometheus, formatTable, probeAll, targetsOfSpec } =
    await import('./probe.js');
  const lists = (flag: readonly string[] | undefined) =>
    (flag ?? []).map((f) => f.split(',').filter(Boolean));
  const urls = (system: string, groups: string[][]) => {
    for (const g of groups)
      for (const u of g)
        if (!/^https?:\/\/[^/\s]+/.test(u))
          throw new UsageError(`--${system} ${u}: write a URL with its scheme, e.g. http://10.0.0.1:2379`);
    return groups;
  };
  const targets: EnsembleTarget[] = [
    ...lists(values.zk).map((members) => ({ system: 'zookeeper' as const, members })),
    ...urls('etcd', lists(values.etcd)).map((members) => ({ system: 'etcd' as const, members })),
    ...urls('mesos', lists(values.mesos)).map((members) => ({ system: 'mesos' as const, members })),
    ...urls('marathon', lists(values.marathon)).map((members) => ({ system: 'marathon' as const, members })),
    ...urls('apiserver', lists(values.apiserver)).map((members) => ({
      system: 'apiserver' as const,
      members,
    })),
    ...urls('haproxy', lists(values.haproxy)).map((members) => ({ system: 'haproxy' as const, members })),
    ...(values.spec ? await targetsOfSpec(values.spec) : []),
  ];
  if (targets.length === 0)
    throw new UsageError(
      'nothing to probe: give --zk, --etcd, --mesos, --marathon, --apiserver, --haproxy or --spec',
    );
  const number = (flag: string, text: string | undefined, fallback: number, min: number) => {
    if (text === undefined) return fallback;
    const n = Number(text.replace(/s$/, ''));
    if (!Number.isFinite(n) || n < min)
      throw new UsageError(`--${flag} ${text}: give a number of at least ${min}`);
    return n;
  };
  const readPem = async (flag: string, file: string | undefined) => {
    if (file === undefined) return undefined;
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(
        `--${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  };
  const [ca, cert, key] = await Promise.all([
    readPem('cacert', values.cacert),
    readPem('cert', values.cert),
    readPem('key', values.key),
  ]);
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--cert and --key go together');
  const passwordEnv = values['stats-password-env'];
  const settings: ProbeSettings = {
    timeoutMs: number('timeout', values.timeout, 2, 0.05) * 1000,
    concurrency: number('concurrency', values.concurrency, 256, 1),
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
  const format = (report: ProbeReport) =>
    values.json
      ? formatJson(report)
      : values.prometheus
        ? formatPrometheus(report)
        : values.nagios
          ? formatNagios(report)
          : formatTable(report);
  if (values.watch === undefined) {
    const report = await probeAll(targets, settings);
    return { code: exitCodeOf(report.status), stdout: format(report) };
  }
  // --watch: print the report when a status changes, until SIGINT/SIGTERM
  const interval = number('watch', values.watch, 10, 0.1) * 1000;
  let stop = false;
  const end = () => {
    stop = true;
  };
  process.once('SIGINT', end).once('SIGTERM', end);
  let last = '';
  let code: 0 | 1 | 2 | 3 = 0;
  while (!stop) {
    const report = await probeAll(targets, settings);
    code = exitCodeOf(report.status);
    const key = JSON.stringify(
      report.ensembles.map((e) => [e.status, e.members.map((m) => [m.result.ok, m.leader])]),
    );
    if (key !== last) process.stdout.write(`${new Date().toISOString()}\n${format(report)}\n`);
    last = key;
    for (let waited = 0; waited < interval && !stop; waited += 100)
      await new Promise((r) => setTimeout(r, 100));
  }
  return { code };
}
