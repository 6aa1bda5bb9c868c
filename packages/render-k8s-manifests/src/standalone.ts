import {
  APISERVER_ETCD_CLIENT,
  APISERVER_HEALTHCHECK_CLIENT,
  apiserverCert,
  ETCD_CA,
  enableServices,
  generatedHeader,
  KUBE_PROXY_CLIENT,
  KUBERNETES_CA,
  KUBERNETES_HOST_HEALTHCHECK,
  KUBERNETES_HOST_PKI_DIR,
  type KubernetesPlan,
  kubeletClientCert,
  type PkiContents,
  pkiFile,
  reloadServiceDefinitions,
  restartServices,
  SERVICE_ACCOUNT_KEY,
  sh,
  versionAtLeast,
} from '@k8sm/spec';
import {
  type Artifact,
  abacPolicyFile,
  envVariable,
  type Flags,
  file,
  flagWords,
  kubeletHasAllowPrivileged,
  kubeletHasApiServers,
  kubeUnit,
  leaderElection,
  nodeConfig,
  step,
  yamlFile,
} from './common.js';

type Member = KubernetesPlan['masters'][number];
type Node = KubernetesPlan['nodes'][number];

export const PKI = KUBERNETES_HOST_PKI_DIR;
const MASTER_CONFIG = '/etc/kubernetes/master-config';
const NODE_CONFIG = '/etc/kubernetes/node-config';
const ABAC_POLICY = '/etc/kubernetes/abac-policy.jsonl';

export const from = pkiFile;

/**
 * The 1.6-style control plane (the standalone HA guide): apiserver, scheduler and
 * controller-manager as systemd units whose flags live in one env file, /etc/kubernetes/
 * master-config; nodes with kubelet and kube-proxy units, kubeconfigs and the docker daemon.json.
 * Scheduler and controller-manager reach their own apiserver on the local insecure port, which
 * these versions bind to 127.0.0.1:8080 by default.
 */
export function renderLegacyStandalone(specName: string, k8s: KubernetesPlan, pki: PkiContents): Artifact[] {
  return [
    ...k8s.masters.flatMap((m) => legacyMaster(specName, k8s, m, pki)),
    ...k8s.nodes.flatMap((n) => legacyNode(specName, k8s, n, pki)),
  ];
}

function unit(
  specName: string,
  k8s: KubernetesPlan,
  description: string,
  binary: string,
  envFile: string,
  variable: string,
  after: string,
): string {
  return kubeUnit(generatedHeader(specName), k8s, specName, {
    description,
    binary,
    envFile,
    variable,
    after,
  });
}

export function legacyApiserverFlags(k8s: KubernetesPlan, m: Member): Flags<'legacy', 'apiserver'> {
  const f: Flags<'legacy', 'apiserver'> = [
    ['advertise-address', m.address],
    ['bind-address', m.address],
    ['secure-port', k8s.apiserver.securePort],
    ['etcd-servers', k8s.etcdServers.join(',')],
  ];
  if (k8s.etcdTls)
    f.push(
      ['etcd-cafile', `${PKI}/etcd-ca.crt`],
      ['etcd-certfile', `${PKI}/apiserver-etcd-client.crt`],
      ['etcd-keyfile', `${PKI}/apiserver-etcd-client.key`],
    );
  // etcd2 was the default until 1.6; name the backend whenever the default is not what the plan says
  if (k8s.storageBackend === 'etcd2' || !versionAtLeast(k8s.version, '1.6'))
    f.push(['storage-backend', k8s.storageBackend]);
  f.push(
    ['service-cluster-ip-range', k8s.serviceClusterIpRange],
    ['client-ca-file', `${PKI}/ca.crt`],
    ['tls-cert-file', `${PKI}/apiserver.crt`],
    ['tls-private-key-file', `${PKI}/apiserver.key`],
    ['service-account-key-file', `${PKI}/sa.pub`],
    ['apiserver-count', k8s.masters.length],
    ['allow-privileged', true],
  );
  const modes = k8s.authorization ?? [];
  if (modes.length > 0) f.push(['authorization-mode', modes.join(',')]);
  if (modes.includes('ABAC')) f.push(['authorization-policy-file', ABAC_POLICY]);
  if (k8s.apiserver.insecurePort !== undefined) f.push(['insecure-port', k8s.apiserver.insecurePort]);
  return f;
}

function legacyMaster(specName: string, k8s: KubernetesPlan, m: Member, pki: PkiContents): Artifact[] {
  const header = generatedHeader(specName);
  const local = m.localApiserverUrl;
  const extra = k8s.extraArgs;
  const runsScheduler = k8s.schedulerHosts.includes(m.host);
  const controllerManager: Flags<'legacy', 'controllerManager'> = [
    ['master', local],
    ...leaderElection(k8s),
    ['service-account-private-key-file', `${PKI}/sa.key`],
    ['root-ca-file', `${PKI}/ca.crt`],
    ['service-cluster-ip-range', k8s.serviceClusterIpRange],
  ];
  // per-node pod ranges come from the spec: the controller-manager must not hand out its own
  if (k8s.clusterCidr)
    controllerManager.push(['cluster-cidr', k8s.clusterCidr], ['allocate-node-cidrs', false]);
  const env = [
    header,
    envVariable(
      MASTER_CONFIG,
      'KUBE_API_ARGS',
      flagWords('legacy', 'apiserver', m.host, legacyApiserverFlags(k8s, m), extra.apiserver),
    ),
    envVariable(
      MASTER_CONFIG,
      'KUBE_SCHEDULER_ARGS',
      runsScheduler
        ? flagWords(
            'legacy',
            'scheduler',
            m.host,
            [['master', local], ...leaderElection(k8s)],
            extra.scheduler,
          )
        : [],
    ),
    envVariable(
      MASTER_CONFIG,
      'KUBE_CONTROLLER_MANAGER_ARGS',
      flagWords('legacy', 'controllerManager', m.host, controllerManager, extra.controllerManager),
    ),
    '',
  ].join('\n');
  const services = [
    'kube-apiserver',
    'kube-controller-manager',
    ...(runsScheduler ? ['kube-scheduler'] : []),
  ];
  const out: Artifact[] = [
    file(m.host, MASTER_CONFIG, env),
    file(
      m.host,
      '/etc/systemd/system/kube-apiserver.service',
      unit(
        specName,
        k8s,
        'API server',
        'kube-apiserver',
        MASTER_CONFIG,
        'KUBE_API_ARGS',
        'network-online.target',
      ),
    ),
    file(
      m.host,
      '/etc/systemd/system/kube-controller-manager.service',
      unit(
        specName,
        k8s,
        'controller manager',
        'kube-controller-manager',
        MASTER_CONFIG,
        'KUBE_CONTROLLER_MANAGER_ARGS',
        'kube-apiserver.service',
      ),
    ),
    ...(runsScheduler
      ? [
          file(
            m.host,
            '/etc/systemd/system/kube-scheduler.service',
            unit(
              specName,
              k8s,
              'scheduler',
              'kube-scheduler',
              MASTER_CONFIG,
              'KUBE_SCHEDULER_ARGS',
              'kube-apiserver.service',
            ),
          ),
        ]
      : []),
    file(m.host, `${PKI}/ca.crt`, from(pki, `${KUBERNETES_CA}.crt`)),
    file(m.host, `${PKI}/apiserver.crt`, from(pki, `${apiserverCert(m.host)}.crt`)),
    file(m.host, `${PKI}/apiserver.key`, from(pki, `${apiserverCert(m.host)}.key`), 0o600),
    file(m.host, `${PKI}/sa.key`, from(pki, `${SERVICE_ACCOUNT_KEY}.key`), 0o600),
    file(m.host, `${PKI}/sa.pub`, from(pki, `${SERVICE_ACCOUNT_KEY}.pub`)),
    step(m.host, 420, reloadServiceDefinitions(m.initSystem)),
    step(m.host, 421, enableServices(m.initSystem, services)),
    step(m.host, 422, restartServices(m.initSystem, services)),
  ];
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

/** The health-check client pair on a master, when the check needs it: the rollout gate presents it. */
export function healthCheckClient(k8s: KubernetesPlan, host: string, pki: PkiContents): Artifact[] {
  if (k8s.apiserverHealthCheck.kind !== 'client-certificate') return [];
  return [
    file(host, KUBERNETES_HOST_HEALTHCHECK.cert, from(pki, `${APISERVER_HEALTHCHECK_CLIENT}.crt`)),
    file(host, KUBERNETES_HOST_HEALTHCHECK.key, from(pki, `${APISERVER_HEALTHCHECK_CLIENT}.key`), 0o600),
  ];
}

/** A kubeconfig with the CA and the client certificate embedded (written 0600). */
export function kubeconfig(
  header: string,
  cluster: string,
  server: string,
  user: string,
  ca: string,
  cert: string,
  key: string,
): string {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  return yamlFile(header, {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server, 'certificate-authority-data': b64(ca) } }],
    users: [{ name: user, user: { 'client-certificate-data': b64(cert), 'client-key-data': b64(key) } }],
    contexts: [{ name: 'default', context: { cluster, user } }],
    'current-context': 'default',
  });
}

function legacyNode(specName: string, k8s: KubernetesPlan, n: Node, pki: PkiContents): Artifact[] {
  const header = generatedHeader(specName);
  const ca = from(pki, `${KUBERNETES_CA}.crt`);
  const kubelet: Flags<'legacy', 'kubelet'> = [['hostname-override', n.host]];
  if (kubeletHasApiServers(k8s)) kubelet.push(['api-servers', k8s.apiserverEndpoint]);
  // before 1.8 --api-servers names the server and the kubeconfig only the credentials (the guide's way)
  kubelet.push(['kubeconfig', '/etc/kubernetes/kubelet.kubeconfig']);
  kubelet.push(['register-node', true]);
  if (kubeletHasAllowPrivileged(k8s)) kubelet.push(['allow-privileged', true]);
  if (k8s.clusterDns) kubelet.push(['cluster-dns', k8s.clusterDns]);
  kubelet.push(['cluster-domain', k8s.clusterDomain]);
  if (k8s.kubeReserved) kubelet.push(['kube-reserved', k8s.kubeReserved]);
  if (k8s.podInfraImage) kubelet.push(['pod-infra-container-image', k8s.podInfraImage]);
  if (k8s.docker.cgroupDriver) kubelet.push(['cgroup-driver', k8s.docker.cgroupDriver]);
  const env = nodeConfig('legacy', header, k8s, n.host, kubelet, '/etc/kubernetes/kube-proxy.kubeconfig');
  return [
    file(n.host, NODE_CONFIG, env),
    file(
      n.host,
      '/etc/systemd/system/kubelet.service',
      unit(specName, k8s, 'kubelet', 'kubelet', NODE_CONFIG, 'KUBELET_ARGS', 'docker.service'),
    ),
    file(
      n.host,
      '/etc/systemd/system/kube-proxy.service',
      unit(specName, k8s, 'proxy', 'kube-proxy', NODE_CONFIG, 'KUBE_PROXY_ARGS', 'network-online.target'),
    ),
    file(n.host, `${PKI}/ca.crt`, ca),
    file(
      n.host,
      '/etc/kubernetes/kubelet.kubeconfig',
      kubeconfig(
        header,
        specName,
        k8s.apiserverEndpoint,
        `system:node:${n.host}`,
        ca,
        from(pki, `${kubeletClientCert(n.host)}.crt`),
        from(pki, `${kubeletClientCert(n.host)}.key`),
      ),
      0o600,
    ),
    file(
      n.host,
      '/etc/kubernetes/kube-proxy.kubeconfig',
      kubeconfig(
        header,
        specName,
        k8s.apiserverEndpoint,
        'system:kube-proxy',
        ca,
        from(pki, `${KUBE_PROXY_CLIENT}.crt`),
        from(pki, `${KUBE_PROXY_CLIENT}.key`),
      ),
      0o600,
    ),
    step(n.host, 430, sh`mkdir -p /var/lib/kubelet`),
    step(n.host, 431, reloadServiceDefinitions(n.initSystem)),
    step(n.host, 432, enableServices(n.initSystem, ['kubelet', 'kube-proxy'])),
    step(n.host, 433, restartServices(n.initSystem, ['kubelet', 'kube-proxy'])),
  ];
}
