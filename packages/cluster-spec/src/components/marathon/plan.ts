import type { Members } from '../../members.js';
import { type RuntimeImage, runtimeImage } from '../../runtime-image.js';
import type { ClusterSpec } from '../../schema.js';
import type { MesosPlan } from '../mesos/plan.js';
import { type PlannedMarathonApp, planMarathonApp } from './apps.js';
import { MARATHON_DEFAULTS as D, marathonImage } from './facts.js';
import type { MarathonMember } from './members.js';

export type MarathonPlan = MarathonSettings & RuntimeImage;

interface MarathonSettings {
  readonly version: string;
  /** `zk://…/marathon` */
  readonly zkUrl: string;
  /** the Mesos master URL Marathon registers with: the Mesos zk URL */
  readonly masterUrl: string;
  readonly members: readonly MarathonMember[];
  readonly urls: readonly string[];
  /** the spec's apps with Marathon's defaults applied, in spec order */
  readonly apps: readonly PlannedMarathonApp[];
}

export function planMarathon(
  spec: ClusterSpec,
  members: Members,
  upstream: { readonly mesos?: MesosPlan },
): MarathonPlan | undefined {
  const marathon = spec.marathon;
  const mesos = upstream.mesos;
  if (!marathon || !mesos || members.marathon.length === 0) return undefined;
  return {
    version: marathon.version,
    ...runtimeImage(marathon.runtime ?? D.runtime, marathon.image, () => marathonImage(marathon.version)),
    zkUrl: `zk://${mesos.zookeeper}${marathon.zkPath ?? D.zkPath}`,
    masterUrl: mesos.zkUrl,
    members: members.marathon,
    urls: members.marathon.map((m) => m.url),
    apps: (marathon.apps ?? []).map(planMarathonApp),
  };
}
