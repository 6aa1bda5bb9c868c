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
    // the schema's library is loaded by this command only: --help and completion do not parse it
    const { specJsonSchemaText } = await import('@k8sm/spec');
    return { code: 0, stdout: specJsonSchemaText() };
  },
});
