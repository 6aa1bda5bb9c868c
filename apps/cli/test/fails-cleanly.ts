import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { example, noStack, render, snapshot, tempDir, writeSpec } from './helpers.js';

/** A directory holding a previous good output `out/`, and its snapshot. */
export function withPreviousOutput() {
  const cwd = tempDir();
  const r = render([example('mesosphere-3-masters.json'), '-o', 'out'], cwd);
  if (r.code !== 0) throw new Error(r.stderr);
  return { cwd, before: snapshot(join(cwd, 'out')) };
}

/** Exit 1, the message names `where`, no stack trace, the previous output untouched, no staging left. */
export function failsCleanly(
  t: ExecutionContext,
  spec: string | unknown,
  where: RegExp,
  extra: string[] = [],
) {
  const { cwd, before } = withPreviousOutput();
  const file =
    typeof spec === 'string' && !spec.includes('\n') && !spec.startsWith('{')
      ? spec
      : writeSpec(cwd, 'spec.json', spec);
  const r = render([file, '-o', 'out', ...extra], cwd);
  t.is(r.code, 1, r.stdout + r.stderr);
  t.regex(r.stderr, where);
  t.true(noStack(r.stderr), r.stderr);
  t.deepEqual(snapshot(join(cwd, 'out')), before);
  t.deepEqual(
    readdirSync(cwd).filter((f) => f.includes('k8sm-')),
    [],
  );
  return r;
}
