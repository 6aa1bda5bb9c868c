import { existsSync } from 'node:fs';
import { hasErrors, loadSpec } from '@k8sm/spec';
import { UsageError } from '../errors.js';
import { readSpecFile } from '../output.js';
import { certificateExpiries, expiryTable } from '../pki-expiry.js';
import { describePkiIssues, issueMissingPki, pkiSets, planMissingPki } from '../pki-files.js';
import { invalidSpec } from '../spec-report.js';
import { defineCommand } from './command.js';

export const command = defineCommand({
  name: 'pki',
  program: 'k8sm-render',
  synopsis: 'pki <spec> [-o <pki-dir>] [--dry-run | --check-expiration [--json]]',
  summary: 'create the CA, keys and certificates the spec needs that are missing',
  options: {
    output: { type: 'string', short: 'o' },
    'dry-run': { type: 'boolean' },
    'check-expiration': { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  help: `  -o, --output <dir>     one PKI dir for everything (default: etcd.tls.pkiDir and kubernetes.pkiDir,
                         relative to the spec)
  --dry-run              list the files that would be created; write nothing
  --check-expiration     every certificate with its expiry, residual time and CA, soonest first
                         (as kubeadm certs check-expiration); writes nothing
  --json                 with --check-expiration: the same as a JSON array
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
    if (values.json && !values['check-expiration'])
      throw new UsageError('--json goes with --check-expiration');
    if (values['check-expiration']) {
      if (values['dry-run']) throw new UsageError('--check-expiration and --dry-run do not go together');
      const rows = certificateExpiries([...new Set(sets.map((s) => s.dir))].filter((d) => existsSync(d)));
      if (values.json) return { code: 0, stdout: JSON.stringify(rows, null, 2) };
      return rows.length > 0
        ? { code: 0, stdout: expiryTable(rows) }
        : {
            code: 1,
            stderr: `k8sm-render pki: no certificate in ${sets.map((s) => s.dir).join(', ')}: run k8sm-render pki ${file} first`,
          };
    }
    const lines = values['dry-run']
      ? describePkiIssues(await planMissingPki(sets), true)
      : (await issueMissingPki(sets)).lines;
    return { code: 0, stdout: lines.join('\n') };
  },
});
