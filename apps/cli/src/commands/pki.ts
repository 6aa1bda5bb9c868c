import { hasErrors, loadSpec } from '@k8sm/spec';
import { UsageError } from '../errors.js';
import { readSpecFile } from '../output.js';
import { describePkiIssues, issueMissingPki, pkiSets, planMissingPki } from '../pki-files.js';
import { invalidSpec } from '../spec-report.js';
import { defineCommand } from './command.js';

export const command = defineCommand({
  name: 'pki',
  program: 'k8sm-render',
  synopsis: 'pki <spec> [-o <pki-dir>] [--dry-run]',
  summary: 'create the CA, keys and certificates the spec needs that are missing',
  options: {
    output: { type: 'string', short: 'o' },
    'dry-run': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  help: `  -o, --output <dir>     one PKI dir for everything (default: etcd.tls.pkiDir and kubernetes.pkiDir,
                         relative to the spec)
  --dry-run              list the files that would be created; write nothing
  -h, --help             this help`,
  async run({ values, positionals }) {
    const [file, ...extra] = positionals;
    if (file === undefined) throw new UsageError('missing the spec file');
    if (extra.length > 0) throw new UsageError(`one spec file at a time; also got ${extra.join(' ')}`);
    const report = loadSpec(await readSpecFile(file), file);
    if (hasErrors(report.findings) || !report.plan) return invalidSpec(file, report, false, false);
    const plan = report.plan;
    const sets = pkiSets(file, plan, values.output);
    if (sets.length === 0) {
      if (!plan.etcd && !plan.kubernetes)
        return {
          code: 1,
          stderr: `k8sm-render pki: ${file} has no etcd hosts and no Kubernetes control plane: no certificate to issue`,
        };
      throw new UsageError(`give -o <pki-dir>, or set etcd.tls.pkiDir / kubernetes.pkiDir in ${file}`);
    }
    const lines = values['dry-run']
      ? describePkiIssues(await planMissingPki(sets), true)
      : (await issueMissingPki(sets)).lines;
    return { code: 0, stdout: lines.join('\n') };
  },
});
