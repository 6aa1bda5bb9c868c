import { optional } from '../../member-base.js';
import type { Members } from '../../members.js';
import { type RuntimeImage, runtimeImage } from '../../runtime-image.js';
import type { ClusterSpec } from '../../schema.js';
import type { ApiserverHealthCheck } from '../kubernetes/health-check.js';
import type { KubernetesPlan } from '../kubernetes/plan.js';
import { HAPROXY_DEFAULTS as D, haproxyImage } from './facts.js';
import type { HaproxyMember } from './members.js';
import type { HaproxySpec } from './schema.js';
import { type HaproxyStats, haproxyStats } from './settings.js';

export type HaproxyPlan = HaproxySettings & RuntimeImage;

interface HaproxySettings {
  readonly version: string;
  readonly balance: NonNullable<HaproxySpec['balance']>;
  readonly checkInterval: string;
  readonly runtimeApi: boolean;
  /** the spec's own haproxy.cfg template, relative to the spec file (read by the CLI) */
  readonly template?: string;
  /** the Kubernetes version behind it: /readyz from 1.16, /healthz before */
  readonly kubernetesVersion?: string;
  /** how the backend checks ask the apiservers (the Kubernetes plan's decision) */
  readonly healthCheck?: ApiserverHealthCheck;
  /** the apiservers' CA is in the Kubernetes PKI: health checks can verify their certificates */
  readonly apiserverCa: boolean;
  readonly members: readonly HaproxyMember[];
  readonly stats?: HaproxyStats;
  /** the apiservers behind the frontend, by host name */
  readonly apiservers: readonly {
    readonly name: string;
    readonly address: string;
    readonly port: number;
    readonly scheme: 'http' | 'https';
  }[];
}

export function planHaproxy(
  spec: ClusterSpec,
  members: Members,
  upstream: { readonly kubernetes?: KubernetesPlan },
): HaproxyPlan | undefined {
  const ha = spec.haproxy;
  const k8s = upstream.kubernetes;
  if (!ha || members.haproxy.length === 0) return undefined;
  const secure = (k8s?.apiserver.securePort ?? 0) > 0;
  const port = secure ? k8s?.apiserver.securePort : k8s?.apiserver.insecurePort;
  return {
    version: ha.version,
    ...runtimeImage(ha.runtime ?? D.runtime, ha.image, () => haproxyImage(ha.version)),
    balance: ha.balance ?? D.balance,
    checkInterval: ha.checkInterval ?? D.checkInterval,
    runtimeApi: ha.runtimeApi ?? D.runtimeApi,
    ...optional('template', ha.template),
    ...optional('kubernetesVersion', k8s?.version),
    ...optional('healthCheck', k8s?.apiserverHealthCheck),
    apiserverCa: secure && k8s?.flavor === 'standalone' && k8s.pkiDir !== undefined,
    members: members.haproxy,
    ...optional('stats', haproxyStats(ha)),
    apiservers:
      k8s && port !== undefined
        ? k8s.masters.map((m) => ({
            name: m.host,
            address: m.address,
            port,
            scheme: secure ? 'https' : 'http',
          }))
        : [],
  };
}
