import { type MemberBase, memberBase, withRole } from '../../member-base.js';
import type { ClusterSpec } from '../../schema.js';
import { MARATHON_DEFAULTS as D } from './facts.js';

export interface MarathonMember extends MemberBase {
  readonly httpPort: number;
  /** `http://10.0.0.1:8080`: the probe, the gates and the plan's urls */
  readonly url: string;
  readonly flags: Readonly<Record<string, string | number | boolean>>;
}

export interface MarathonMembers {
  readonly marathon: readonly MarathonMember[];
}

export function resolveMarathonMembers(spec: ClusterSpec): MarathonMembers {
  const marathon = spec.marathon;
  if (!marathon) return { marathon: [] };
  return {
    marathon: withRole(spec, 'marathon').map(({ host, hostIndex }) => {
      const httpPort = host.marathon?.httpPort ?? marathon.httpPort ?? D.httpPort;
      return {
        ...memberBase(host, hostIndex),
        httpPort,
        url: `http://${host.address}:${httpPort}`,
        flags: { ...marathon.flags, ...host.marathon?.flags },
      };
    }),
  };
}
