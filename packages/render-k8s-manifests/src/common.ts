import {
  type Artifact,
  type ClusterPlan,
  type CommandArtifact,
  type FileArtifact,
  type KubernetesPlan,
  shellQuote,
  versionAtLeast,
} from '@k8sm/spec';
import { stringify } from 'yaml';

export type FlagValue = string | number | boolean;
/** Flags in the order they are written, by name without dashes. */
export type Flags = [string, FlagValue][];

/** The part of the cluster plan this renderer reads; it derives nothing else. */
export type K8sManifestsPlanSlice = Pick<ClusterPlan, 'name' | 'kubernetes' | 'etcd' | 'mesos'>;

export const file = (host: string | null, path: string, content: string, mode = 0o644): FileArtifact => ({
  kind: 'file',
  host,
  path,
  mode,
  content,
  component: 'kubernetes',
});

export const step = (host: string, order: number, command: string): CommandArtifact => ({
  kind: 'command',
  host,
  order,
  command,
  component: 'kubernetes',
});

/** `--name=value` words; the spec's extra args follow the derived ones (the checks keep them apart). */
export function flagWords(flags: Flags, extra: Readonly<Record<string, FlagValue>> = {}): string[] {
  return [...flags, ...Object.entries(extra)].map(([k, v]) => `--${k}=${v}`);
}

/** A YAML document with the generated-by header. */
export function yamlFile(header: string, value: unknown): string {
  return `${header}\n${stringify(value, { lineWidth: 0 })}`;
}

/** One env-file variable holding a command line, one flag per line like the guides wrote them. */
export function envVariable(name: string, words: readonly string[]): string {
  if (words.length === 0) return `${name}=""`;
  return `${name}="${words.map((w) => w.replaceAll(/["\\$`]/g, '\\$&')).join(' \\\n    ')}"`;
}

export const quoteAll = (words: readonly string[]) => words.map(shellQuote).join(' ');

// Field facts about kubelet flags, each with where it changed:
/** `--api-servers` was removed from the kubelet in 1.8 (the kubeconfig names the server). */
export const kubeletHasApiServers = (k8s: KubernetesPlan) => !versionAtLeast(k8s.version, '1.8');
/** `--config` named the static-pod dir until `--pod-manifest-path` took over in 1.4 (kubernetes#29999). */
export const kubeletManifestFlag = (k8s: KubernetesPlan) =>
  versionAtLeast(k8s.version, '1.4') ? 'pod-manifest-path' : 'config';
/** `--allow-privileged` was removed from the kubelet in 1.15. */
export const kubeletHasAllowPrivileged = (k8s: KubernetesPlan) => !versionAtLeast(k8s.version, '1.15');

export type { Artifact };

/** The kubeadm layout (1.20+): the plan names its images. */
export const kubeadmLayout = (k8s: KubernetesPlan) => k8s.kubeadmImages !== undefined;

/** A value the plan sets for this layout: its absence is a bug in the plan, not in the spec. */
export function planned<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new TypeError(`the plan has no kubernetes.${field}`);
  return value;
}

/** `--leader-elect` with the spec's lease, renew and retry durations when given. */
export function leaderElection(k8s: KubernetesPlan): Flags {
  const f: Flags = [['leader-elect', true]];
  const le = k8s.leaderElection;
  if (le?.leaseDuration) f.push(['leader-elect-lease-duration', le.leaseDuration]);
  if (le?.renewDeadline) f.push(['leader-elect-renew-deadline', le.renewDeadline]);
  if (le?.retryPeriod) f.push(['leader-elect-retry-period', le.retryPeriod]);
  return f;
}

/** The ABAC policy file: one JSON policy per line, from kubernetes.abacPolicy. */
export function abacPolicyFile(k8s: KubernetesPlan): string {
  return `${(k8s.abacPolicy ?? [])
    .map((spec) =>
      JSON.stringify({ apiVersion: 'abac.authorization.kubernetes.io/v1beta1', kind: 'Policy', spec }),
    )
    .join('\n')}\n`;
}

/** /etc/kubernetes/node-config: the kubelet's and kube-proxy's flags (kube-proxy's are the same in every layout). */
export function nodeConfig(
  header: string,
  k8s: KubernetesPlan,
  host: string,
  kubelet: Flags,
  proxyKubeconfig: string,
): string {
  const proxy: Flags = [
    ['hostname-override', host],
    ['kubeconfig', proxyKubeconfig],
    ['proxy-mode', k8s.proxyMode],
  ];
  if (k8s.clusterCidr) proxy.push(['cluster-cidr', k8s.clusterCidr]);
  return [
    header,
    envVariable('KUBELET_ARGS', flagWords(kubelet, k8s.extraArgs.kubelet)),
    envVariable('KUBE_PROXY_ARGS', flagWords(proxy, k8s.extraArgs.proxy)),
    '',
  ].join('\n');
}
