import { COMPONENTS } from '@k8sm/spec/components';
import type { Command, OptionTable, Program } from './commands/command.js';

/** The shells `completion` writes a script for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** What a word completes to: file names, or one of these words (none: free text, e.g. a number). */
type Values = 'file' | { readonly words: readonly string[]; readonly commaList?: true };

const NONE: Values = { words: [] };

/** The option values worth completing, by option name (the same name means the same thing in every command). */
const OPTION_VALUES: Readonly<Record<string, Values>> = {
  only: { words: COMPONENTS, commaList: true },
  output: 'file',
  spec: 'file',
  html: 'file',
  cacert: 'file',
  cert: 'file',
  key: 'file',
};

/** Where a command's own option of that name means something else. */
const COMMAND_OPTION_VALUES: Readonly<Record<string, Readonly<Record<string, Values>>>> = {
  'k8sm-render bridge': { haproxy: 'file' },
};

/** A command's positional arguments; a command not listed takes none worth completing. */
const POSITIONALS: Readonly<Record<string, Values>> = {
  'k8sm-render render': 'file',
  'k8sm-render validate': 'file',
  'k8sm-render pki': 'file',
  'k8sm-render init': 'file',
  'k8sm-render completion': { words: SHELLS },
  'k8sm-probe completion': { words: SHELLS },
};

export interface CompletedOption {
  readonly long: string;
  readonly short?: string;
  readonly takesValue: boolean;
  readonly repeats: boolean;
  readonly values: Values;
  readonly description: string;
}

export interface CompletedCommand {
  /** '' for the program's default command, whose options follow the program name */
  readonly name: string;
  readonly summary: string;
  readonly options: readonly CompletedOption[];
  readonly positional: Values;
}

/** The first line an option's --help gives it, up to its first aside. */
function descriptionOf(help: string, long: string): string {
  const lines = help.split('\n');
  const flag = new RegExp(`(?<![\\w-])--${long}(?![\\w-])`);
  for (const [i, line] of lines.entries()) {
    const m = /^ {2}(-\S.*?)(?: {2,}(\S.*))?$/.exec(line);
    if (!m?.[1] || !flag.test(m[1])) continue;
    const text = m[2] ?? lines[i + 1]?.trim() ?? '';
    return text.replace(/(?: \(|; ).*$/, '');
  }
  return '';
}

/** What the completion scripts need of one command: its name, its options from its table, its arguments. */
export function completedCommand(command: Command, isDefault: boolean): CompletedCommand {
  const key = `${command.program} ${command.name}`;
  const options = Object.entries(command.options as OptionTable).map(([long, option]) => ({
    long,
    ...(option.short ? { short: option.short } : {}),
    takesValue: option.type === 'string',
    repeats: option.multiple === true,
    values:
      option.type === 'string' ? (COMMAND_OPTION_VALUES[key]?.[long] ?? OPTION_VALUES[long] ?? NONE) : NONE,
    description: descriptionOf(command.help, long),
  }));
  return {
    name: isDefault ? '' : command.name,
    summary: command.summary,
    options,
    positional: POSITIONALS[key] ?? NONE,
  };
}

/** `k8sm_render`: the program's name as a shell function name. */
const ident = (program: Program) => program.replaceAll('-', '_');
const flagsOf = (o: CompletedOption) => [`--${o.long}`, ...(o.short ? [`-${o.short}`] : [])];
const subcommands = (commands: readonly CompletedCommand[]) => commands.filter((c) => c.name !== '');
const defaultOf = (commands: readonly CompletedCommand[]) =>
  commands.find((c) => c.name === '') ?? { name: '', summary: '', options: [], positional: NONE };

/** The completion script of `program` for `shell`. */
export function completionScript(
  shell: Shell,
  program: Program,
  commands: readonly CompletedCommand[],
): string {
  return { bash, zsh, fish }[shell](program, commands);
}

// bash ------------------------------------------------------------------------------------------

function bashValues(id: string, values: Values): string {
  if (values === 'file') return `_${id}_files`;
  if (values.words.length === 0) return ':';
  return values.commaList
    ? `_${id}_add '${values.words.join(' ')}' "\${cur##*,}" "$([[ $cur == *,* ]] && printf '%s,' "\${cur%,*}")"`
    : `_${id}_add '${values.words.join(' ')}' "$cur"`;
}

function bashCommand(id: string, c: CompletedCommand): string {
  // the options that take a value, grouped by what completes it
  const byAction = new Map<string, string[]>();
  for (const o of c.options.filter((o) => o.takesValue)) {
    const action = bashValues(id, o.values);
    byAction.set(action, [...(byAction.get(action) ?? []), ...flagsOf(o)]);
  }
  const cases = [...byAction].map(([action, flags]) => `        ${flags.join('|')}) ${action}; return ;;`);
  const pos = c.positional === 'file' ? 'file' : c.positional.words.join(' ');
  return [
    `    ${c.name === '' ? '*' : c.name})`,
    ...(cases.length > 0 ? ['      case $prev in', ...cases, '      esac'] : []),
    `      opts='${c.options.flatMap(flagsOf).join(' ')}' pos='${pos}'`,
    '      ;;',
  ].join('\n');
}

function bash(program: Program, commands: readonly CompletedCommand[]): string {
  const id = ident(program);
  const names = subcommands(commands).map((c) => c.name);
  const ordered = [...subcommands(commands), defaultOf(commands)];
  return `# bash completion for ${program}, generated by \`${program} completion bash\`
# Install: source <(${program} completion bash)   (in ~/.bashrc), or save it as
# /etc/bash_completion.d/${program}

_${id}_add() { # words, the word to complete, a prefix to keep (before a comma)
  local w
  while IFS= read -r w; do
    [[ -n $w ]] && COMPREPLY+=("$w")
  done < <(compgen -W "$1" -P "\${3-}" -- "$2")
}

_${id}_files() {
  compopt -o filenames 2>/dev/null
  local f
  while IFS= read -r f; do
    COMPREPLY+=("$f")
  done < <(compgen -f -- "$cur")
}

_${id}() {
  COMPREPLY=()
  local cur=\${COMP_WORDS[COMP_CWORD]} prev='' cmd='' opts='' pos=''
  (( COMP_CWORD > 0 )) && prev=\${COMP_WORDS[COMP_CWORD-1]}
  # --option=value: bash splits the word at '='
  if [[ $cur == = ]]; then
    cur=''
  elif [[ $prev == = ]] && (( COMP_CWORD > 1 )); then
    prev=\${COMP_WORDS[COMP_CWORD-2]}
  fi
  # the command: the first word, when it names one
  if (( COMP_CWORD > 1 )); then
    case \${COMP_WORDS[1]} in
      ${names.join('|')}) cmd=\${COMP_WORDS[1]} ;;
    esac
  fi
  case $cmd in
${ordered.map((c) => bashCommand(id, c)).join('\n')}
  esac
  if [[ $cur == -* ]]; then
    _${id}_add "$opts" "$cur"
    return
  fi
  (( COMP_CWORD == 1 )) && _${id}_add '${names.join(' ')}' "$cur"
  case $pos in
    file) _${id}_files ;;
    ?*) _${id}_add "$pos" "$cur" ;;
  esac
}

complete -F _${id} ${program}
`;
}

// zsh -------------------------------------------------------------------------------------------

/** A single-quoted zsh word. */
const zq = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
/** Text inside an _arguments [explanation] or message: its own specials escaped. */
const zx = (text: string) => text.replace(/[\\[\]:]/g, (ch) => `\\${ch}`);

function zshAction(values: Values, repeats: boolean): string {
  if (values === 'file') return '_files';
  if (values.words.length === 0) return ' ';
  return values.commaList && repeats
    ? `_sequence compadd - ${values.words.join(' ')}`
    : `(${values.words.join(' ')})`;
}

function zshSpecs(c: CompletedCommand): string[] {
  const specs = c.options.flatMap((o) => {
    const flags = flagsOf(o);
    const exclude = o.repeats ? '*' : flags.length > 1 ? `(${flags.join(' ')})` : '';
    const argument = o.takesValue ? `:${zx(o.long)}:${zshAction(o.values, o.repeats)}` : '';
    return flags.map((flag) => {
      const form = o.takesValue ? (flag.startsWith('--') ? '=' : '+') : '';
      return zq(`${exclude}${flag}${form}[${zx(o.description)}]${argument}`);
    });
  });
  const positional = c.positional;
  if (c.name === '' || (positional !== 'file' && positional.words.length === 0)) return specs;
  return [...specs, zq(`1:${positional === 'file' ? 'file' : 'argument'}:${zshAction(positional, false)}`)];
}

function zsh(program: Program, commands: readonly CompletedCommand[]): string {
  const id = ident(program);
  const subs = subcommands(commands);
  const main = defaultOf(commands);
  const first = main.positional === 'file' ? `'1: :->first'` : `'1:command:_${id}_commands'`;
  return `#compdef ${program}
# zsh completion for ${program}, generated by \`${program} completion zsh\`
# Install: ${program} completion zsh > "\${fpath[1]}/_${program}" (then restart zsh), or
# source <(${program} completion zsh) in ~/.zshrc after compinit.

_${id}_commands() {
  local -a commands=(
${subs.map((c) => `    ${zq(`${c.name}:${c.summary}`)}`).join('\n')}
  )
  _describe -t commands '${program} command' commands
}

_${id}() {
  local curcontext=$curcontext state line
  typeset -A opt_args
  if (( CURRENT > 2 )); then
    case \${words[2]} in
${subs
  .map(
    (c) => `      (${c.name})
        shift words
        (( CURRENT-- ))
        _arguments -s -S : \\
          ${zshSpecs(c).join(' \\\n          ')}
        return ;;`,
  )
  .join('\n')}
    esac
  fi
  _arguments -s -S -C : \\
    ${[...zshSpecs(main), first].join(' \\\n    ')}
  if [[ $state == first ]]; then
    _alternative 'commands:command:_${id}_commands' 'files:spec file:_files'
  fi
}

if [[ \${funcstack[1]} == _${program} ]]; then
  _${id} "$@"
else
  compdef _${id} ${program}
fi
`;
}

// fish ------------------------------------------------------------------------------------------

/** A single-quoted fish word. */
const fq = (text: string) => `'${text.replace(/[\\']/g, (ch) => `\\${ch}`)}'`;

function fishLine(program: Program, c: CompletedCommand, rest: string): string {
  const id = ident(program);
  return `complete -c ${program} -n ${fq(`__${id}_using ${c.name === '' ? "''" : c.name}`)} ${rest}`;
}

function fishValues(values: Values): string {
  if (values === 'file') return '-r -F';
  return values.words.length === 0 ? '-x' : `-x -a ${fq(values.words.join(' '))}`;
}

function fish(program: Program, commands: readonly CompletedCommand[]): string {
  const id = ident(program);
  const subs = subcommands(commands);
  const lines = commands.flatMap((c) => [
    ...c.options.map((o) =>
      fishLine(
        program,
        c,
        [
          ...(o.short ? [`-s ${o.short}`] : []),
          `-l ${o.long}`,
          ...(o.takesValue ? [fishValues(o.values)] : []),
          ...(o.description ? [`-d ${fq(o.description)}`] : []),
        ].join(' '),
      ),
    ),
    ...(c.positional === 'file'
      ? [fishLine(program, c, '-F')]
      : c.positional.words.length > 0
        ? [fishLine(program, c, `-a ${fq(c.positional.words.join(' '))}`)]
        : []),
  ]);
  return `# fish completion for ${program}, generated by \`${program} completion fish\`
# Install: ${program} completion fish > ~/.config/fish/completions/${program}.fish
# (or, for this session: ${program} completion fish | source)

function __${id}_using --description 'whether the line is of this command (empty: the default one)'
    set -l words (commandline -opc)
    set -l cmd ''
    if set -q words[2]; and contains -- $words[2] ${subs.map((c) => c.name).join(' ')}
        set cmd $words[2]
    end
    test "$cmd" = "$argv[1]"
end

function __${id}_first --description 'whether the word is the first after the program'
    test (count (commandline -opc)) -eq 1
end

complete -c ${program} -f
${subs.map((c) => `complete -c ${program} -n __${id}_first -a ${c.name} -d ${fq(c.summary)}`).join('\n')}
${lines.join('\n')}
`;
}
