// The work of `k8sm-render pki`, loaded when it runs (pki.ts holds its options and help).
import { existsSync } from 'node:fs';
import { hasErrors, loadSpec } from '@k8sm/spec';
import { parseNumber } from '../args.js';
import { UsageError } from '../errors.js';
import { certificateExpiries, expiryTable } from '../pki-expiry.js';
import { describePkiIssues, issueMissingPki, pkiSets, planMissingPki } from '../pki-files.js';
import { readSpecFile } from '../spec-file.js';
import { invalidSpec } from '../spec-report.js';
import type { CommandResult, ParsedArgs } from './command.js';
import type { PKI_OPTIONS } from './pki.js';

export async function run({ values, positionals }: ParsedArgs<typeof PKI_OPTIONS>): Promise<CommandResult> {
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
  if (values.json && !values['check-expiration']) throw new UsageError('--json goes with --check-expiration');
  if (values['warn-days'] !== undefined && !values['check-expiration'])
    throw new UsageError('--warn-days goes with --check-expiration');
  if (values['renew-ca'] && !values.renew) throw new UsageError('--renew-ca goes with --renew');
  if (values.renew && values['check-expiration'])
    throw new UsageError('--renew and --check-expiration do not go together');
  if (values.renew) {
    const { renewPkiDirs } = await import('../pki-renew.js');
    const lines = await renewPkiDirs(file, sets, {
      authorities: values['renew-ca'] === true,
      dryRun: values['dry-run'] === true,
    });
    return { code: 0, stdout: lines.join('\n') };
  }
  if (values['check-expiration']) {
    if (values['dry-run']) throw new UsageError('--check-expiration and --dry-run do not go together');
    const warnDays =
      values['warn-days'] === undefined
        ? undefined
        : parseNumber('--warn-days', values['warn-days'], {
            min: 0,
            max: 36_500,
            whole: true,
            unit: 'days',
          });
    const rows = certificateExpiries([...new Set(sets.map((s) => s.dir))].filter((d) => existsSync(d)));
    const soon = warnDays === undefined ? [] : rows.filter((r) => r.daysLeft < warnDays);
    const code = soon.length > 0 ? 3 : 0;
    const warned =
      soon.length > 0
        ? {
            stderr: `k8sm-render pki: ${soon.length} certificate(s) expire within ${warnDays} days (the soonest ${soon[0]?.path}, ${soon[0]?.notAfter}): renew the leaves with k8sm-render pki ${file} --renew`,
          }
        : {};
    if (values.json) return { code, stdout: JSON.stringify(rows, null, 2), ...warned };
    return rows.length > 0
      ? { code, stdout: expiryTable(rows), ...warned }
      : {
          code: 1,
          stderr: `k8sm-render pki: no certificate in ${sets.map((s) => s.dir).join(', ')}: run k8sm-render pki ${file} first`,
        };
  }
  const lines = values['dry-run']
    ? describePkiIssues(await planMissingPki(sets), true)
    : (await issueMissingPki(sets)).lines;
  return { code: 0, stdout: lines.join('\n') };
}
