import { type ConfigPlace, refuse, refuseChars, refuseControl } from './refuse.js';

// An env file k8sm writes is read two ways: by systemd's EnvironmentFile= (systemd
// src/basic/env-file.c: inside double quotes a backslash escapes `"`, `\`, `` ` ``, `$` and a
// newline, and keeps itself before any other character) and by a shell `.` (POSIX 2.2.3: the same
// four characters and a newline). Double quotes with those four escaped read back alike in both.

/**
 * A value for an environment file that both systemd's `EnvironmentFile=` and a shell `.` read
 * alike: left alone when plainly safe, else double-quoted with `"`, `\`, `$` and backquote escaped.
 */
export function envFileQuote(value: string): string {
  if (/^[A-Za-z0-9_.,:/@%+=-]*$/.test(value)) return value;
  return `"${value.replaceAll(/["\\$`]/g, '\\$&')}"`;
}

function checkName(file: string, name: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    refuse(
      { file, key: JSON.stringify(name) },
      'is no variable name (letters, digits and `_`, not starting with a digit)',
      'rename the variable',
    );
}

/** `NAME=value`, the value quoted for both readers; a control character in it throws ConfigValueError. */
export function envFileLine(file: string, name: string, value: string | number | boolean): string {
  checkName(file, name);
  const text = refuseControl({ file, key: name }, String(value));
  return `${name}=${envFileQuote(text)}`;
}

/**
 * A variable holding a command line, one word per line like the guides wrote them:
 * `NAME="--a=1 \<newline>    --b=2"`. systemd splits an unquoted `$NAME` in ExecStart= at
 * whitespace with no quoting of its own (systemd.service(5), "Command lines"), so a word holding
 * whitespace would become two arguments: it throws ConfigValueError, as does a control character.
 */
export function envFileWords(file: string, name: string, words: readonly string[]): string {
  checkName(file, name);
  for (const word of words) {
    const at: ConfigPlace = { file, key: `${name} (${JSON.stringify(word.split('=')[0])})` };
    refuseControl(at, word);
    refuseChars(at, word, ' ', 'would split it into two arguments where systemd expands the variable');
    if (word === '') refuse(at, 'is an empty word, which systemd drops');
  }
  if (words.length === 0) return `${name}=""`;
  return `${name}="${words.map((w) => w.replaceAll(/["\\$`]/g, '\\$&')).join(' \\\n    ')}"`;
}

/**
 * `NAME=value` for `docker run --env-file`, which takes everything after the first `=` literally
 * (docker/cli opts/envfile.go parseKeyValueFile: no quotes, no escapes), so the value is written
 * as it is; only a control character, which would end the line, throws ConfigValueError.
 */
export function dockerEnvFileLine(file: string, name: string, value: string): string {
  checkName(file, name);
  return `${name}=${refuseControl({ file, key: name }, value)}`;
}
