#!/usr/bin/env node
import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('../package.json');
const { run } = await import('../dist/k8sm.js');
process.exitCode = await run('k8sm-probe', process.argv.slice(2), version);
