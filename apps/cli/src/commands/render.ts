import { COMPONENTS } from '@k8sm/spec/components';
import { defineCommand, defineOptions, runIn } from './command.js';

export const RENDER_OPTIONS = defineOptions({
  output: { type: 'string', short: 'o' },
  only: { type: 'string', multiple: true },
  host: { type: 'string' },
  'dry-run': { type: 'boolean' },
  check: { type: 'boolean' },
  json: { type: 'boolean' },
  strict: { type: 'boolean' },
  force: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
});

export const command = defineCommand({
  name: 'render',
  program: 'k8sm-render',
  synopsis: '<spec.json|spec.yaml> -o <dir> [options]',
  summary: 'render every file and command of the cluster',
  options: RENDER_OPTIONS,
  help: `  -o, --output <dir>     output directory (replaced atomically, under a lock; must be new, empty or
                         this spec's previous output, marked by .k8sm-output.json)
  --only <component>     render only these components (repeat or comma-separate): ${COMPONENTS.join(', ')}
  --host <name>          render only this host's files and script
  --dry-run              validate and list what would be written; write nothing
  --check                compare <dir> with what the spec renders; exit 3 with a diff on drift
  --json                 print a machine-readable summary on stdout
  --strict               warnings fail the run
  --force                replace an output of another spec, or adopt one an earlier k8sm-render wrote
  -v, --verbose          a line per phase (validate, PKI, render, write) with its count and time, on
                         stderr (the default on a terminal)
  -q, --quiet            no progress and no summary line; warnings and errors still go to stderr
  -h, --help             this help
  --version              print the version`,
  run: runIn(() => import('./render-run.js')),
});
