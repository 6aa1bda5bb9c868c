import { refuseControl } from './refuse.js';

// systemd unit files (systemd.syntax(7), systemd.unit(5) "Specifiers", systemd.service(5)
// "Command lines"): one setting per line (a trailing backslash continues it), `%` starts a
// specifier in most settings and `%%` is a literal `%`; in ExecStart= words are split at blanks,
// "…" and '…' quote with C-style backslash escapes, `$NAME` alone as a word expands to the
// variable split at whitespace and `${NAME}` expands inside a word, `$$` is a literal `$`.

/** The value of a setting such as Description=: `%` doubled so no specifier expands, a control character refused. */
export function systemdValue(file: string, key: string, value: string | number): string {
  return refuseControl({ file, key }, String(value)).replaceAll('%', '%%');
}

/** An ExecStart= word that expands the variable `name` split at whitespace: `$NAME`. */
export interface SplitVariable {
  readonly splitVariable: string;
}

/**
 * An ExecStart= (or ExecStartPre=, …) command line from its words: a word is written as it is when
 * plainly safe, else double-quoted with `\` and `"` escaped, `%` doubled and `$` doubled, so
 * each word reaches the program as exactly one argument, unexpanded.
 */
export function systemdExec(file: string, key: string, words: readonly (string | SplitVariable)[]): string {
  return words
    .map((word) => {
      if (typeof word !== 'string') {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(word.splitVariable))
          throw new TypeError(`no variable name: ${word.splitVariable}`);
        return `$${word.splitVariable}`;
      }
      const text = refuseControl({ file, key }, word);
      if (/^[A-Za-z0-9_.,:/@+=-]+$/.test(text)) return text;
      return `"${text.replaceAll(/["\\]/g, '\\$&').replaceAll('%', '%%').replaceAll('$', '$$$$')}"`;
    })
    .join(' ');
}
