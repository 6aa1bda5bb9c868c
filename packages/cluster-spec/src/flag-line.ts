import { DuplicateFlagError } from './errors.js';

export type FlagValue = string | number | boolean;

/** Derived flags by name, in the order they are written; an undefined value is not derived this time. */
export type DerivedFlagValues<Name extends string, V = FlagValue> = { readonly [N in Name]?: V | undefined };

/**
 * One binary's command line: the derived flags, then the spec's extra ones. A flag named twice
 * would leave the binary to pick one (or refuse to start), so it throws: the `derived-flag` and
 * `duplicate-flag` checks refuse such a spec first, this is the backstop behind them.
 *
 * @param binary what the flags are for, e.g. `kube-apiserver on master1`
 * @param extraAt the spec path that sets an extra flag
 */
export function withExtraFlags<V>(
  binary: string,
  derived: Iterable<readonly [string, V | undefined]>,
  extra: Readonly<Record<string, V>> | undefined,
  extraAt: (flag: string) => string,
): [string, V][] {
  const line = new Map<string, V>();
  for (const [flag, value] of derived) {
    if (value === undefined) continue;
    if (line.has(flag)) throw new DuplicateFlagError(flag, binary);
    line.set(flag, value);
  }
  for (const [flag, value] of Object.entries(extra ?? {})) {
    if (line.has(flag)) throw new DuplicateFlagError(flag, binary, extraAt(flag));
    line.set(flag, value);
  }
  return [...line];
}
