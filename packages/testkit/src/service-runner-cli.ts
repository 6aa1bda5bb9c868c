#!/usr/bin/env node
// k8sm's service runner, for tests where systemd is not running (see service-runner.ts):
//   service-runner-cli.js steps --root <dir> <script>   run a host's steps with <dir> as its root
//   service-runner-cli.js systemctl <verb> <unit>…      (inside the view: what the steps call)
//   service-runner-cli.js stop --root <dir>             stop every service started under <dir>
import { runSteps, stopServices, systemctl } from './service-runner.js';

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  const rootAt = rest.indexOf('--root');
  const root = rootAt >= 0 ? rest[rootAt + 1] : undefined;
  const operands = rootAt >= 0 ? rest.filter((_, i) => i !== rootAt && i !== rootAt + 1) : rest;
  if (command === 'systemctl') return systemctl(operands);
  if (!root?.startsWith('/')) {
    process.stderr.write('k8sm service runner: --root <absolute dir> is required\n');
    return 2;
  }
  if (command === 'steps' && operands.length === 1)
    return runSteps(root.replace(/\/+$/, ''), operands[0] ?? '');
  if (command === 'stop') {
    stopServices(root);
    return 0;
  }
  process.stderr.write(
    'usage: service-runner-cli.js steps --root <dir> <script> | stop --root <dir> | systemctl <verb> <unit>\n',
  );
  return 2;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`k8sm service runner: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
