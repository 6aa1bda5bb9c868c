import type { ClusterSpec, HostSpec, Role } from './schema.js';

/** What every member of every ensemble has: the host it runs on. */
export interface MemberBase {
  /** host name */
  readonly host: string;
  readonly address: string;
  /** index of the host in spec.hosts, for error paths */
  readonly hostIndex: number;
}

/** The hosts that carry a role, in spec order, with their index for error paths. */
export function withRole(spec: ClusterSpec, role: Role): { host: HostSpec; hostIndex: number }[] {
  return spec.hosts.flatMap((host, hostIndex) => (host.roles.includes(role) ? [{ host, hostIndex }] : []));
}

export const memberBase = (host: HostSpec, hostIndex: number): MemberBase => ({
  host: host.name,
  address: host.address,
  hostIndex,
});

/** `{ key: value }`, or `{}` when the value is undefined (exactOptionalPropertyTypes). */
export const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
