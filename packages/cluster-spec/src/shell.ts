/** Quote one word for bash: left alone when it is plainly safe, else single-quoted. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_.,:/@%+=-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * A value for an environment file that both systemd's `EnvironmentFile=` and a shell `.` read
 * alike: left alone when plainly safe, else double-quoted with `"`, `\`, `$` and backquote escaped.
 */
export function envFileQuote(value: string): string {
  if (/^[A-Za-z0-9_.,:/@%+=-]*$/.test(value)) return value;
  return `"${value.replaceAll(/["\\$`]/g, '\\$&')}"`;
}
