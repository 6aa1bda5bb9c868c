import {
  type DerivedFlagValues,
  type FlagValue,
  type MarathonDerivedFlag,
  type MesosDerivedFlag,
  type MesosKind,
  withExtraFlags,
} from '@k8sm/spec';

export type { FlagValue } from '@k8sm/spec';

/**
 * A Mesos master's or agent's flags: the derived ones (only names MESOS_DERIVED_FLAGS lists), then
 * the member's extra flags. A flag given twice throws DuplicateFlagError.
 */
export function mesosFlags<K extends MesosKind>(
  kind: K,
  host: string,
  derived: DerivedFlagValues<MesosDerivedFlag<K>>,
  extra: Readonly<Record<string, FlagValue>>,
): Record<string, FlagValue> {
  const line = withExtraFlags<FlagValue>(
    `mesos-${kind} on ${host}`,
    Object.entries(derived),
    extra,
    (flag) => `mesos.${kind}.flags.${flag} (or hosts[${host}].mesos.${kind}.flags.${flag})`,
  );
  return Object.fromEntries(line);
}

/** Marathon's flags: the derived ones (only names MARATHON_DERIVED_FLAGS lists), then the extra ones. */
export function marathonFlags(
  host: string,
  derived: DerivedFlagValues<MarathonDerivedFlag>,
  extra: Readonly<Record<string, FlagValue>>,
): Record<string, FlagValue> {
  const line = withExtraFlags<FlagValue>(
    `marathon on ${host}`,
    Object.entries(derived),
    extra,
    (flag) => `marathon.flags.${flag} (or hosts[${host}].marathon.flags.${flag})`,
  );
  return Object.fromEntries(line);
}

/** `flags` without the ones rendered some other way (/etc/mesos/zk, the attributes dir, …). */
export const without = (flags: Readonly<Record<string, FlagValue>>, ...names: string[]) =>
  Object.fromEntries(Object.entries(flags).filter(([flag]) => !names.includes(flag)));
