import { refuseChars, refuseControl } from './refuse.js';

// HAProxy's configuration language (configuration.txt, "2.2. Quoting and escaping"; src/tools.c
// parse_line()): words are separated by blanks, `#` starts a comment, a backslash escapes the next
// character, double quotes keep blanks, `#` and `'` and expand `$NAME`/`${NAME}` unless the `$` is
// escaped, single quotes keep everything. Double quotes with `\`, `"` and `$` escaped carry any
// printable text; a line ends at a newline whatever the quoting, so control characters are refused.

const inQuotes = (text: string) => text.replaceAll(/["\\$]/g, '\\$&');

/** One argument of a directive: as it is when plainly safe, else double-quoted and escaped. */
export function haproxyWord(file: string, directive: string, value: string | number): string {
  const text = refuseControl({ file, key: directive }, String(value));
  if (/^[A-Za-z0-9_.,:/@%+=*[\]-]+$/.test(text)) return text;
  return `"${inQuotes(text)}"`;
}

/**
 * Text for inside a double-quoted word the template writes itself, e.g. the user of
 * `stats auth "<user>:${PASSWORD}"`. `forbidden` lists delimiters of the directive with no escape
 * (the `:` between user and password: HAProxy splits at the first one).
 */
export function haproxyQuotedText(file: string, directive: string, value: string, forbidden = ''): string {
  const at = { file, key: directive };
  refuseControl(at, value);
  refuseChars(at, value, forbidden, `${directive} splits at it, with no escape`);
  return inQuotes(value);
}
