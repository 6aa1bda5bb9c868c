import { createTwoFilesPatch } from 'diff';
import type { CommandResult } from './commands/command.js';
import { readOutputTree } from './output.js';
import type { OutputFile, OutputTree } from './tree.js';

/** `--check`: compare an output directory with what the spec renders; exit 1 with a diff on drift. */
export async function checkOutput(
  dir: string,
  specFile: string,
  want: OutputTree,
  notes: string,
  json: boolean,
): Promise<CommandResult> {
  const have = (await readOutputTree(dir)) ?? new Map();
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
      drift.push({ path, change });
      patches.push(`${path}: ${change} (a secret: content not shown)\n`);
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
      const detail = `mode 0${a.mode.toString(8)} should be 0${b.mode.toString(8)}`;
      drift.push({ path, change: 'mode', detail });
      patches.push(`${path}: ${detail}\n`);
    }
  }
  if (json)
    return {
      code: drift.length ? 1 : 0,
      stdout: JSON.stringify({ ok: drift.length === 0, output: dir, drift }, null, 2),
    };
  if (drift.length === 0)
    return {
      code: 0,
      stdout: `k8sm-render: ${dir} matches ${specFile} (${want.size} files)`,
      ...(notes ? { stderr: notes } : {}),
    };
  const head = `k8sm-render: ${dir} differs from what ${specFile} renders: ${drift.length} file(s) drifted (a/ is on disk, b/ is the spec's)`;
  return { code: 1, stdout: patches.join(''), stderr: [head, notes].filter(Boolean).join('\n') };
}
