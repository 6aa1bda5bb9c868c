import type { Command, Program } from './command.js';

export interface CommandEntry {
  readonly program: Program;
  readonly name: string;
  /** the program's default command (render, probe): run when the first word names no other */
  readonly default?: true;
  /** loaded on use only, so each command's dependencies stay in their own bundle chunk */
  // biome-ignore lint/suspicious/noExplicitAny: each command has its own option table
  readonly load: () => Promise<{ readonly command: Command<any> }>;
}

/** Every command of both programs. A new command is one file in this folder and one line here. */
export const COMMANDS: readonly CommandEntry[] = [
  { program: 'k8sm-render', name: 'render', default: true, load: () => import('./render.js') },
  { program: 'k8sm-render', name: 'validate', load: () => import('./validate.js') },
  { program: 'k8sm-render', name: 'init', load: () => import('./init.js') },
  { program: 'k8sm-render', name: 'schema', load: () => import('./schema.js') },
  { program: 'k8sm-render', name: 'pki', load: () => import('./pki.js') },
  { program: 'k8sm-render', name: 'bridge', load: () => import('./bridge.js') },
  {
    program: 'k8sm-render',
    name: 'completion',
    load: () => import('./completion.js').then((m) => ({ command: m.completionCommand('k8sm-render') })),
  },
  { program: 'k8sm-probe', name: 'probe', default: true, load: () => import('./probe.js') },
  { program: 'k8sm-probe', name: 'quorum', load: () => import('./quorum.js') },
  { program: 'k8sm-probe', name: 'serve', load: () => import('./serve.js') },
  {
    program: 'k8sm-probe',
    name: 'completion',
    load: () => import('./completion.js').then((m) => ({ command: m.completionCommand('k8sm-probe') })),
  },
];

/** The command `argv` asks for: its first word when that names one, else the default command. */
export function commandEntry(program: Program, argv: readonly string[]): CommandEntry {
  const mine = COMMANDS.filter((c) => c.program === program);
  const named = mine.find((c) => !c.default && c.name === argv[0]);
  const fallback = mine.find((c) => c.default);
  if (!named && !fallback) throw new Error(`${program} has no default command`);
  return (named ?? fallback) as CommandEntry;
}

/** How messages name a command: `k8sm-render pki`, or the program alone for its default command. */
export const commandTitle = (entry: CommandEntry): string =>
  entry.default ? entry.program : `${entry.program} ${entry.name}`;
