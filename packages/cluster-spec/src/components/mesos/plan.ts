import type { Runtime } from '../../fields.js';
import { optional } from '../../member-base.js';
import type { Members } from '../../members.js';
import { type Quorum, quorum } from '../../quorum.js';
import type { ClusterSpec } from '../../schema.js';
import type { ZookeeperPlan } from '../zookeeper/plan.js';
import { MESOS_DEFAULTS as D, mesosAgentImage, mesosMasterImage } from './facts.js';
import type { MesosAgentMember, MesosMasterMember } from './members.js';

/** With the docker runtime the plan names both images: the spec's, else the release's (facts.ts). */
export type MesosImages =
  | { readonly runtime: 'docker'; readonly image: string; readonly agentImage: string }
  | { readonly runtime: Exclude<Runtime, 'docker'>; readonly image?: string; readonly agentImage?: string };

export type MesosPlan = MesosSettings & MesosImages;

interface MesosSettings {
  readonly version: string;
  readonly cluster?: string;
  /** the ZooKeeper connect string: k8sm's ensemble, or mesos.externalZookeeper */
  readonly zookeeper: string;
  /** `zk://…/mesos`: /etc/mesos/zk, agents' --master, k8sm's --mesos-master */
  readonly zkUrl: string;
  /** majority of the masters (or the spec's override, checked to be a majority) */
  readonly quorum: Quorum;
  readonly quorumValue: number;
  readonly masters: readonly MesosMasterMember[];
  readonly agents: readonly MesosAgentMember[];
  readonly executorRegistrationTimeout?: string;
  readonly switchUser: boolean;
  readonly dockerDaemonArgs: readonly string[];
  /** the masters' URLs, `http://10.0.0.1:5050`, … */
  readonly masterUrls: readonly string[];
}

export function planMesos(
  spec: ClusterSpec,
  members: Members,
  upstream: { readonly zookeeper?: ZookeeperPlan },
): MesosPlan | undefined {
  const mesos = spec.mesos;
  const connect = mesos?.externalZookeeper ?? upstream.zookeeper?.connectString;
  if (!mesos || !connect || members.mesosMasters.length === 0) return undefined;
  const q = quorum(members.mesosMasters.length);
  const agent = mesos.agent ?? {};
  return {
    version: mesos.version,
    ...mesosImages(mesos.runtime ?? D.runtime, mesos.version, mesos.image, agent.image),
    ...optional('cluster', mesos.cluster),
    zookeeper: connect,
    zkUrl: `zk://${connect}${mesos.zkPath ?? D.zkPath}`,
    quorum: q,
    quorumValue: mesos.quorum ?? q.majority,
    masters: members.mesosMasters,
    agents: members.mesosAgents,
    ...optional('executorRegistrationTimeout', agent.executorRegistrationTimeout),
    switchUser: agent.switchUser ?? D.agent.switchUser,
    dockerDaemonArgs: agent.dockerDaemonArgs ?? [],
    masterUrls: members.mesosMasters.map((m) => m.url),
  };
}

function mesosImages(
  runtime: Runtime,
  version: string,
  image: string | undefined,
  agentImage: string | undefined,
): MesosImages {
  if (runtime === 'docker')
    return {
      runtime,
      image: image ?? mesosMasterImage(version),
      agentImage: agentImage ?? mesosAgentImage(version),
    };
  return { runtime, ...optional('image', image), ...optional('agentImage', agentImage) };
}
