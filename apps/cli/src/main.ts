import { parseArgs } from 'node:util';
import { K8smError } from '@k8sm/spec/errors';
import { type Command, type CommandResult, type Program, usageLine, usageOf } from './commands/command.js';
import { COMMANDS, type CommandEntry, commandEntry, commandTitle } from './commands/index.js';
import { ProbeInputError, UsageError } from './errors.js';

export type { CommandResult } from './commands/command.js';

/** Runs one command line of `program`; returns its exit code. The only catch of the CLI. */
export async function run(program: Program, argv: readonly string[], version: string): Promise<number> {
  const entry = commandEntry(program, argv);
  let command: Command | undefined;
  let result: CommandResult;
  try {
    ({ command } = await entry.load());
    const args = parseOptions(entry, command, entry.default ? argv : argv.slice(1));
    result = args.values.help
      ? { code: 0, stdout: await helpOf(entry, command) }
      : await command.run(args, { version, progress: (line) => process.stderr.write(`${line}\n`) });
  } catch (error) {
    const { code, stdout, stderr } = await failure(entry, command, error);
    // An error may quote what it read: a key, a kubeconfig, a Marathon URL with its password.
    // Loaded here only: start-up does not parse the rules.
    const { maskSecrets } = await import('./secrets.js');
    result = {
      code,
      ...(stdout ? { stdout: maskSecrets(stdout) } : {}),
      ...(stderr ? { stderr: maskSecrets(stderr) } : {}),
    };
  }
  print(result);
  return result.code;
}

function print(result: CommandResult): void {
  if (result.stdout)
    process.stdout.write(result.stdout.endsWith('\n') ? result.stdout : `${result.stdout}\n`);
  if (result.stderr)
    process.stderr.write(result.stderr.endsWith('\n') ? result.stderr : `${result.stderr}\n`);
}

/** Strict parsing against the command's own table: an option it does not take is a usage error. */
function parseOptions(entry: CommandEntry, command: Command, argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(
      /^Unknown option/.test(message) ? `${message}: ${commandTitle(entry)} does not take it` : message,
    );
  }
}

/** A command's `--help`; the default command's is the program's, listing every command. */
async function helpOf(entry: CommandEntry, command: Command): Promise<string> {
  if (!entry.default) return usageOf(command);
  const all = await Promise.all(
    COMMANDS.filter((c) => c.program === entry.program).map(async (c) => (await c.load()).command),
  );
  const lines = all.map((c) => usageLine(c));
  lines.push(
    usageLine({
      program: entry.program,
      synopsis: '<command> --help',
      summary: 'the options of one command',
    }),
  );
  return usageOf(command).replace(/^Usage:\n.*?\n\n/s, `Usage:\n${lines.join('\n')}\n\n`);
}

/** Error classes to exit codes: usage 2 (3, UNKNOWN, for k8sm-probe), bad input 1, else a bug. */
async function failure(
  entry: CommandEntry,
  command: Command | undefined,
  error: unknown,
): Promise<CommandResult> {
  const { program } = entry;
  if (error instanceof UsageError || error instanceof ProbeInputError)
    return {
      // k8sm-probe speaks the Nagios codes: 3 is UNKNOWN, with its line in the chosen format
      code: program === 'k8sm-probe' ? 3 : 2,
      ...(error instanceof ProbeInputError && error.stdout ? { stdout: error.stdout } : {}),
      stderr: `${commandTitle(entry)}: ${error.message}${command ? `\n\n${await helpOf(entry, command)}` : ''}`,
    };
  if (error instanceof K8smError) return { code: 1, stderr: `${program}: ${error.message}` };
  const detail = process.env.K8SM_DEBUG && error instanceof Error ? `\n${error.stack}` : '';
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 1,
    stderr: `${program}: internal error: ${message} (set K8SM_DEBUG=1 for details; please report it)${detail}`,
  };
}
