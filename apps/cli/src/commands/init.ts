import { writeFile } from 'node:fs/promises';
import { describeSystemError, FileAccessError, UsageError } from '../errors.js';
import { STARTER_SPEC } from '../starter.js';
import { defineCommand, ONLY_HELP } from './command.js';

export const command = defineCommand({
  name: 'init',
  program: 'k8sm-render',
  synopsis: 'init [file]',
  summary: 'write a commented starter spec (default k8sm.yaml; - for stdout)',
  ...ONLY_HELP,
  async run({ positionals }) {
    if (positionals.length > 1)
      throw new UsageError(`init takes at most one file name, got ${positionals.join(' ')}`);
    const file = positionals[0] ?? 'k8sm.yaml';
    if (file === '-') return { code: 0, stdout: STARTER_SPEC };
    await writeNewFile(file, STARTER_SPEC);
    return {
      code: 0,
      stdout: `k8sm-render: wrote ${file}; edit its hosts and versions, then run: k8sm-render ${file} -o out/`,
    };
  },
});

/** Write a new file, never replacing one. */
async function writeNewFile(file: string, content: string): Promise<void> {
  try {
    await writeFile(file, content, { flag: 'wx', mode: 0o644 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileAccessError(
      `cannot write ${file}: ${describeSystemError(error)}${code === 'EEXIST' ? ' — choose another name or remove it first' : ''}`,
    );
  }
}
