import { resolve } from 'node:path';
import type { OutputFile, OutputTree } from '@k8sm/render-cluster';
import { createTwoFilesPatch } from 'diff';
import type { CommandResult } from './commands/command.js';
import { FileAccessError } from './errors.js';
import { assertUnlocked } from './lock.js';
import { readOutputTree } from './output.js';
import { aside, isDirectory } from './swap.js';

const modeDrift = (have: number, want: number) => `mode 0${have.toString(8)} should be 0${want.toString(8)}`;

/** Exit code of `--check` on drift: apart from 1 (invalid spec, unreadable files) and 2 (usage). */
export const DRIFT_EXIT_CODE = 3;

/** `--check`: compare an output directory with what the spec renders; exit 3 with a diff on drift. */
export async function checkOutput(
  dir: string,
  specFile: string,
  want: OutputTree,
  notes: string,
  json: boolean,
): Promise<CommandResult> {
  // a tree read while another render swaps it in is neither the old nor the new one
  assertUnlocked(resolve(dir), dir);
  const have = await readOutputTree(dir);
  if (!have) {
    const old = aside(resolve(dir), 'old');
    throw new FileAccessError(
      isDirectory(old)
        ? `--check: output directory ${dir} does not exist: a render was killed while it swapped the output in, and the previous output is in ${old} — run k8sm-render once to put it back`
        : `--check: output directory ${dir} does not exist — render it first, or pass the directory you rendered into`,
    );
  }
  const paths = [...new Set([...want.keys(), ...have.keys()])].sort();
  const drift: { path: string; change: 'missing' | 'extra' | 'content' | 'mode'; detail?: string }[] = [];
  const patches: string[] = [];
  const { secretIn } = await import('./secrets.js');
  // A secret either side (a key by its mode, or key material by its content): name the drift,
  // never print the content.
  const secret = (...files: (OutputFile | undefined)[]) => files.some((f) => f && secretIn(f));
  for (const path of paths) {
    const a = have.get(path);
    const b = want.get(path);
    if (secret(a, b) && (a?.content !== b?.content || a?.mode !== b?.mode)) {
      const change = !a ? 'missing' : !b ? 'extra' : a.content !== b.content ? 'content' : 'mode';
      // modes matter most on a secret: both are shown whenever they differ
      const modes = a && b && a.mode !== b.mode ? modeDrift(a.mode, b.mode) : undefined;
      drift.push({ path, change, ...(modes ? { detail: modes } : {}) });
      patches.push(
        `${path}: ${change === 'mode' ? modes : change}${change !== 'mode' && modes ? `, ${modes}` : ''} (a secret: content not shown)\n`,
      );
    } else if (!a && b) {
      drift.push({ path, change: 'missing' });
      patches.push(createTwoFilesPatch('/dev/null', `b/${path}`, '', b.content));
    } else if (a && !b) {
      drift.push({ path, change: 'extra' });
      patches.push(createTwoFilesPatch(`a/${path}`, '/dev/null', a.content, ''));
    } else if (a && b && a.content !== b.content) {
      drift.push({ path, change: 'content' });
      patches.push(createTwoFilesPatch(`a/${path}`, `b/${path}`, a.content, b.content));
    } else if (a && b && a.mode !== b.mode) {
      const detail = modeDrift(a.mode, b.mode);
      drift.push({ path, change: 'mode', detail });
      patches.push(`${path}: ${detail}\n`);
    }
  }
  if (json)
    return {
      code: drift.length ? DRIFT_EXIT_CODE : 0,
      stdout: JSON.stringify({ ok: drift.length === 0, output: dir, drift }, null, 2),
    };
  if (drift.length === 0)
    return {
      code: 0,
      stdout: `k8sm-render: ${dir} matches ${specFile} (${want.size} files)`,
      ...(notes ? { stderr: notes } : {}),
    };
  const head = `k8sm-render: ${dir} differs from what ${specFile} renders: ${drift.length} file(s) drifted (a/ is on disk, b/ is the spec's)`;
  return {
    code: DRIFT_EXIT_CODE,
    stdout: patches.join(''),
    stderr: [head, notes].filter(Boolean).join('\n'),
  };
}
