#!/usr/bin/env node
import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('../package.json');
const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') {
  // Answered before the bundle loads: scripts call --version to check for the tool.
  process.stdout.write(`k8sm-render ${version}\n`);
} else {
  const { run } = await import('../dist/k8sm.js');
  process.exitCode = await run('k8sm-render', args, version);
}
