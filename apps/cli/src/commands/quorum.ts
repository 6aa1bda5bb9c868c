import { describeQuorum, quorum } from '@k8sm/spec/quorum';
import { parseNumber } from '../args.js';
import { UsageError } from '../errors.js';
import { defineCommand } from './command.js';

export const command = defineCommand({
  name: 'quorum',
  program: 'k8sm-probe',
  synopsis: 'quorum <members> [--json]',
  summary: 'majority and tolerated failures of an ensemble of that size',
  options: {
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  help: `  <members>                 the ensemble's size, a whole number from 1 to 1000
  --json                    print {members, majority, tolerates, even}
  -h, --help                this help`,
  async run({ values, positionals }) {
    const [size, ...extra] = positionals;
    if (size === undefined) throw new UsageError('give the number of members, e.g. k8sm-probe quorum 5');
    if (extra.length > 0)
      throw new UsageError(`quorum takes one number of members, also got ${extra.join(' ')}`);
    const q = quorum(parseNumber('<members>', size, { min: 1, max: 1000, whole: true, unit: 'members' }));
    return { code: 0, stdout: values.json ? JSON.stringify(q) : describeQuorum(q) };
  },
});
