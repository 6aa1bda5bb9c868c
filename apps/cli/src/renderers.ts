import { renderMesos } from '@k8sm/render-mesos';
import { renderZookeeper } from '@k8sm/render-zookeeper';
import { type Artifact, type ArtifactComponent, type ClusterPlan, planArtifact } from '@k8sm/spec';

export interface Renderer {
  readonly component: ArtifactComponent;
  readonly render: (plan: ClusterPlan) => readonly Artifact[];
}

/**
 * Every renderer the CLI runs. Component renderers join this list as their packages land; the
 * plan itself is always written.
 */
export const RENDERERS: readonly Renderer[] = [
  { component: 'k8sm', render: (plan) => [planArtifact(plan)] },
  { component: 'zookeeper', render: renderZookeeper },
  { component: 'mesos', render: renderMesos },
];
