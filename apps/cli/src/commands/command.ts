import type { ParseArgsConfig, parseArgs } from 'node:util';

export type Program = 'k8sm-render' | 'k8sm-probe';
export type OptionTable = NonNullable<ParseArgsConfig['options']>;

/** What a command has to say; main's `print` is the only place that writes it out. */
export interface CommandResult {
  readonly code: 0 | 1 | 2 | 3;
  readonly stdout?: string;
  readonly stderr?: string;
}

export type ParsedArgs<O extends OptionTable> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>
>;

export interface CommandContext {
  readonly version: string;
  /** a progress line on stderr, written at once (a long render is not silent); counts only, no secret */
  readonly progress?: (line: string) => void;
}

/** One command of a program: its options, its usage, and what it does. */
export interface Command<O extends OptionTable = OptionTable> {
  /** the word after the program name; the program's default command has none on the line */
  readonly name: string;
  readonly program: Program;
  /** what follows the program name on the usage line, e.g. `pki <spec> [-o <pki-dir>] [--dry-run]` */
  readonly synopsis: string;
  readonly summary: string;
  /** strict: an option not in this table is a usage error */
  readonly options: O;
  /** the Options section of its usage: a line for every option in `options` */
  readonly help: string;
  readonly run: (args: ParsedArgs<O>, context: CommandContext) => Promise<CommandResult>;
  /** its own exit codes, when they are not the program's (a server is no Nagios check) */
  readonly exitCodes?: string;
}

/** Keeps the option table's literal types for `run`. */
export const defineCommand = <const O extends OptionTable>(command: Command<O>): Command<O> => command;

/** An option table kept apart from its command, for the `run` module that parses its values. */
export const defineOptions = <const O extends OptionTable>(options: O): O => options;

/**
 * The `run` of a command whose work lives in its own module, imported when the command runs: the
 * definition (name, options, help) stays light, so `--help`, shell completion and every other
 * command load none of the work's dependencies (the schema, the renderers, the X.509 library).
 */
export const runIn =
  <O extends OptionTable>(load: () => Promise<{ readonly run: Command<O>['run'] }>): Command<O>['run'] =>
  async (args, context) =>
    (await load()).run(args, context);

export const EXIT_CODES: Readonly<Record<Program, string>> = {
  'k8sm-render':
    'Exit codes: 0 ok, 1 invalid spec / unreadable or unwritable file / Marathon unreachable, 2 usage error,\n3 drift (--check) or a certificate expiring (pki --check-expiration --warn-days).',
  'k8sm-probe':
    'Exit codes: 0 OK, 1 WARNING (a member down, quorum holds), 2 CRITICAL (quorum lost, no leader,\nsplit brain), 3 UNKNOWN (usage or bad input).',
};

/** `  k8sm-render init [file]      summary`, the summary on its own line when the synopsis is long. */
export function usageLine(command: Pick<Command, 'program' | 'synopsis' | 'summary'>): string {
  const head = `  ${command.program} ${command.synopsis}`;
  const column = 57;
  return head.length < column - 1
    ? `${head.padEnd(column)}${command.summary}`
    : `${head}\n${' '.repeat(column)}${command.summary}`;
}

/** A command's own `--help`. */
export function usageOf(command: Command): string {
  return `Usage:\n${usageLine(command)}\n\nOptions:\n${command.help}\n\n${command.exitCodes ?? EXIT_CODES[command.program]}`;
}

/** The options of a command that takes none but --help. */
export const ONLY_HELP = {
  options: { help: { type: 'boolean', short: 'h' } },
  help: '  -h, --help             this help',
} as const;
