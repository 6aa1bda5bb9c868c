// The work of `k8sm-render validate`, loaded when it runs (validate.ts holds its options and help).
import { type RenderedCluster, renderCluster } from '@k8sm/render-cluster';
import { UsageError } from '../errors.js';
import { readRenderInputs } from '../inputs.js';
import { pkiSets } from '../pki-files.js';
import { pkiReads } from '../pki-tree.js';
import { readSpecFile, specName } from '../spec-file.js';
import { jsonFinding, reportNotes, specFailure } from '../spec-report.js';
import type { CommandContext, CommandResult, ParsedArgs } from './command.js';
import { expiryNotes } from './render-run.js';
import type { VALIDATE_OPTIONS } from './validate.js';

export async function run(
  { values, positionals }: ParsedArgs<typeof VALIDATE_OPTIONS>,
  { version }: CommandContext,
): Promise<CommandResult> {
  const [given, ...rest] = positionals;
  if (given === undefined)
    throw new UsageError('missing the spec file (or - to read it from standard input)');
  if (rest.length > 0) throw new UsageError(`one spec file at a time; also got ${rest.join(' ')}`);
  const json = values.json === true;
  const strict = values.strict === true;
  const text = await readSpecFile(given);
  const file = specName(given);
  // what --dry-run renders, kept in memory: a template or PKI dir that fails the render fails here
  // validate writes no PKI: each PKI dir is scanned and each file read once, for both uses
  const reads = pkiReads();
  let rendered: RenderedCluster;
  try {
    rendered = await renderCluster(text, {
      file,
      version,
      strict,
      inputs: (plan) => readRenderInputs(file, plan, reads),
    });
  } catch (error) {
    return specFailure(error, file, strict, json);
  }
  const { report } = rendered;
  const { plan } = report;
  const notes = [
    ...expiryNotes(file, pkiSets(file, plan), plan.monitoring.certificateWarningDays, reads),
    reportNotes(file, report),
  ]
    .filter(Boolean)
    .join('\n');
  const stderr = notes ? { stderr: notes } : {};
  if (json)
    return {
      code: 0,
      stdout: JSON.stringify(
        {
          ok: true,
          spec: file,
          name: plan.name,
          hosts: plan.hosts.length,
          warnings: report.findings.map(jsonFinding),
          waived: report.waived.map((w) => ({
            check: w.check,
            reason: w.reason,
            findings: w.findings.length,
          })),
        },
        null,
        2,
      ),
      ...stderr,
    };
  return {
    code: 0,
    stdout: `k8sm-render: ${file} is valid: ${plan.hosts.length} hosts, ${report.findings.length} warning(s)`,
    ...stderr,
  };
}
