/**
 * Characters no spec string may hold: C0 and C1 controls (newline, tab, ESC…), the line and
 * paragraph separators, and the bidi embeddings, overrides and isolates that make text read
 * differently from what it is (Trojan Source, CVE-2021-42574).
 */
const FORBIDDEN = '\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';

/** A string without any FORBIDDEN character. */
export const TEXT_PATTERN = new RegExp(`^[^${FORBIDDEN}]*$`);

/** TEXT_PATTERN, but newline and tab allowed: for commands that k8sm only ever JSON-encodes. */
export const MULTILINE_TEXT_PATTERN = new RegExp(
  `^[^${FORBIDDEN.replace('\\u0000-\\u001f', '\\u0000-\\u0008\\u000b-\\u001f')}]*$`,
);

const FORBIDDEN_CHAR = new RegExp(`[${FORBIDDEN}]`, 'g');

const NAMES: Partial<Record<number, string>> = {
  9: 'a tab',
  10: 'a newline',
  13: 'a carriage return',
  27: 'an escape',
  8232: 'a line separator',
  8233: 'a paragraph separator',
};

const codePoint = (c: string) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** "a newline (U+000A)", "a bidi control (U+202E)", … */
export function describeChar(c: string): string {
  const n = c.codePointAt(0) ?? 0;
  const name = NAMES[n] ?? (n >= 0x202a ? 'a bidi control' : 'a control character');
  return `${name} (${codePoint(c)})`;
}

/** The first character of `text` that `pattern` refuses, if any. */
export function firstForbidden(text: string, allowed: RegExp = TEXT_PATTERN): string | undefined {
  for (const c of text.match(FORBIDDEN_CHAR) ?? []) if (!allowed.test(c)) return c;
  return undefined;
}

/** JSON.stringify, plus \u escapes for what it leaves raw and a terminal would act on. */
export const quote = (text: string): string =>
  JSON.stringify(text).replace(FORBIDDEN_CHAR, (c) => `\\u${codePoint(c).slice(2).toLowerCase()}`);
