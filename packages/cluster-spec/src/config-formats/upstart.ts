import { shellQuote } from '../shell.js';
import { refuse, refuseControl } from './refuse.js';

// upstart job files (init(5), github:ubports/upstart@47a2d086 init/man/init.5): one stanza per
// line, `#` starts a comment. `exec COMMAND [ARG]...`: "Any special characters, e.g. quotes or
// `$' specified will result in the entire command being passed to a shell for expansion", so each
// word is quoted for sh: a plainly safe word is left as it is (no blank, no special character,
// the same word either way), any other is single-quoted and reaches the program unexpanded.

/** The words of an `exec` stanza, each one argument whether upstart or sh splits the line. */
export function upstartExec(file: string, words: readonly string[]): string {
  return words.map((word) => shellQuote(refuseControl({ file, key: 'exec' }, word))).join(' ');
}

/** A `description "…"` text: one line, and no `"` or `\`, which would end or escape the quotes. */
export function upstartDescription(file: string, text: string): string {
  const value = refuseControl({ file, key: 'description' }, text);
  if (/["\\]/.test(value))
    refuse({ file, key: 'description' }, 'holds a " or \\, which would end the quoted text');
  return `"${value}"`;
}
