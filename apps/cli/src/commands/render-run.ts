// The work of `k8sm-render <spec>`, loaded when it runs (render.ts holds its options and help).
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { type RenderedCluster, renderCluster } from '@k8sm/render-cluster';
import type { ArtifactComponent } from '@k8sm/spec';
import { COMPONENTS } from '@k8sm/spec/components';
import { checkOutput } from '../drift.js';
import { UsageError } from '../errors.js';
import { gitExposure } from '../git-hygiene.js';
import { readRenderInputs } from '../inputs.js';
import { lockOutput, writeOutputAtomically } from '../output.js';
import { certificateDeadlines } from '../pki-expiry.js';
import { issueMissingPki, type PkiSet, pkiIncomplete, pkiSets } from '../pki-files.js';
import { type PkiReads, pkiReads, READ_AFRESH } from '../pki-tree.js';
import { readSpecFile, specName } from '../spec-file.js';
import { jsonFinding, reportNotes, specFailure } from '../spec-report.js';
import type { CommandContext, CommandResult, ParsedArgs } from './command.js';
import { COMMANDS } from './index.js';
import type { RENDER_OPTIONS } from './render.js';

export async function run(
  { values, positionals }: ParsedArgs<typeof RENDER_OPTIONS>,
  { version, progress }: CommandContext,
): Promise<CommandResult> {
  if (values.version) return { code: 0, stdout: `k8sm-render ${version}` };
  const [given, ...rest] = positionals;
  if (given === undefined)
    throw new UsageError('missing the spec file (or - to read it from standard input)');
  if (COMMANDS.some((c) => c.program === 'k8sm-render' && !c.default && c.name === given))
    throw new UsageError(`${given} is a command: put it first, as in k8sm-render ${given} --help`);
  if (rest.length > 0) throw new UsageError(`one spec file at a time; also got ${rest.join(' ')}`);
  if (values.check && values['dry-run']) throw new UsageError('--check and --dry-run do not go together');
  if (!values.output && !values['dry-run'])
    throw new UsageError('missing -o <dir>: where to write the output');

  const only = values.only?.flatMap((o) => o.split(',')).map((o) => o.trim());
  for (const component of only ?? [])
    if (!(COMPONENTS as readonly string[]).includes(component))
      throw new UsageError(`--only ${component}: not a component; use one of ${COMPONENTS.join(', ')}`);

  if (values.verbose && values.quiet) throw new UsageError('--verbose and --quiet do not go together');
  const phase = phases(
    !values.quiet && (values.verbose === true || process.stderr.isTTY === true) ? progress : undefined,
  );
  // the lock first: a second render into this -o fails at once, not after rendering
  const lock = values.output && !values['dry-run'] && !values.check ? lockOutput(values.output) : undefined;
  try {
    const text = await readSpecFile(given);
    // `-` is named <stdin> in every message and location; PKI dirs are then relative to the cwd
    const file = specName(given);
    const strict = values.strict === true;
    const filter = {
      ...(only ? { only: only as ArtifactComponent[] } : {}),
      ...(values.host !== undefined ? { host: values.host } : {}),
    };
    // first used after the PKI is issued: from then on nothing writes the PKI dirs
    const reads = pkiReads();
    let sets: PkiSet[] = [];
    let pki: { lines: string[]; files: string[] } = { lines: [], files: [] };
    let rendered: RenderedCluster;
    try {
      rendered = await renderCluster(text, {
        file,
        version,
        filter,
        strict,
        // once the spec is valid, before rendering: what the renderers read from disk
        inputs: async (plan, report) => {
          phase('validate', `${plan.hosts.length} hosts, ${report.findings.length} warning(s)`);
          if (values.host !== undefined && !plan.hosts.some((h) => h.name === values.host))
            throw new UsageError(
              `--host ${values.host}: no such host in ${file}; hosts: ${plan.hosts.map((h) => h.name).join(', ')}`,
            );
          sets = pkiSets(file, plan);
          // A PKI dir the spec names but that lacks files is filled first, as `k8sm-render pki` would
          // (kubeadm's habit): keys are never shipped, so a fresh clone renders the TLS examples too.
          // --dry-run and --check write nothing, keys included.
          if (!values['dry-run'] && !values.check)
            pki = await issueMissingPki(sets.filter((set) => pkiIncomplete(set)));
          if (pki.files.length > 0) phase('pki', `${pki.files.length} file(s) created`);
          return readRenderInputs(file, plan, reads);
        },
      });
    } catch (error) {
      return specFailure(error, file, strict, values.json === true);
    }
    const { report } = rendered;
    const plan = report.plan;
    const pkiNotes = pki.lines;
    phase('render', `${rendered.tree.size} files, ${rendered.artifacts.commands.length} commands`);
    const notes = [
      ...pkiNotes,
      ...expiryNotes(file, sets, plan.monitoring.certificateWarningDays, reads),
      reportNotes(file, report),
    ]
      .filter(Boolean)
      .join('\n');
    const dir = values.output ?? '';

    if (values.check) return checkOutput(dir, file, rendered.tree, notes, values.json === true);

    const written = lock
      ? writeOutputAtomically(
          dir,
          rendered.tree,
          { spec: plan.name, force: values.force === true, filter },
          lock,
        )
      : undefined;
    if (written)
      phase('write', `${written.written} files written, ${written.carried} unchanged, into ${dir}`);
    const exposure = lock
      ? [
          ...[...new Set(sets.map((set) => set.dir))].map((d) =>
            gitExposure(
              d,
              d,
              [...reads.scan(d).files].filter((path) => path.endsWith('.key')),
            ),
          ),
          gitExposure(dir, dir, rendered.secretPaths),
        ]
      : [];
    const allNotes = [...(written?.notes ?? []), notes, ...exposure].filter(Boolean).join('\n');
    // the pod route table is one string on thousands of hosts: measured once
    const sizes = new Map<string, number>();
    const bytesOf = (content: string) => {
      let bytes = sizes.get(content);
      if (bytes === undefined) {
        bytes = Buffer.byteLength(content);
        sizes.set(content, bytes);
      }
      return bytes;
    };
    const summary = {
      ok: true,
      spec: file,
      name: plan.name,
      output: values['dry-run'] ? null : dir,
      dryRun: values['dry-run'] === true,
      hosts: rendered.hosts.length,
      files: [...rendered.tree].map(([path, f]) => ({
        path,
        mode: `0${f.mode.toString(8)}`,
        bytes: bytesOf(f.content),
      })),
      commands: rendered.artifacts.commands.length,
      // files whose content or mode differ from the previous output's (all of them on a first render)
      changed: written ? written.written : null,
      // paths only: what a first render created in the PKI dirs (keys included, never their content)
      pkiCreated: pki.files,
      warnings: report.findings.map(jsonFinding),
      waived: report.waived.map((w) => ({ check: w.check, reason: w.reason, findings: w.findings.length })),
    };
    // stdout stays JSON; what recovery, PKI and git have to say goes to stderr
    if (values.json)
      return {
        code: 0,
        stdout: JSON.stringify(summary, null, 2),
        ...(allNotes ? { stderr: allNotes } : {}),
      };
    const lines = values['dry-run']
      ? [
          `k8sm-render: ${file} is valid; would write ${rendered.tree.size} files for ${rendered.hosts.length} hosts:`,
          ...summary.files.map((f) => `  ${f.mode}  ${String(f.bytes).padStart(7)}  ${f.path}`),
        ]
      : [
          `k8sm-render: rendered ${plan.name} from ${file} into ${dir}: ${rendered.tree.size} files (${written?.written} changed), ${summary.commands} commands, ${rendered.hosts.length} hosts`,
        ];
    return {
      code: 0,
      ...(values.quiet && !values['dry-run'] ? {} : { stdout: lines.join('\n') }),
      ...(allNotes ? { stderr: allNotes } : {}),
    };
  } finally {
    lock?.release();
  }
}

/** Each call reports the phase just ended, with the time since the previous one. */
function phases(progress: ((line: string) => void) | undefined): (name: string, counts: string) => void {
  let since = performance.now();
  return (name, counts) => {
    const now = performance.now();
    progress?.(`k8sm-render: ${name.padEnd(8)} ${counts} (${Math.round(now - since)} ms)`);
    since = now;
  };
}

/** A warning per PKI dir holding certificates that expire within the spec's window. */
export function expiryNotes(
  file: string,
  sets: readonly PkiSet[],
  days: number,
  reads: PkiReads = READ_AFRESH,
): string[] {
  const dirs = [...new Set(sets.map((s) => s.dir))].filter((d) => existsSync(d));
  return dirs.flatMap((dir) => {
    const soon = certificateDeadlines([dir], new Date(), reads).filter((c) => c.daysLeft < days);
    const first = soon[0];
    if (!first) return [];
    const when = first.daysLeft < 0 ? `expired ${-first.daysLeft} day(s) ago` : `in ${first.daysLeft} day(s)`;
    return [
      `k8sm-render: warning: ${soon.length} certificate(s) in ${dir} expire within ${days} days (monitoring.certificateWarningDays), the soonest ${relative(dir, first.path)} ${when}: renew with k8sm-render pki ${file} --renew, then render and apply`,
    ];
  });
}
