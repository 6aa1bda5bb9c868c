import { type CheckContext, defineCheck } from '../../checks/definition.js';
import { closest } from '../../findings.js';
import { KUBE_FLAGS, type KubeComponent, type KubeFlag } from '../../kube-flags.js';
import { cidrContains, ipv4ToInt, parseCidr } from '../../net.js';
import type { KubernetesSpec } from '../../schema.js';
import type { SpecPath } from '../../source.js';
import { versionAtLeast } from '../../version.js';
import { kubeDerivedFrom, kubeLayout } from './derived-flags.js';
import { KUBERNETES_DEFAULTS as D, INSECURE_PORT_REMOVED } from './facts.js';
import { apiserverInsecurePort, apiserverSecurePort, serviceClusterIpRange } from './settings.js';

/** The kubernetes section, when some host is a k8s-master. */
const withMasters = ({ spec, members }: CheckContext): KubernetesSpec | undefined =>
  members.k8sMasters.length > 0 ? spec.kubernetes : undefined;

export const schedulerHosts = defineCheck({
  id: 'scheduler-hosts',
  severity: 'error',
  waivable: false,
  about: 'kubernetes.scheduler.hosts must name k8s-master hosts',
  run: (context) => {
    const masters = new Set(context.members.k8sMasters.map((m) => m.host));
    withMasters(context)?.scheduler?.hosts?.forEach((name, i) => {
      if (!masters.has(name))
        context.report(
          ['kubernetes', 'scheduler', 'hosts', i],
          `"${name}" is not a host with the "k8s-master" role`,
          `name k8s-master hosts: ${[...masters].join(', ')}`,
        );
    });
  },
});

export const k8smSchedulers = defineCheck({
  id: 'k8sm-schedulers',
  severity: 'warning',
  waivable: true,
  about: 'more than 2 k8sm schedulers with --ha: upstream recommends at most 2',
  run: (context) => {
    const k8s = withMasters(context);
    const schedulers = k8s ? k8smSchedulerCount(context, k8s) : 0;
    if (k8s?.flavor === 'mesos' && schedulers > 2)
      context.report(
        k8s.scheduler?.hosts ? ['kubernetes', 'scheduler', 'hosts'] : ['kubernetes', 'scheduler'],
        `${schedulers} k8sm schedulers would run with --ha; upstream recommends at most 2 ("more may work but has not been extensively tested", kube-mesos-framework docs/ha.md)`,
        `choose two masters in kubernetes.scheduler.hosts, or waive "k8sm-schedulers" with a reason`,
      );
  },
});

/** The masters that run `km scheduler`: kubernetes.scheduler.hosts, else every k8s-master. */
const k8smSchedulerCount = (context: CheckContext, k8s: KubernetesSpec) =>
  k8s.scheduler?.hosts?.length ?? context.members.k8sMasters.length;

export const k8smExecutorId = defineCheck({
  id: 'k8sm-executor-id',
  severity: 'error',
  waivable: false,
  about:
    'several k8sm schedulers need one km URI (kmPath or scheduler.advertisedAddress) to agree on the executor ID',
  run: (context) => {
    const k8s = withMasters(context);
    if (k8s?.flavor !== 'mesos' || k8s.kmPath !== undefined || k8s.scheduler?.advertisedAddress !== undefined)
      return;
    const schedulers = k8smSchedulerCount(context, k8s);
    // kube-mesos-framework pkg/scheduler/service/service.go: without --km-path as a URI the km
    // download URI is http://<--advertised-address>/km, else http://<--address>:<--port>/km; the
    // executor ID hashes the URIs, and validateLeadershipTransition is fatal when IDs differ.
    if (schedulers > 1)
      context.report(
        ['kubernetes', 'scheduler'],
        `${schedulers} k8sm schedulers would each serve km from their own --address, so each computes a different executor ID and failover stops in validateLeadershipTransition ("desired scheduler group … != current"; kube-mesos-framework docs/ha.md)`,
        'set kubernetes.kmPath to a URI every agent can fetch km from (e.g. "http://10.0.0.5/km"), or kubernetes.scheduler.advertisedAddress to one load-balanced host:port in front of the schedulers\' port 10251',
      );
  },
});

export const k8smApiserverTls = defineCheck({
  id: 'k8sm-apiserver-tls',
  severity: 'error',
  waivable: false,
  about:
    "km's scheduler, controller-manager and kubelets need a plain-HTTP apiserver port: k8sm gives them no CA",
  run: (context) => {
    const k8s = withMasters(context);
    if (k8s?.flavor !== 'mesos' || apiserverInsecurePort(k8s) !== undefined) return;
    const securePort = apiserverSecurePort(k8s);
    if (securePort > 0)
      context.report(
        k8s.apiserver?.securePort === undefined ? ['kubernetes'] : ['kubernetes', 'apiserver', 'securePort'],
        `km's clients would reach https://…:${securePort} with no CA or kubeconfig, fall back to the system roots and refuse the apiserver's self-signed certificate`,
        'set kubernetes.apiserver.insecurePort (e.g. 8888, Kubernetes before 1.20) and securePort 0, as the k8sm guides do',
      );
  },
});

export const k8smControllerManagerElection = defineCheck({
  id: 'k8sm-controller-manager-election',
  severity: 'error',
  waivable: true,
  about: 'k8sm with the package runtime and several masters: nothing elects the controller-manager',
  run: (context) => {
    const k8s = withMasters(context);
    const masters = context.members.k8sMasters.length;
    // km controller-manager's Run (kube-mesos-framework pkg/controllermanager/controllermanager.go)
    // never reads --leader-elect, up to the last release; podmaster needs the docker runtime's kubelet.
    if (k8s?.flavor === 'mesos' && (k8s.runtime ?? D.runtime) === 'package' && masters > 1)
      context.report(
        ['kubernetes', 'runtime'],
        `${masters} k8s-masters with the package runtime: km controller-manager has no leader election (its Run ignores --leader-elect), so k8sm would start it on the first master only and nothing takes over when that master fails`,
        'use kubernetes.runtime "docker" (podmaster elects the controller-manager, as in the HA guide), run one k8s-master, or waive "k8sm-controller-manager-election" with a reason to accept a controller-manager on the first master only',
      );
  },
});

export const abacPolicy = defineCheck({
  id: 'abac-policy',
  severity: 'error',
  waivable: false,
  about: 'ABAC authorization needs its policy, and a policy needs ABAC',
  run: (context) => {
    const k8s = withMasters(context);
    if (!k8s) return;
    const abac = k8s.authorization?.includes('ABAC') ?? false;
    if (abac && !k8s.abacPolicy)
      context.report(
        ['kubernetes', 'authorization'],
        'ABAC authorization without kubernetes.abacPolicy: the apiserver would refuse every request',
        'add kubernetes.abacPolicy rules, e.g. [{"user": "admin", "namespace": "*", "resource": "*", "apiGroup": "*"}]',
      );
    if (!abac && k8s.abacPolicy)
      context.report(
        ['kubernetes', 'abacPolicy'],
        'kubernetes.abacPolicy is set but authorization does not include ABAC: the policy would be ignored',
        'add "ABAC" to kubernetes.authorization, or remove abacPolicy',
      );
  },
});

export const kubernetesTlsPki = defineCheck({
  id: 'kubernetes-tls-pki',
  severity: 'error',
  waivable: false,
  about: 'a TLS apiserver (standalone) needs the PKI dir that `k8sm-render pki` fills',
  run: (context) => {
    const k8s = withMasters(context);
    const securePort = apiserverSecurePort(k8s);
    if (k8s?.flavor === 'standalone' && securePort > 0 && k8s.pkiDir === undefined)
      context.report(
        ['kubernetes'],
        `the apiserver serves TLS on ${securePort} but kubernetes.pkiDir names no PKI dir for its certificates`,
        'set kubernetes.pkiDir (e.g. "pki"), then run `k8sm-render pki <spec>` to create the CA and certificates there',
      );
  },
});

export const clusterDns = defineCheck({
  id: 'cluster-dns',
  severity: 'error',
  waivable: false,
  about: 'the cluster DNS address must be a usable service address',
  run: ({ spec, report }) => {
    const k8s = spec.kubernetes;
    const service = parseCidr(serviceClusterIpRange(k8s));
    if (k8s?.clusterDns === undefined || !service) return;
    const dns = ipv4ToInt(k8s.clusterDns);
    const path = ['kubernetes', 'clusterDns'];
    if (!cidrContains(service, k8s.clusterDns))
      report(
        path,
        `clusterDns ${k8s.clusterDns} is outside the service range ${service.text}`,
        `pick an address inside ${service.text}, e.g. the tenth`,
      );
    else if (dns === service.first || dns === service.last)
      report(
        path,
        `clusterDns ${k8s.clusterDns} is the network or broadcast address of ${service.text}`,
        'pick a host address inside the range, e.g. the tenth',
      );
    else if (dns === service.first + 1)
      report(
        path,
        `clusterDns ${k8s.clusterDns} is the first service address, which the apiserver gives to the "kubernetes" service`,
        'pick another address inside the range, e.g. the tenth',
      );
  },
});

export const apiserverPorts = defineCheck({
  id: 'apiserver-ports',
  severity: 'error',
  waivable: false,
  about: 'apiserver ports the version supports',
  run: ({ spec, report }) => {
    const k8s = spec.kubernetes;
    const api = k8s?.apiserver;
    if (!k8s) return;
    // --insecure-port must be 0 from 1.20 (kubernetes/kubernetes#95856); the flag is gone in 1.24.
    if (api?.insecurePort !== undefined && versionAtLeast(k8s.version, INSECURE_PORT_REMOVED))
      report(
        ['kubernetes', 'apiserver', 'insecurePort'],
        `Kubernetes ${k8s.version} has no insecure apiserver port (it must be 0 from 1.20; the flags are gone in 1.24)`,
        'remove kubernetes.apiserver.insecurePort and use the secure port',
      );
    if (api?.securePort === 0 && apiserverInsecurePort(k8s) === undefined)
      report(
        ['kubernetes', 'apiserver', 'securePort'],
        'securePort 0 with no insecurePort leaves the apiserver listening on no port',
        'set a securePort (6443) or an insecurePort',
      );
  },
});

// kubernetes.extraArgs ---------------------------------------------------------------------------

const KUBE_BINARY: Record<KubeComponent, string> = {
  apiserver: 'kube-apiserver',
  controllerManager: 'kube-controller-manager',
  scheduler: 'kube-scheduler',
  kubelet: 'kubelet',
  proxy: 'kube-proxy',
};

export interface KubeArg {
  readonly at: SpecPath;
  readonly name: string;
  readonly component: KubeComponent;
  /** the flag in the table, if it is there */
  readonly flag: KubeFlag | undefined;
  /** the spec key that k8sm derives this flag from, if it does */
  readonly owner: string | undefined;
  /** the flag is gone in the target version: that is the finding, whoever would derive it */
  readonly removed: boolean;
  readonly version: string;
}

/** Every kubernetes.extraArgs entry, with what the flag table and the derived flags say of it. */
export function kubeArgs(k8s: KubernetesSpec | undefined): KubeArg[] {
  if (!k8s?.extraArgs) return [];
  const version = k8s.version;
  const layout = kubeLayout(k8s);
  return (Object.entries(k8s.extraArgs) as [KubeComponent, Record<string, unknown>][]).flatMap(
    ([component, flags]) =>
      Object.keys(flags ?? {}).map((name) => {
        const flag = KUBE_FLAGS[component].get(name);
        return {
          at: ['kubernetes', 'extraArgs', component, name],
          name,
          component,
          flag,
          owner: kubeDerivedFrom(layout, component, name),
          removed: flag?.removed !== undefined && versionAtLeast(version, flag.removed),
          version,
        };
      }),
  );
}

/** The unknown-flag part for Kubernetes: gone in, new after, or unknown to the target version. */
export function kubeUnknownFlags({ spec, report }: CheckContext): void {
  const k8s = spec.kubernetes;
  for (const { at, name, component, flag, owner, removed, version } of kubeArgs(spec.kubernetes)) {
    const binary = KUBE_BINARY[component];
    if (removed)
      report(
        at,
        `--${name} was removed from ${binary} in Kubernetes ${flag?.removed}; ${version} would refuse to start`,
        flag?.use ? `use --${flag.use} instead` : 'remove the flag',
      );
    else if (owner)
      continue; // derived-flag says it
    else if (flag?.since && !versionAtLeast(version, flag.since))
      report(
        at,
        `--${name} is new in Kubernetes ${flag.since}; ${binary} ${version} does not have it`,
        `run Kubernetes ${flag.since} or later, or remove the flag`,
      );
    // km (Kubernetes on Mesos) adds flags of its own: only flags known to be gone are checked there
    else if (!flag && k8s?.flavor !== 'mesos') {
      const near = closest(name, [...KUBE_FLAGS[component].keys()]);
      report(
        at,
        `--${name} is not a ${binary} flag (Kubernetes ${version} would refuse to start)`,
        near
          ? `did you mean "${near}"? (a flag the table lacks: waive "unknown-flag" with a reason)`
          : `remove it, or waive "unknown-flag" with a reason if ${binary} ${version} has it`,
      );
    }
  }
}
