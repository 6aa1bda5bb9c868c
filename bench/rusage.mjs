// Loaded with `node --import` into the measured process: reports its own peak RSS at exit.
import { writeFileSync } from 'node:fs';

const target = process.env.K8SM_BENCH_RUSAGE;
if (target) process.on('exit', () => writeFileSync(target, JSON.stringify(process.resourceUsage())));
