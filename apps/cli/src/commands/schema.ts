import { specJsonSchemaText } from '@k8sm/spec';
import { UsageError } from '../errors.js';
import { defineCommand, ONLY_HELP } from './command.js';

export const command = defineCommand({
  name: 'schema',
  program: 'k8sm-render',
  synopsis: 'schema',
  summary: 'print the JSON Schema of the spec',
  ...ONLY_HELP,
  async run({ positionals }) {
    if (positionals.length > 0)
      throw new UsageError(`schema takes no argument, got ${positionals.join(' ')}`);
    return { code: 0, stdout: specJsonSchemaText() };
  },
});
