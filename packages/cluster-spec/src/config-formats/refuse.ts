import { ConfigValueError } from '../errors.js';

/** Where a value goes: the file on the host and the key, flag or directive inside it. */
export interface ConfigPlace {
  readonly file: string;
  readonly key: string;
}

/** C0 controls (newline, CR, NUL, tab, …), DEL and C1 controls: no config file k8sm writes carries one. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

const codePoint = (ch: string) => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Throws ConfigValueError naming the file, the key and the fix. */
export function refuse(at: ConfigPlace, problem: string, fix = 'change the spec value that sets it'): never {
  throw new ConfigValueError(at.file, at.key, problem, fix);
}

/** Refuses a control character: in every format k8sm writes, a newline ends the line and starts one of the author's choosing. */
export function refuseControl(at: ConfigPlace, value: string): string {
  const found = CONTROL.exec(value);
  if (found)
    refuse(
      at,
      `holds the control character ${codePoint(found[0])}${found[0] === '\n' || found[0] === '\r' ? ', which would end the line and start another' : ''}`,
      'remove it from the spec value that sets it',
    );
  return value;
}

/** Refuses each character of `chars` the format has no escape for, naming the character and why. */
export function refuseChars(at: ConfigPlace, value: string, chars: string, why: string): string {
  for (const ch of chars) if (value.includes(ch)) refuse(at, `holds ${JSON.stringify(ch)}, which ${why}`);
  return value;
}
