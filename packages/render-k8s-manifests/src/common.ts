import {
  type Artifact,
  type ClusterPlan,
  type CommandArtifact,
  envFileWords,
  type FileArtifact,
  type FlagValue,
  type KubeComponent,
  type KubeDerivedFlag,
  type KubeLayout,
  type KubernetesPlan,
  kubeLayout,
  plainYamlScalar,
  renderTemplate,
  type ShellLine,
  systemdExec,
  systemdValue,
  versionAtLeast,
  withExtraFlags,
  yamlBlock,
} from '@k8sm/spec';
import { stringify } from 'yaml';
import { SYSTEMD_UNIT } from './templates.js';

export type { FlagValue } from '@k8sm/spec';
/**
 * The flags a layout derives for a component, in the order they are written, by name without
 * dashes: only names KUBE_DERIVED_FLAGS lists for them, so that table is this renderer's own list.
 */
export type Flags<L extends KubeLayout, C extends KubeComponent> = [KubeDerivedFlag<L, C>, FlagValue][];

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

export const step = (host: string, order: number, command: ShellLine): CommandArtifact => ({
  kind: 'command',
  host,
  order,
  command,
  component: 'kubernetes',
});

/** `--name=value` words: the derived flags, then the spec's extra args; a flag given twice throws. */
export function flagWords<L extends KubeLayout, C extends KubeComponent>(
  layout: L,
  component: C,
  host: string,
  flags: Flags<L, C>,
  extra: Readonly<Record<string, FlagValue>> | undefined,
): string[] {
  return withExtraFlags(
    `${layout === 'k8sm' ? 'km ' : ''}${component} on ${host}`,
    flags,
    extra,
    (flag) => `kubernetes.extraArgs.${component}.${flag}`,
  ).map(([k, v]) => `--${k}=${v}`);
}

/**
 * A YAML document with the generated-by header. Plain data (a kubeconfig, a KubeletConfiguration)
 * is written directly, the same bytes as the yaml library's (yamlBlock); the rest by the library.
 */
export function yamlFile(header: string, value: unknown): string {
  return `${header}\n${yamlBlock(value, plainYamlScalar) ?? stringify(value, { lineWidth: 0 })}`;
}

/** One env-file variable holding a command line, one flag per line like the guides wrote them. */
export const envVariable = (envFile: string, name: string, words: readonly string[]) =>
  envFileWords(envFile, name, words);

/** A Kubernetes component's systemd unit: its flags come from one variable of an env file. */
export function kubeUnit(
  header: string,
  k8s: KubernetesPlan,
  specName: string,
  unit: { description: string; binary: string; envFile: string; variable: string; after: string },
): string {
  const path = `/etc/systemd/system/${unit.binary}.service`;
  return renderTemplate(SYSTEMD_UNIT, {
    header,
    description: systemdValue(
      path,
      'Description',
      `Kubernetes ${k8s.version} ${unit.description} of ${specName}`,
    ),
    after: systemdValue(path, 'After', unit.after),
    envFile: systemdValue(path, 'EnvironmentFile', unit.envFile),
    exec: systemdExec(path, 'ExecStart', [`/usr/bin/${unit.binary}`, { splitVariable: unit.variable }]),
  });
}

// Field facts about kubelet flags, each with where it changed:
/** `--api-servers` was removed from the kubelet in 1.8 (the kubeconfig names the server). */
export const kubeletHasApiServers = (k8s: KubernetesPlan) => !versionAtLeast(k8s.version, '1.8');
/** `--config` named the static-pod dir until `--pod-manifest-path` took over in 1.4 (kubernetes#29999). */
export const kubeletManifestFlag = (k8s: KubernetesPlan) =>
  versionAtLeast(k8s.version, '1.4') ? 'pod-manifest-path' : 'config';
/** `--allow-privileged` was removed from the kubelet in 1.15. */
export const kubeletHasAllowPrivileged = (k8s: KubernetesPlan) => !versionAtLeast(k8s.version, '1.15');

export type { Artifact };

/**
 * From 1.20 the apiserver's insecure port must be 0 (kubernetes#95856), so the 1.6-style
 * scheduler and controller-manager, which reach it on 127.0.0.1:8080, cannot work: the
 * kubeadm layout (static pods with kubeconfigs, containerd, CNI) takes over there.
 */
export const kubeadmLayout = (k8s: KubernetesPlan) => kubeLayout(k8s) === 'modern';

/** A value the plan sets for this layout: its absence is a bug in the plan, not in the spec. */
export function planned<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new TypeError(`the plan has no kubernetes.${field}`);
  return value;
}

/** `--leader-elect` with the spec's lease, renew and retry durations when given. */
export function leaderElection(
  k8s: KubernetesPlan,
): Flags<'legacy' | 'modern', 'scheduler' | 'controllerManager'> {
  const f: Flags<'legacy' | 'modern', 'scheduler' | 'controllerManager'> = [['leader-elect', true]];
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
export function nodeConfig<L extends 'legacy' | 'modern'>(
  layout: L,
  header: string,
  k8s: KubernetesPlan,
  host: string,
  kubelet: Flags<L, 'kubelet'>,
  proxyKubeconfig: string,
  envFile = '/etc/kubernetes/node-config',
): string {
  const proxy: Flags<'legacy' | 'modern', 'proxy'> = [
    ['hostname-override', host],
    ['kubeconfig', proxyKubeconfig],
    ['proxy-mode', k8s.proxyMode],
  ];
  if (k8s.clusterCidr) proxy.push(['cluster-cidr', k8s.clusterCidr]);
  return [
    header,
    envVariable(envFile, 'KUBELET_ARGS', flagWords(layout, 'kubelet', host, kubelet, k8s.extraArgs.kubelet)),
    envVariable(envFile, 'KUBE_PROXY_ARGS', flagWords(layout, 'proxy', host, proxy, k8s.extraArgs.proxy)),
    '',
  ].join('\n');
}
