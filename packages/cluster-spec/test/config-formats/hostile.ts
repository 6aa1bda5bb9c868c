import { spawnSync } from 'node:child_process';
import { ConfigValueError } from '@k8sm/spec';
import test, { type ExecutionContext } from 'ava';

/** Values no config file may carry: each ends a line or is invisible in one. */
export const CONTROL = [
  'a\nb',
  'x\nserver.9=10.9.9.9:2888:3888\nskipACL=yes',
  'a\rb',
  'a\0b',
  'a\tb',
  '\u001b[31m',
  'x\u007f',
  'x\u0085',
];

/** Printable values that break out of a naive writer: quotes, escapes, comments, separators, expansions. */
export const PRINTABLE = [
  'a"b',
  "a'b",
  'a\\b',
  'a\\',
  '\\u0041',
  '$(touch pwned)',
  '`touch pwned`',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the payload
  '${HOME}',
  '$HOME',
  'a#b',
  '#a',
  '!a',
  'a;b',
  'a=b',
  'a:b',
  ':a',
  '=a',
  'a b',
  '%n%%',
  'é',
  '🙂',
  'a\u2028b',
  '[section]',
  '-x',
];

/** Whether a program of the machine runs (the Debian packages the tests use as oracles). */
export const runs = (command: string, ...args: string[]) =>
  spawnSync(command, args, { stdio: 'ignore' }).status === 0;

/**
 * A test that needs a real consumer: skipped on a developer's machine without it, never under
 * CI=true (scripts/test.sh installs every one), where it fails instead.
 */
export const oracleTest = (available: boolean) => (available || process.env.CI === 'true' ? test : test.skip);

/**
 * For each value: either `write` throws ConfigValueError naming `file`, or `readBack` (the real
 * consumer, or a model of it) gives back exactly the value. `mustCarry` values may not be refused:
 * the writer has to escape them, so a writer refusing everything fails too.
 */
export function refusedOrReadBack(
  t: ExecutionContext,
  file: string,
  values: readonly string[],
  write: (value: string) => string,
  readBack: (written: readonly string[]) => readonly (string | undefined)[],
  mustCarry: readonly string[] = [],
): void {
  const carried: [string, string][] = [];
  for (const value of values) {
    try {
      carried.push([value, write(value)]);
    } catch (error) {
      t.true(error instanceof ConfigValueError, `${JSON.stringify(value)}: ${String(error)}`);
      t.true((error as Error).message.startsWith(`${file}: `), (error as Error).message);
      t.false(mustCarry.includes(value), `${JSON.stringify(value)} is refused, but the format can carry it`);
    }
  }
  const read = readBack(carried.map(([, written]) => written));
  carried.forEach(([value, written], i) => {
    t.is(read[i], value, `${JSON.stringify(value)} written as ${JSON.stringify(written)}`);
  });
}

export function refusesAll(
  t: ExecutionContext,
  file: string,
  values: readonly string[],
  write: (v: string) => unknown,
) {
  for (const value of values) {
    const error = t.throws(() => write(value), { instanceOf: ConfigValueError }, JSON.stringify(value));
    t.true(error?.message.startsWith(`${file}: `), error?.message);
  }
}
