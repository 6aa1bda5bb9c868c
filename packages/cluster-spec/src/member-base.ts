import { hostInitSystem, type InitSystem } from './init-system.js';
import type { ClusterSpec, HostSpec, Role } from './schema.js';

/** What every member of every ensemble has: the host it runs on. */
export interface MemberBase {
  /** host name */
  readonly host: string;
  readonly address: string;
  /** index of the host in spec.hosts, for error paths */
  readonly hostIndex: number;
  /** the host's init system, which the package runtime's scripts talk to */
  readonly initSystem: InitSystem;
}

/** A host of the spec with its init system resolved (the host's own, else the cluster's). */
export type ResolvedHost = HostSpec & { readonly initSystem: InitSystem };

/** The hosts that carry a role, in spec order, with their index for error paths. */
export function withRole(spec: ClusterSpec, role: Role): { host: ResolvedHost; hostIndex: number }[] {
  return spec.hosts.flatMap((host, hostIndex) =>
    host.roles.includes(role)
      ? [{ host: { ...host, initSystem: hostInitSystem(spec, host) }, hostIndex }]
      : [],
  );
}

export const memberBase = (host: ResolvedHost, hostIndex: number): MemberBase => ({
  host: host.name,
  address: host.address,
  hostIndex,
  initSystem: host.initSystem,
});

/** `{ key: value }`, or `{}` when the value is undefined (exactOptionalPropertyTypes). */
export const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
