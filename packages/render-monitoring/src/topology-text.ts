/** Line breaks as every text format of the diagrams splits them. */
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/;

/**
 * A label's lines, each with its remaining control characters made visible (C0 controls as their
 * Unicode control pictures, ␀…␟ and ␡) and the other invisible ones (C1 controls, bidi
 * embeddings and isolates) as U+FFFD: neither format has a way to show them, and a bidi control
 * would make the picture read differently from the spec (Trojan Source).
 */
export function labelLines(text: string): string[] {
  return text.split(LINE_BREAK).map((line) =>
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
    line.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => {
      const code = c.codePointAt(0) ?? 0;
      if (code < 0x20) return String.fromCodePoint(0x2400 + code);
      return code === 0x7f ? '\u2421' : '\ufffd';
    }),
  );
}

/** One comment line's text: what a line break would end is joined with spaces. */
export const commentText = (text: string): string => labelLines(text).join(' ');
