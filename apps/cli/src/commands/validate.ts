import { defineCommand, defineOptions, runIn } from './command.js';

export const VALIDATE_OPTIONS = defineOptions({
  json: { type: 'boolean' },
  strict: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
});

export const command = defineCommand({
  name: 'validate',
  program: 'k8sm-render',
  synopsis: 'validate <spec.json|spec.yaml> [--json] [--strict]',
  summary: 'check a spec as --dry-run does, in one line; write nothing',
  options: VALIDATE_OPTIONS,
  help: `  <spec>                 the spec file, or - to read it from standard input
  --json                 print {ok, spec, name, hosts, warnings, waived} on stdout (or the findings)
  --strict               warnings fail the run
  -h, --help             this help

The schema, the checks and the plan, then every file rendered in memory as --dry-run does (so the
spec's PKI dir, template and password file are read): exit 0 with one line on stdout and the
warnings on stderr, exit 1 with every finding. Nothing is written, no PKI is created.`,
  run: runIn(() => import('./validate-run.js')),
});
