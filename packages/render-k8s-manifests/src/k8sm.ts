import { gcfgValue, generatedHeader, type KubernetesPlan, type MesosPlan, sh } from '@k8sm/spec';
import {
  type Artifact,
  envVariable,
  type Flags,
  file,
  flagWords,
  kubeletHasAllowPrivileged,
  kubeletHasApiServers,
  kubeletManifestFlag,
  planned,
  step,
  yamlFile,
} from './common.js';
import { kubeletInitScript } from './templates.js';

type Master = KubernetesPlan['masters'][number];

const MANIFESTS = '/etc/kubernetes/manifests';
const ELECTED_SOURCES = '/srv/kubernetes/manifests';
const CLOUD_CONFIG = '/etc/kubernetes/mesos-cloud.cfg';
const KM = '/opt/kubernetes/km';

/**
 * Kubernetes on Mesos (the k8sm framework, 1.1 era). With the docker runtime, every master runs
 * a kubelet on /etc/kubernetes/manifests: the apiserver and (on the chosen masters) the scheduler
 * as static pods, and podmaster, which copies the controller-manager manifest in on the one
 * master that holds its etcd lease. With the package runtime, `km` runs the three directly.
 */
export function renderK8sm(specName: string, k8s: KubernetesPlan, mesos: MesosPlan | undefined): Artifact[] {
  const zkUrl = mesos?.zkUrl ?? '';
  return k8s.runtime === 'docker'
    ? k8s.masters.flatMap((m) => staticPodMaster(specName, k8s, zkUrl, m))
    : k8s.masters.flatMap((m, i) => commandMaster(specName, k8s, zkUrl, m, i === 0));
}

function apiserverFlags(k8s: KubernetesPlan, m: Master, cloudConfig: string): Flags<'k8sm', 'apiserver'> {
  const f: Flags<'k8sm', 'apiserver'> = [];
  if (k8s.apiserver.insecurePort !== undefined)
    f.push(['insecure-bind-address', m.address], ['insecure-port', k8s.apiserver.insecurePort]);
  f.push(
    ['bind-address', m.address],
    ['secure-port', k8s.apiserver.securePort],
    ['advertise-address', m.address],
    ['etcd-servers', k8s.etcdServers.join(',')],
    ['service-cluster-ip-range', k8s.serviceClusterIpRange],
    ['cloud-provider', 'mesos'],
    ['cloud-config', cloudConfig],
    ['allow-privileged', true],
    ['v', 1],
  );
  return f;
}

/**
 * The executor ID every scheduler computes hashes the executor's command, arguments and URIs
 * (kube-mesos-framework pkg/scheduler/service/service.go prepareExecutorInfo): the arguments
 * come from cluster-wide values here, but the km URI is this scheduler's own
 * `http://<--address>:<--port>/km` unless --km-path is a URI or --advertised-address is set.
 * With more than one scheduler the `k8sm-executor-id` check requires one of those.
 */
export function k8smSchedulerFlags(
  k8s: KubernetesPlan,
  zkUrl: string,
  m: Master,
  ha: boolean,
): Flags<'k8sm', 'scheduler'> {
  const f: Flags<'k8sm', 'scheduler'> = [
    ['address', m.address],
    ['mesos-master', zkUrl],
    ['etcd-servers', k8s.etcdServers.join(',')],
    ['api-servers', k8s.apiserverClientUrls.join(',')],
    ['mesos-user', 'root'],
  ];
  if (k8s.clusterDns) f.push(['cluster-dns', k8s.clusterDns]);
  f.push(['cluster-domain', k8s.clusterDomain]);
  if (k8s.kmPath) f.push(['km-path', k8s.kmPath]);
  if (k8s.schedulerAdvertisedAddress) f.push(['advertised-address', k8s.schedulerAdvertisedAddress]);
  if (k8s.podInfraImage) f.push(['kubelet-pod-infra-container-image', k8s.podInfraImage]);
  if (ha) f.push(['ha', true]);
  f.push(['v', 2]);
  return f;
}

function controllerManagerFlags(m: Master, cloudConfig: string): Flags<'k8sm', 'controllerManager'> {
  return [
    ['master', m.localApiserverUrl],
    ['cloud-provider', 'mesos'],
    ['cloud-config', cloudConfig],
    ['v', 1],
  ];
}

function cloudConfig(specName: string, zkUrl: string): string {
  return [
    generatedHeader(specName),
    '[mesos-cloud]',
    `    mesos-master        = ${gcfgValue(CLOUD_CONFIG, 'mesos-master', zkUrl)}`,
    '    http-client-timeout = 5s',
    '    state-cache-ttl     = 20s',
    '',
  ].join('\n');
}

const hostPathVolume = (name: string, path: string) => ({ name, hostPath: { path } });

function pod(name: string, containers: unknown[], volumes: unknown[] = []) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'kube-system', labels: { component: name } },
    spec: { hostNetwork: true, containers, ...(volumes.length > 0 ? { volumes } : {}) },
  };
}

function staticPodMaster(specName: string, k8s: KubernetesPlan, zkUrl: string, m: Master): Artifact[] {
  const header = generatedHeader(specName);
  const image = planned(k8s.image, 'image');
  const configMount = { name: 'kubernetes-config', mountPath: '/etc/kubernetes', readOnly: true };
  const configVolume = hostPathVolume('kubernetes-config', '/etc/kubernetes');
  const extra = k8s.extraArgs;
  const apiserver = pod(
    'kube-apiserver',
    [
      {
        name: 'kube-apiserver',
        image,
        command: [
          KM,
          'apiserver',
          ...flagWords('k8sm', 'apiserver', m.host, apiserverFlags(k8s, m, CLOUD_CONFIG), extra.apiserver),
        ],
        volumeMounts: [configMount],
      },
    ],
    [configVolume],
  );
  const runsScheduler = k8s.schedulerHosts.includes(m.host);
  const scheduler = pod('kube-scheduler', [
    {
      name: 'kube-scheduler',
      image,
      command: [
        KM,
        'scheduler',
        ...flagWords('k8sm', 'scheduler', m.host, k8smSchedulerFlags(k8s, zkUrl, m, true), extra.scheduler),
      ],
    },
  ]);
  const controllerManager = pod(
    'kube-controller-manager',
    [
      {
        name: 'kube-controller-manager',
        image,
        command: [
          KM,
          'controller-manager',
          ...flagWords(
            'k8sm',
            'controllerManager',
            m.host,
            controllerManagerFlags(m, CLOUD_CONFIG),
            extra.controllerManager,
          ),
        ],
        volumeMounts: [configMount],
        livenessProbe: {
          httpGet: { host: '127.0.0.1', path: '/healthz', port: 10252 },
          initialDelaySeconds: 15,
          timeoutSeconds: 15,
        },
      },
    ],
    [configVolume],
  );
  // podmaster copies the manifest only while it holds the etcd key, and only when the
  // destination is missing: each master needs its own --whoami.
  const podmaster = pod(
    'kube-podmaster',
    [
      {
        name: 'controller-manager-elector',
        image: planned(k8s.podmasterImage, 'podmasterImage'),
        command: [
          '/podmaster',
          `--etcd-servers=${k8s.etcdServers.join(',')}`,
          '--key=controller',
          `--whoami=${m.address}`,
          '--source-file=/src/manifests/kube-controller-manager.yaml',
          '--dest-file=/dst/manifests/kube-controller-manager.yaml',
        ],
        volumeMounts: [
          { name: 'manifest-src', mountPath: '/src/manifests', readOnly: true },
          { name: 'manifest-dst', mountPath: '/dst/manifests' },
        ],
      },
    ],
    [hostPathVolume('manifest-src', ELECTED_SOURCES), hostPathVolume('manifest-dst', MANIFESTS)],
  );
  const kubelet = kubeletWords(k8s, m);
  return [
    file(m.host, CLOUD_CONFIG, cloudConfig(specName, zkUrl)),
    file(m.host, `${MANIFESTS}/kube-apiserver.yaml`, yamlFile(header, apiserver)),
    ...(runsScheduler ? [file(m.host, `${MANIFESTS}/kube-scheduler.yaml`, yamlFile(header, scheduler))] : []),
    file(m.host, `${MANIFESTS}/podmaster.yaml`, yamlFile(header, podmaster)),
    file(m.host, `${ELECTED_SOURCES}/kube-controller-manager.yaml`, yamlFile(header, controllerManager)),
    file(
      m.host,
      '/etc/default/kubelet',
      `${header}\n${envVariable('/etc/default/kubelet', 'KUBELET_OPTS', kubelet)}\n`,
    ),
    file(m.host, '/etc/init.d/kubelet', kubeletInitScript(header, k8s.version, specName), 0o755),
    step(m.host, 400, sh`mkdir -p /var/log/kubernetes ${MANIFESTS} ${ELECTED_SOURCES}`),
    step(m.host, 410, sh`update-rc.d kubelet defaults`),
    step(m.host, 411, sh`service kubelet restart`),
  ];
}

/** The masters' kubelet: runs only the static pods of the manifests dir, registers no node. */
function kubeletWords(k8s: KubernetesPlan, m: Master): string[] {
  const f: Flags<'k8sm', 'kubelet'> = [];
  if (kubeletHasApiServers(k8s)) f.push(['api-servers', m.localApiserverUrl]);
  f.push([kubeletManifestFlag(k8s), MANIFESTS], ['register-node', false]);
  if (kubeletHasAllowPrivileged(k8s)) f.push(['allow-privileged', true]);
  if (k8s.podInfraImage) f.push(['pod-infra-container-image', k8s.podInfraImage]);
  f.push(['v', 2]);
  return flagWords('k8sm', 'kubelet', m.host, f, k8s.extraArgs.kubelet);
}

/** The single-master guide: `km` commands in the host script, each logging to its own file. */
function commandMaster(
  specName: string,
  k8s: KubernetesPlan,
  zkUrl: string,
  m: Master,
  first: boolean,
): Artifact[] {
  const cloud = '/etc/kubernetes/mesos-cloud.conf';
  const run = (what: string, words: string[]) =>
    sh`nohup km ${what} ${words} >/var/log/kubernetes/${what}.log 2>&1 &`;
  const extra = k8s.extraArgs;
  const out: Artifact[] = [
    file(m.host, cloud, cloudConfig(specName, zkUrl)),
    step(m.host, 400, sh`mkdir -p /var/log/kubernetes`),
    step(
      m.host,
      410,
      run(
        'apiserver',
        flagWords('k8sm', 'apiserver', m.host, apiserverFlags(k8s, m, cloud), extra.apiserver),
      ),
    ),
  ];
  // km controller-manager has no leader election and podmaster needs the docker runtime: with
  // several masters the `k8sm-controller-manager-election` check refuses this unless waived.
  if (first)
    out.push(
      step(
        m.host,
        411,
        run(
          'controller-manager',
          flagWords(
            'k8sm',
            'controllerManager',
            m.host,
            controllerManagerFlags(m, cloud),
            extra.controllerManager,
          ),
        ),
      ),
    );
  if (k8s.schedulerHosts.includes(m.host))
    out.push(
      step(
        m.host,
        412,
        run(
          'scheduler',
          flagWords(
            'k8sm',
            'scheduler',
            m.host,
            k8smSchedulerFlags(k8s, zkUrl, m, k8s.schedulerHosts.length > 1),
            extra.scheduler,
          ),
        ),
      ),
    );
  return out;
}
