import { type MemberBase, memberBase, withRole } from '../../member-base.js';
import type { ClusterSpec } from '../../schema.js';
import { HAPROXY_DEFAULTS as D } from './facts.js';

export interface HaproxyMember extends MemberBase {
  readonly frontendPort: number;
}

export interface HaproxyMembers {
  readonly haproxy: readonly HaproxyMember[];
}

export function resolveHaproxyMembers(spec: ClusterSpec): HaproxyMembers {
  const ha = spec.haproxy;
  if (!ha) return { haproxy: [] };
  return {
    haproxy: withRole(spec, 'haproxy').map(({ host, hostIndex }) => ({
      ...memberBase(host, hostIndex),
      frontendPort: host.haproxy?.frontendPort ?? ha.frontendPort ?? D.frontendPort,
    })),
  };
}
