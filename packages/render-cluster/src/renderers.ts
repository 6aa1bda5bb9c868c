import { renderEtcd } from '@k8sm/render-etcd';
import { renderHaproxy } from '@k8sm/render-haproxy';
import { renderKubernetes } from '@k8sm/render-k8s-manifests';
import { renderMesos } from '@k8sm/render-mesos';
import { renderMonitoring, renderTopology } from '@k8sm/render-monitoring';
import { renderZookeeper } from '@k8sm/render-zookeeper';
import {
  type Artifact,
  type ArtifactComponent,
  type ClusterPlan,
  type PkiContents,
  planArtifact,
} from '@k8sm/spec';

/** What renderers read besides the plan: files the CLI loaded for them (never read by them). */
export interface RenderInputs {
  readonly pki: PkiContents;
  /** haproxy.template's text, and the stats password when it comes from a file */
  readonly haproxyTemplate?: string;
  readonly statsPassword?: string;
}

export interface Renderer {
  readonly component: ArtifactComponent;
  readonly render: (plan: ClusterPlan, inputs: RenderInputs) => readonly Artifact[];
}

/**
 * Every renderer the CLI runs. Component renderers join this list as their packages land; the
 * plan itself is always written.
 */
export const RENDERERS: readonly Renderer[] = [
  { component: 'k8sm', render: (plan) => [planArtifact(plan)] },
  { component: 'k8sm', render: (plan, inputs) => renderMonitoring(plan, inputs.pki) },
  { component: 'k8sm', render: renderTopology },
  { component: 'zookeeper', render: renderZookeeper },
  { component: 'mesos', render: renderMesos },
  { component: 'etcd', render: (plan, inputs) => renderEtcd(plan, inputs.pki) },
  { component: 'kubernetes', render: (plan, inputs) => renderKubernetes(plan, inputs.pki) },
  {
    component: 'haproxy',
    render: (plan, inputs) =>
      renderHaproxy(plan, {
        pki: inputs.pki,
        ...(inputs.haproxyTemplate === undefined ? {} : { template: inputs.haproxyTemplate }),
        ...(inputs.statsPassword === undefined ? {} : { statsPassword: inputs.statsPassword }),
      }),
  },
];
