import { defineCommand, defineOptions, runIn } from './command.js';

export const PKI_OPTIONS = defineOptions({
  output: { type: 'string', short: 'o' },
  'dry-run': { type: 'boolean' },
  'check-expiration': { type: 'boolean' },
  json: { type: 'boolean' },
  'warn-days': { type: 'string' },
  renew: { type: 'boolean' },
  'renew-ca': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
});

export const command = defineCommand({
  name: 'pki',
  program: 'k8sm-render',
  synopsis:
    'pki <spec> [-o <pki-dir>] [--dry-run] [--check-expiration [--json] [--warn-days <n>] | --renew [--renew-ca]]',
  summary: 'create the CA, keys and certificates the spec needs that are missing',
  options: PKI_OPTIONS,
  help: `  -o, --output <dir>     one PKI dir for everything (default: etcd.tls.pkiDir and kubernetes.pkiDir,
                         relative to the spec)
  --dry-run              list the files that would be created; write nothing
  --check-expiration     every certificate with its expiry, residual time and CA, soonest first
                         (as kubeadm certs check-expiration); writes nothing
  --json                 with --check-expiration: the same as a JSON array
  --warn-days <n>        with --check-expiration: exit 3 when a certificate expires within n days
                         (for cron; the table is printed either way)
  --renew                re-issue every leaf certificate, each with a new key, from the CA the PKI
                         dir holds; the CA is kept. All or nothing; keys 0600. With --dry-run, list
                         them. Then render and apply, so the hosts get the new certificates
  --renew-ca             with --renew: a new CA too, and every leaf under it (clients that trust
                         the old CA stop trusting the members until they get the new one)
  -h, --help             this help`,
  run: runIn(() => import('./pki-run.js')),
});
