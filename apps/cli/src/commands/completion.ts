import { completedCommand, completionScript, SHELLS, type Shell } from '../completion.js';
import { UsageError } from '../errors.js';
import { type Command, defineCommand, type Program } from './command.js';
import { COMMANDS } from './index.js';

/** `completion bash|zsh|fish` of one program: its script, made from the command table. */
export const completionCommand = (program: Program): Command =>
  defineCommand({
    name: 'completion',
    program,
    synopsis: 'completion bash|zsh|fish',
    summary: `print the shell completion script of ${program}`,
    options: { help: { type: 'boolean', short: 'h' } },
    help: `  bash|zsh|fish          the shell to complete for; the script goes to stdout
  -h, --help             this help

Commands, their options and option values (file names, --only's components) are completed.
Install, for bash: add to ~/.bashrc
    source <(${program} completion bash)
  zsh: add to ~/.zshrc, after compinit
    source <(${program} completion zsh)
  or write it to a directory of $fpath, e.g.
    ${program} completion zsh > "\${fpath[1]}/_${program}"   (then: autoload -U compinit; compinit)
  fish:
    ${program} completion fish > ~/.config/fish/completions/${program}.fish
  or, for this session only: ${program} completion fish | source`,
    async run({ positionals }) {
      const [shell, ...rest] = positionals;
      if (shell === undefined) throw new UsageError(`give a shell: ${SHELLS.join(', ')}`);
      if (!(SHELLS as readonly string[]).includes(shell))
        throw new UsageError(`unknown shell "${shell}": give ${SHELLS.join(', ')}`);
      if (rest.length > 0) throw new UsageError(`completion takes one shell, also got ${rest.join(' ')}`);
      const entries = COMMANDS.filter((c) => c.program === program);
      const commands = await Promise.all(
        entries.map(async (entry) => completedCommand((await entry.load()).command, entry.default === true)),
      );
      return { code: 0, stdout: completionScript(shell as Shell, program, commands) };
    },
  });
