import { type RenderedCluster, renderCluster } from '@k8sm/render-cluster';
import { UsageError } from '../errors.js';
import { readRenderInputs } from '../inputs.js';
import { pkiSets } from '../pki-files.js';
import { readSpecFile, specName } from '../spec-file.js';
import { jsonFinding, reportNotes, specFailure } from '../spec-report.js';
import { defineCommand } from './command.js';
import { expiryNotes } from './render.js';

export const command = defineCommand({
  name: 'validate',
  program: 'k8sm-render',
  synopsis: 'validate <spec.json|spec.yaml> [--json] [--strict]',
  summary: 'check a spec as --dry-run does, in one line; write nothing',
  options: {
    json: { type: 'boolean' },
    strict: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  help: `  <spec>                 the spec file, or - to read it from standard input
  --json                 print {ok, spec, name, hosts, warnings, waived} on stdout (or the findings)
  --strict               warnings fail the run
  -h, --help             this help

The schema, the checks and the plan, then every file rendered in memory as --dry-run does (so the
spec's PKI dir, template and password file are read): exit 0 with one line on stdout and the
warnings on stderr, exit 1 with every finding. Nothing is written, no PKI is created.`,
  async run({ values, positionals }, { version }) {
    const [given, ...rest] = positionals;
    if (given === undefined)
      throw new UsageError('missing the spec file (or - to read it from standard input)');
    if (rest.length > 0) throw new UsageError(`one spec file at a time; also got ${rest.join(' ')}`);
    const json = values.json === true;
    const strict = values.strict === true;
    const text = await readSpecFile(given);
    const file = specName(given);
    // what --dry-run renders, kept in memory: a template or PKI dir that fails the render fails here
    let rendered: RenderedCluster;
    try {
      rendered = await renderCluster(text, {
        file,
        version,
        strict,
        inputs: (plan) => readRenderInputs(file, plan),
      });
    } catch (error) {
      return specFailure(error, file, strict, json);
    }
    const { report } = rendered;
    const { plan } = report;
    const notes = [
      ...expiryNotes(file, pkiSets(file, plan), plan.monitoring.certificateWarningDays),
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
  },
});
