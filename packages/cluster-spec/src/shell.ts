import { ShellValueError } from './errors.js';

/** Quote one word for bash: left alone when it is plainly safe, else single-quoted. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_.,:/@%+=-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

declare const SHELL_LINE: unique symbol;

/**
 * Shell text built by `sh` (or joined from such text): every value in it was quoted, so it is the
 * only thing a script step can hold. A plain string is not one; `as ShellLine` is the only way
 * around that, and nothing in k8sm writes it.
 */
export type ShellLine = string & { readonly [SHELL_LINE]: true };

export type ShellWord = string | number;

/**
 * What `sh` takes: one word, or a list of words. A ShellLine is refused by the compiler: `sh`
 * cannot tell it from a string at run time and would quote it again; join lines with
 * `shLines` or `shContinued` instead.
 */
type Interpolations<V extends readonly unknown[]> = {
  readonly [K in keyof V]: V[K] extends ShellLine | readonly ShellLine[]
    ? never
    : V[K] extends ShellWord | readonly ShellWord[]
      ? V[K]
      : never;
};

const line = (text: string) => text as ShellLine;

function quoteWord(word: ShellWord): string {
  if (typeof word === 'number') {
    if (!Number.isFinite(word)) throw new TypeError(`sh: ${word} is not a number a script can hold`);
    return String(word);
  }
  if (word.includes('\0')) throw new ShellValueError(word, 'holds a NUL byte, which no shell word can carry');
  return shellQuote(word);
}

/**
 * A shell line with every interpolated value quoted: a string or number is one word, a list is
 * one word per element, joined by spaces. The literal text around the values is the template's
 * own and must leave each value outside any quotes, comment, `${…}` or `$((…))` (checked).
 */
export function sh<const V extends readonly (ShellWord | readonly ShellWord[])[]>(
  strings: TemplateStringsArray,
  ...values: Interpolations<V>
): ShellLine {
  const parts = strings.map((s, i) => {
    if (s === undefined) throw new TypeError(`sh: literal part ${i} has an invalid escape`);
    return s;
  });
  checkContexts(parts);
  let out = parts[0] ?? '';
  values.forEach((value, i) => {
    const v = value as ShellWord | readonly ShellWord[];
    out += (typeof v === 'object' ? v.map(quoteWord).join(' ') : quoteWord(v)) + parts[i + 1];
  });
  return line(out);
}

/** Several steps, one per line, as one. */
export const shLines = (lines: readonly ShellLine[]): ShellLine => line(lines.join('\n'));

/** One command written over several lines, each but the last continued with a backslash. */
export const shContinued = (parts: readonly ShellLine[]): ShellLine => line(parts.join(' \\\n  '));

/** A comment line (`#` first); a line break would end the comment and start a command. */
export function shComment(text: string): ShellLine {
  if (!text.startsWith('#')) throw new TypeError(`sh: a comment starts with #: ${JSON.stringify(text)}`);
  if (/[\n\r\0]/.test(text))
    throw new ShellValueError(text, 'holds a line break, which would end the comment');
  return line(text);
}

/** A whole script: its lines, each ending with a newline. */
export const shScript = (lines: readonly ShellLine[]): string => `${lines.join('\n')}\n`;

type Context =
  | 'single'
  | 'double'
  | 'backquote'
  | 'command'
  | 'subshell'
  | 'parameter'
  | 'arithmetic'
  | 'comment';

/** Where a quoted word is one word: outside quotes and comments, or inside `$(…)` or `(…)`. */
const WORD_CONTEXTS: ReadonlySet<Context | undefined> = new Set([undefined, 'command', 'subshell']);

/**
 * Follow bash's quoting through the template's literal text and refuse a value placed where
 * quoting does not make it one word: inside quotes (`"'$(id)'"` runs), a comment (a line break
 * ends it), `${…}`, `$((…))`, after a backslash or a `$`, or in a here-document.
 */
function checkContexts(parts: readonly string[]): void {
  const stack: Context[] = [];
  let escaped = false;
  parts.forEach((text, index) => {
    let wordStart = index === 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      const next = text[i + 1];
      const top = stack.at(-1);
      if (escaped) {
        escaped = false;
        wordStart = false;
        continue;
      }
      if (top === 'single') {
        if (c === "'") stack.pop();
        continue;
      }
      if (top === 'comment') {
        if (c === '\n') {
          stack.pop();
          wordStart = true;
        }
        continue;
      }
      if (c === '\\') escaped = true;
      else if (c === '`') top === 'backquote' ? stack.pop() : stack.push('backquote');
      else if (c === '$' && next === '(') {
        stack.push(text[i + 2] === '(' ? 'arithmetic' : 'command');
        i += text[i + 2] === '(' ? 2 : 1;
      } else if (c === '$' && next === '{') {
        stack.push('parameter');
        i++;
      } else if (top === 'double') {
        if (c === '"') stack.pop();
      } else if (top === 'arithmetic') {
        if (c === ')' && next === ')') {
          stack.pop();
          i++;
        }
      } else if (c === '"') stack.push('double');
      else if (c === "'") stack.push('single');
      else if (top === 'parameter' && c === '}') stack.pop();
      else if (c === '(') stack.push('subshell');
      else if (c === ')' && (top === 'command' || top === 'subshell')) stack.pop();
      else if (c === '#' && wordStart) stack.push('comment');
      else if (c === '<' && next === '<' && text[i + 2] !== '<')
        throw new TypeError('sh: here-documents are not supported; write the lines with sh');
      else if (c === '<' && next === '<') i += 2;
      wordStart = /[\s;&|()<>]/.test(c ?? '');
    }
    if (index === parts.length - 1) return;
    const where = JSON.stringify(parts.slice(0, index + 1).join('‹value›'));
    if (!WORD_CONTEXTS.has(stack.at(-1)))
      throw new TypeError(`sh: a value inside ${stack.at(-1)} quoting is not one word: ${where}`);
    if (escaped || text.endsWith('$'))
      throw new TypeError(`sh: a value right after a backslash or a $ is not one word: ${where}`);
  });
}
