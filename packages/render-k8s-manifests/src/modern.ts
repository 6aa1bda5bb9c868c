import {
  APISERVER_ETCD_CLIENT,
  APISERVER_KUBELET_CLIENT,
  apiserverCert,
  ETCD_CA,
  enableServices,
  FRONT_PROXY_CA,
  FRONT_PROXY_CLIENT,
  generatedHeader,
  KUBE_ADMIN_CLIENT,
  KUBE_CONTROLLER_MANAGER_CLIENT,
  KUBE_PROXY_CLIENT,
  KUBE_SCHEDULER_CLIENT,
  KUBERNETES_CA,
  type KubernetesPlan,
  kubeletClientCert,
  kubeletHosts,
  type PkiContents,
  reloadServiceDefinitions,
  restartServices,
  SERVICE_ACCOUNT_KEY,
  sh,
  tomlString,
  versionAtLeast,
} from '@k8sm/spec';
import {
  type Artifact,
  abacPolicyFile,
  type Flags,
  file,
  flagWords,
  kubeUnit,
  leaderElection,
  nodeConfig,
  planned,
  step,
  yamlFile,
} from './common.js';
import { from, healthCheckClient, kubeconfig, PKI } from './standalone.js';

type Member = KubernetesPlan['masters'][number];

const MANIFESTS = '/etc/kubernetes/manifests';
const KUBELET_CONFIG = '/var/lib/kubelet/config.yaml';
const CONTAINERD = 'unix:///run/containerd/containerd.sock';
const ABAC_POLICY = '/etc/kubernetes/abac-policy.jsonl';

/**
 * A kubeadm-like control plane (1.20 and later): apiserver, controller-manager and scheduler as
 * static pods of each master's kubelet (host network, system-node-critical, probes on /livez,
 * /readyz and the secure health ports 10257/10259), leader election through Leases, kubeconfigs
 * for every component, args and volumes sorted, manifests 0600. Every host with the master or
 * node role runs the kubelet (KubeletConfiguration file, containerd) and kube-proxy as units.
 */
export function renderModernStandalone(specName: string, k8s: KubernetesPlan, pki: PkiContents): Artifact[] {
  const header = generatedHeader(specName);
  const ca = from(pki, `${KUBERNETES_CA}.crt`);
  const out: Artifact[] = [
    // the operator's kubectl config, through the load balancer
    file(
      null,
      '/kubernetes/admin.conf',
      kubeconfig(
        header,
        specName,
        k8s.apiserverEndpoint,
        'kubernetes-admin',
        ca,
        from(pki, `${KUBE_ADMIN_CLIENT}.crt`),
        from(pki, `${KUBE_ADMIN_CLIENT}.key`),
      ),
      0o600,
    ),
  ];
  for (const m of k8s.masters) out.push(...modernMaster(header, specName, k8s, m, pki, ca));
  const everyone = kubeletHosts(k8s);
  const members = new Map([...k8s.masters, ...k8s.nodes].map((m) => [m.host, m]));
  for (const host of everyone) {
    const m = members.get(host);
    if (m) out.push(...kubeletAndProxy(header, specName, k8s, m, pki, ca));
  }
  return out;
}

const sorted = <F extends [string, unknown]>(flags: F[]): F[] =>
  [...flags].sort(([a], [b]) => a.localeCompare(b));

const probe = (host: string, path: string, port: number, extra: Record<string, number>) => ({
  httpGet: { host, path, port, scheme: 'HTTPS' },
  ...extra,
});

interface VolumeSpec {
  name: string;
  path: string;
  type: 'DirectoryOrCreate' | 'FileOrCreate' | 'File';
}

function staticPod(
  name: string,
  image: string,
  command: string[],
  volumes: VolumeSpec[],
  probes: Record<string, unknown>,
  cpu: string,
) {
  const byName = [...volumes].sort((a, b) => a.name.localeCompare(b.name));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'kube-system', labels: { component: name, tier: 'control-plane' } },
    spec: {
      containers: [
        {
          name,
          image,
          imagePullPolicy: 'IfNotPresent',
          command,
          ...probes,
          resources: { requests: { cpu } },
          volumeMounts: byName.map((v) => ({ name: v.name, mountPath: v.path, readOnly: true })),
        },
      ],
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      volumes: byName.map((v) => ({ name: v.name, hostPath: { path: v.path, type: v.type } })),
    },
  };
}

export function modernApiserverFlags(k8s: KubernetesPlan, m: Member): Flags<'modern', 'apiserver'> {
  const modes = k8s.authorization ?? ['Node', 'RBAC'];
  const f: Flags<'modern', 'apiserver'> = [
    ['advertise-address', m.address],
    ['allow-privileged', true],
    ['authorization-mode', modes.join(',')],
    ['client-ca-file', `${PKI}/ca.crt`],
    ['enable-admission-plugins', 'NodeRestriction'],
    ['etcd-servers', k8s.etcdServers.join(',')],
    ['kubelet-client-certificate', `${PKI}/apiserver-kubelet-client.crt`],
    ['kubelet-client-key', `${PKI}/apiserver-kubelet-client.key`],
    ['kubelet-preferred-address-types', 'InternalIP,ExternalIP,Hostname'],
    ['proxy-client-cert-file', `${PKI}/front-proxy-client.crt`],
    ['proxy-client-key-file', `${PKI}/front-proxy-client.key`],
    ['requestheader-allowed-names', 'front-proxy-client'],
    ['requestheader-client-ca-file', `${PKI}/front-proxy-ca.crt`],
    ['requestheader-extra-headers-prefix', 'X-Remote-Extra-'],
    ['requestheader-group-headers', 'X-Remote-Group'],
    ['requestheader-username-headers', 'X-Remote-User'],
    ['secure-port', k8s.apiserver.securePort],
    // required from 1.20: bound service-account tokens
    ['service-account-issuer', `https://kubernetes.default.svc.${k8s.clusterDomain}`],
    ['service-account-key-file', `${PKI}/sa.pub`],
    ['service-account-signing-key-file', `${PKI}/sa.key`],
    ['service-cluster-ip-range', k8s.serviceClusterIpRange],
    ['tls-cert-file', `${PKI}/apiserver.crt`],
    ['tls-private-key-file', `${PKI}/apiserver.key`],
  ];
  if (k8s.etcdTls)
    f.push(
      ['etcd-cafile', `${PKI}/etcd-ca.crt`],
      ['etcd-certfile', `${PKI}/apiserver-etcd-client.crt`],
      ['etcd-keyfile', `${PKI}/apiserver-etcd-client.key`],
    );
  if (modes.includes('ABAC')) f.push(['authorization-policy-file', ABAC_POLICY]);
  return sorted(f);
}

function modernMaster(
  header: string,
  specName: string,
  k8s: KubernetesPlan,
  m: Member,
  pki: PkiContents,
  ca: string,
): Artifact[] {
  const images = planned(k8s.kubeadmImages, 'kubeadmImages');
  const extra = k8s.extraArgs;
  const certs: VolumeSpec[] = [
    { name: 'ca-certs', path: '/etc/ssl/certs', type: 'DirectoryOrCreate' },
    { name: 'k8s-certs', path: PKI, type: 'DirectoryOrCreate' },
  ];
  const port = k8s.apiserver.securePort;
  const apiserver = staticPod(
    'kube-apiserver',
    images.apiserver,
    [
      'kube-apiserver',
      ...flagWords('modern', 'apiserver', m.host, modernApiserverFlags(k8s, m), extra.apiserver),
    ],
    k8s.abacPolicy ? [...certs, { name: 'abac-policy', path: ABAC_POLICY, type: 'File' }] : certs,
    {
      livenessProbe: probe(m.address, '/livez', port, {
        failureThreshold: 8,
        initialDelaySeconds: 10,
        periodSeconds: 10,
        timeoutSeconds: 15,
      }),
      readinessProbe: probe(m.address, '/readyz', port, {
        failureThreshold: 3,
        periodSeconds: 1,
        timeoutSeconds: 15,
      }),
      startupProbe: probe(m.address, '/livez', port, {
        failureThreshold: 24,
        initialDelaySeconds: 10,
        periodSeconds: 10,
        timeoutSeconds: 15,
      }),
    },
    '250m',
  );
  const componentProbes = (healthPort: number) => ({
    livenessProbe: probe('127.0.0.1', '/healthz', healthPort, {
      failureThreshold: 8,
      initialDelaySeconds: 10,
      periodSeconds: 10,
      timeoutSeconds: 15,
    }),
    startupProbe: probe('127.0.0.1', '/healthz', healthPort, {
      failureThreshold: 24,
      initialDelaySeconds: 10,
      periodSeconds: 10,
      timeoutSeconds: 15,
    }),
  });
  const cmConf = '/etc/kubernetes/controller-manager.conf';
  const cmFlags: Flags<'modern', 'controllerManager'> = [
    ['authentication-kubeconfig', cmConf],
    ['authorization-kubeconfig', cmConf],
    ['bind-address', '127.0.0.1'],
    ['client-ca-file', `${PKI}/ca.crt`],
    ['cluster-name', specName],
    ['kubeconfig', cmConf],
    ...leaderElection(k8s),
    ['requestheader-client-ca-file', `${PKI}/front-proxy-ca.crt`],
    ['root-ca-file', `${PKI}/ca.crt`],
    ['service-account-private-key-file', `${PKI}/sa.key`],
    ['service-cluster-ip-range', k8s.serviceClusterIpRange],
    ['use-service-account-credentials', true],
  ];
  // per-node pod ranges come from the spec: the controller-manager must not hand out its own
  if (k8s.clusterCidr) cmFlags.push(['allocate-node-cidrs', false], ['cluster-cidr', k8s.clusterCidr]);
  const controllerManager = staticPod(
    'kube-controller-manager',
    images.controllerManager,
    [
      'kube-controller-manager',
      ...flagWords('modern', 'controllerManager', m.host, sorted(cmFlags), extra.controllerManager),
    ],
    [...certs, { name: 'kubeconfig', path: cmConf, type: 'FileOrCreate' }],
    componentProbes(10257),
    '200m',
  );
  const schedConf = '/etc/kubernetes/scheduler.conf';
  const scheduler = staticPod(
    'kube-scheduler',
    images.scheduler,
    [
      'kube-scheduler',
      ...flagWords(
        'modern',
        'scheduler',
        m.host,
        sorted<Flags<'modern', 'scheduler'>[number]>([
          ['authentication-kubeconfig', schedConf],
          ['authorization-kubeconfig', schedConf],
          ['bind-address', '127.0.0.1'],
          ['kubeconfig', schedConf],
          ...leaderElection(k8s),
        ]),
        extra.scheduler,
      ),
    ],
    [{ name: 'kubeconfig', path: schedConf, type: 'FileOrCreate' }],
    componentProbes(10259),
    '100m',
  );
  // the components on a master talk to their own apiserver, not through the load balancer
  const local = m.localApiserverUrl;
  const conf = (path: string, user: string, cert: string) =>
    file(
      m.host,
      path,
      kubeconfig(header, specName, local, user, ca, from(pki, `${cert}.crt`), from(pki, `${cert}.key`)),
      0o600,
    );
  const out: Artifact[] = [
    file(m.host, `${MANIFESTS}/kube-apiserver.yaml`, yamlFile(header, apiserver), 0o600),
    file(m.host, `${MANIFESTS}/kube-controller-manager.yaml`, yamlFile(header, controllerManager), 0o600),
    conf(cmConf, 'system:kube-controller-manager', KUBE_CONTROLLER_MANAGER_CLIENT),
    file(m.host, `${PKI}/ca.crt`, ca),
    file(m.host, `${PKI}/apiserver.crt`, from(pki, `${apiserverCert(m.host)}.crt`)),
    file(m.host, `${PKI}/apiserver.key`, from(pki, `${apiserverCert(m.host)}.key`), 0o600),
    file(m.host, `${PKI}/apiserver-kubelet-client.crt`, from(pki, `${APISERVER_KUBELET_CLIENT}.crt`)),
    file(m.host, `${PKI}/apiserver-kubelet-client.key`, from(pki, `${APISERVER_KUBELET_CLIENT}.key`), 0o600),
    file(m.host, `${PKI}/front-proxy-ca.crt`, from(pki, `${FRONT_PROXY_CA}.crt`)),
    file(m.host, `${PKI}/front-proxy-client.crt`, from(pki, `${FRONT_PROXY_CLIENT}.crt`)),
    file(m.host, `${PKI}/front-proxy-client.key`, from(pki, `${FRONT_PROXY_CLIENT}.key`), 0o600),
    file(m.host, `${PKI}/sa.key`, from(pki, `${SERVICE_ACCOUNT_KEY}.key`), 0o600),
    file(m.host, `${PKI}/sa.pub`, from(pki, `${SERVICE_ACCOUNT_KEY}.pub`)),
  ];
  if (k8s.schedulerHosts.includes(m.host))
    out.push(
      file(m.host, `${MANIFESTS}/kube-scheduler.yaml`, yamlFile(header, scheduler), 0o600),
      conf(schedConf, 'system:kube-scheduler', KUBE_SCHEDULER_CLIENT),
    );
  if (k8s.etcdTls)
    out.push(
      file(m.host, `${PKI}/etcd-ca.crt`, from(pki, `${ETCD_CA}.crt`)),
      file(m.host, `${PKI}/apiserver-etcd-client.crt`, from(pki, `${APISERVER_ETCD_CLIENT}.crt`)),
      file(m.host, `${PKI}/apiserver-etcd-client.key`, from(pki, `${APISERVER_ETCD_CLIENT}.key`), 0o600),
    );
  if (k8s.abacPolicy) out.push(file(m.host, ABAC_POLICY, abacPolicyFile(k8s)));
  out.push(...healthCheckClient(k8s, m.host, pki));
  return out;
}

/** `cpu=500m,memory=512Mi` → { cpu: '500m', memory: '512Mi' } */
const reserved = (text: string) =>
  Object.fromEntries(text.split(',').map((p) => p.split('=') as [string, string]));

function kubeletAndProxy(
  header: string,
  specName: string,
  k8s: KubernetesPlan,
  m: Member | KubernetesPlan['nodes'][number],
  pki: PkiContents,
  ca: string,
): Artifact[] {
  const isMaster = k8s.masters.some((x) => x.host === m.host);
  const config = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: `${PKI}/ca.crt` },
    },
    authorization: { mode: 'Webhook' },
    cgroupDriver: k8s.docker.cgroupDriver ?? 'systemd',
    ...(k8s.clusterDns ? { clusterDNS: [k8s.clusterDns] } : {}),
    clusterDomain: k8s.clusterDomain,
    ...(k8s.kubeReserved ? { kubeReserved: reserved(k8s.kubeReserved) } : {}),
    rotateCertificates: false,
    ...(isMaster ? { staticPodPath: MANIFESTS } : {}),
  };
  const kubelet: Flags<'modern', 'kubelet'> = [
    ['config', KUBELET_CONFIG],
    // before 1.24 the kubelet defaults to its built-in docker shim
    ...(versionAtLeast(k8s.version, '1.24')
      ? []
      : ([['container-runtime', 'remote']] as Flags<'modern', 'kubelet'>)),
    ['container-runtime-endpoint', CONTAINERD],
    ['hostname-override', m.host],
    ['kubeconfig', '/etc/kubernetes/kubelet.conf'],
    ['node-ip', m.address],
  ];
  if (k8s.podInfraImage) kubelet.push(['pod-infra-container-image', k8s.podInfraImage]);
  const env = nodeConfig('modern', header, k8s, m.host, kubelet, '/etc/kubernetes/kube-proxy.conf');
  const unit = (description: string, binary: string, variable: string, after: string) =>
    kubeUnit(header, k8s, specName, {
      description,
      binary,
      envFile: '/etc/kubernetes/node-config',
      variable,
      after,
    });
  // the kubelet and kube-proxy reach the apiservers through the load balancer when there is one
  const server = k8s.apiserverEndpoint;
  return [
    file(m.host, '/etc/kubernetes/node-config', env),
    file(m.host, KUBELET_CONFIG, yamlFile(header, config)),
    // a master has the CA already, beside the apiserver's files
    ...(isMaster ? [] : [file(m.host, `${PKI}/ca.crt`, ca)]),
    file(
      m.host,
      '/etc/kubernetes/kubelet.conf',
      kubeconfig(
        header,
        specName,
        server,
        `system:node:${m.host}`,
        ca,
        from(pki, `${kubeletClientCert(m.host)}.crt`),
        from(pki, `${kubeletClientCert(m.host)}.key`),
      ),
      0o600,
    ),
    file(
      m.host,
      '/etc/kubernetes/kube-proxy.conf',
      kubeconfig(
        header,
        specName,
        server,
        'system:kube-proxy',
        ca,
        from(pki, `${KUBE_PROXY_CLIENT}.crt`),
        from(pki, `${KUBE_PROXY_CLIENT}.key`),
      ),
      0o600,
    ),
    file(m.host, '/etc/containerd/config.toml', containerdConfig(header, k8s)),
    file(
      m.host,
      '/etc/systemd/system/kubelet.service',
      unit('kubelet', 'kubelet', 'KUBELET_ARGS', 'containerd.service'),
    ),
    file(
      m.host,
      '/etc/systemd/system/kube-proxy.service',
      unit('proxy', 'kube-proxy', 'KUBE_PROXY_ARGS', 'network-online.target'),
    ),
    step(m.host, 430, sh`mkdir -p ${['/var/lib/kubelet', ...(isMaster ? [MANIFESTS] : [])]}`),
    step(m.host, 431, reloadServiceDefinitions(m.initSystem)),
    step(m.host, 432, restartServices(m.initSystem, ['containerd'])),
    step(m.host, 433, enableServices(m.initSystem, ['kubelet', 'kube-proxy'])),
    step(m.host, 434, restartServices(m.initSystem, ['kubelet', 'kube-proxy'])),
  ];
}

/**
 * containerd's CRI settings the kubelet depends on: the same cgroup driver on both sides (a
 * mismatch leaves pods restarting), and the pause image the kubelet expects.
 */
function containerdConfig(header: string, k8s: KubernetesPlan): string {
  const systemd = (k8s.docker.cgroupDriver ?? 'systemd') === 'systemd';
  return [
    header,
    'version = 2',
    '',
    '[plugins."io.containerd.grpc.v1.cri"]',
    `  sandbox_image = ${tomlString('/etc/containerd/config.toml', 'sandbox_image', planned(k8s.kubeadmImages, 'kubeadmImages').sandbox)}`,
    '',
    '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]',
    '  runtime_type = "io.containerd.runc.v2"',
    '',
    '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]',
    `  SystemdCgroup = ${systemd}`,
    '',
  ].join('\n');
}
