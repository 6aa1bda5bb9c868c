import { type MemberBase, memberBase, withRole } from '../../member-base.js';
import type { ClusterSpec } from '../../schema.js';
import { MESOS_DEFAULTS as D } from './facts.js';

export interface MesosMasterMember extends MemberBase {
  readonly port: number;
  /** `http://10.0.0.1:5050`: the probe, the gates and the plan's masterUrls */
  readonly url: string;
  readonly workDir: string;
  readonly logDir: string;
  readonly flags: Readonly<Record<string, string | number | boolean>>;
}

export interface MesosAgentMember extends MemberBase {
  readonly port: number;
  readonly workDir: string;
  readonly logDir: string;
  readonly containerizers: readonly ('docker' | 'mesos')[];
  readonly isolation?: readonly string[];
  readonly attributes: Readonly<Record<string, string | number>>;
  readonly resources: Readonly<Record<string, string | number>>;
  readonly flags: Readonly<Record<string, string | number | boolean>>;
}

export interface MesosMembers {
  readonly mesosMasters: readonly MesosMasterMember[];
  readonly mesosAgents: readonly MesosAgentMember[];
}

export function resolveMesosMembers(spec: ClusterSpec): MesosMembers {
  const mesos = spec.mesos;
  if (!mesos) return { mesosMasters: [], mesosAgents: [] };
  const mesosMasters = withRole(spec, 'mesos-master').map(({ host, hostIndex }): MesosMasterMember => {
    const own = host.mesos ?? {};
    const port = own.port ?? mesos.port ?? D.port;
    return {
      ...memberBase(host, hostIndex),
      port,
      url: `http://${host.address}:${port}`,
      workDir: own.workDir ?? mesos.workDir ?? D.workDir,
      logDir: own.logDir ?? mesos.logDir ?? D.logDir,
      flags: { ...mesos.master?.flags, ...own.master?.flags },
    };
  });
  const mesosAgents = withRole(spec, 'mesos-agent').map(({ host, hostIndex }): MesosAgentMember => {
    const own = host.mesos?.agent ?? {};
    const agent = mesos.agent ?? {};
    const isolation = own.isolation ?? agent.isolation;
    return {
      ...memberBase(host, hostIndex),
      port: own.port ?? agent.port ?? D.agent.port,
      workDir: own.workDir ?? agent.workDir ?? D.agent.workDir,
      logDir: host.mesos?.logDir ?? mesos.logDir ?? D.logDir,
      containerizers: own.containerizers ?? agent.containerizers ?? D.agent.containerizers,
      ...(isolation === undefined ? {} : { isolation }),
      attributes: { ...agent.attributes, ...own.attributes },
      resources: { ...agent.resources, ...own.resources },
      flags: { ...agent.flags, ...own.flags },
    };
  });
  return { mesosMasters, mesosAgents };
}
