import test from 'ava';
import { type ClusterPlan, DEFAULTS } from '../src/index.js';
import { type HostIn, k8s, load, type SpecIn, show, threeMasters } from './helpers.js';

/*
 * Each default is applied once, by the plan: left unset, the plan carries the DEFAULTS value;
 * set, the spec's own. Renderers read the plan (their tests set a value and see it rendered).
 */

const planOf = (spec: unknown): ClusterPlan => {
  const report = load(spec);
  if (!report.plan) throw new Error(`no plan:\n${show(report)}`);
  return report.plan;
};

const lbHost: HostIn = { name: 'lb', address: '192.168.0.20', roles: ['haproxy'] };
const withHaproxy = (haproxy: Record<string, unknown> = {}): SpecIn => {
  const spec = k8s();
  spec.hosts.push(lbHost);
  return { ...spec, haproxy: { version: '2.6', ...haproxy } };
};
const stats = { port: 1936, user: 'ops', password: { env: 'LB_PASS' } };

interface Case {
  readonly name: string;
  /** the spec without the setting, and with it set to `given` */
  readonly spec: (given?: unknown) => unknown;
  readonly read: (plan: ClusterPlan) => unknown;
  readonly fallback: unknown;
  readonly given: unknown;
}

const CASES: readonly Case[] = [
  {
    name: 'rollout.batch',
    spec: (batch) => threeMasters(batch === undefined ? {} : { rollout: { batch } }),
    read: (p) => p.rolloutBatch,
    fallback: DEFAULTS.rollout.batch,
    given: 2,
  },
  {
    name: 'kubernetes.proxyMode',
    spec: (proxyMode) => k8s(proxyMode === undefined ? {} : { proxyMode }),
    read: (p) => p.kubernetes?.proxyMode,
    fallback: DEFAULTS.kubernetes.proxyMode,
    given: 'ipvs',
  },
  {
    name: 'haproxy.checkInterval',
    spec: (checkInterval) => withHaproxy(checkInterval === undefined ? {} : { checkInterval }),
    read: (p) => p.haproxy?.checkInterval,
    fallback: DEFAULTS.haproxy.checkInterval,
    given: '5s',
  },
  {
    name: 'haproxy.runtimeApi',
    spec: (runtimeApi) => withHaproxy(runtimeApi === undefined ? {} : { runtimeApi }),
    read: (p) => p.haproxy?.runtimeApi,
    fallback: DEFAULTS.haproxy.runtimeApi,
    given: true,
  },
  {
    name: 'haproxy.stats.address',
    spec: (address) => withHaproxy({ stats: address === undefined ? stats : { ...stats, address } }),
    read: (p) => p.haproxy?.stats?.address,
    fallback: DEFAULTS.haproxy.stats.address,
    given: '192.168.0.20',
  },
];

/** The docker runtime's image: the release's from facts.ts unless the spec names one; none with packages. */
const dockerImage = (
  name: string,
  spec: (section: Record<string, unknown>) => unknown,
  read: (plan: ClusterPlan) => string | undefined,
  fallback: string,
): Case => ({
  name,
  spec: (image) => spec({ runtime: 'docker', ...(image === undefined ? {} : { image }) }),
  read,
  fallback,
  given: 'registry.example/own:1',
});

const IMAGES: readonly Case[] = [
  dockerImage(
    'zookeeper.image',
    (zookeeper) => threeMasters({ zookeeper: { version: '3.4.6', ...zookeeper } }),
    (p) => p.zookeeper?.image,
    'mesoscloud/zookeeper:3.4.6-ubuntu-14.04',
  ),
  dockerImage(
    'mesos.image',
    (mesos) => threeMasters({ mesos: { version: '1.11.0', ...mesos } }),
    (p) => p.mesos?.image,
    'mesoscloud/mesos-master:1.11.0-ubuntu-14.04',
  ),
  dockerImage(
    'marathon.image',
    (marathon) => threeMasters({ marathon: { version: '1.11.24', ...marathon } }),
    (p) => p.marathon?.image,
    'mesosphere/marathon:v1.11.24',
  ),
  dockerImage(
    'etcd.image',
    (etcd) => ({ ...k8s(), etcd: { version: '3.5.16', ...etcd } }),
    (p) => p.etcd?.image,
    'quay.io/coreos/etcd:v3.5.16',
  ),
  dockerImage(
    'haproxy.image',
    (haproxy) => withHaproxy(haproxy),
    (p) => p.haproxy?.image,
    'haproxy:2.6',
  ),
];

for (const c of [...CASES, ...IMAGES]) {
  test(`${c.name}: the plan carries the default when the spec leaves it unset, else the spec's value`, (t) => {
    t.not(c.fallback, undefined, 'DEFAULTS has a value');
    t.is(c.read(planOf(c.spec())), c.fallback);
    t.is(c.read(planOf(c.spec(c.given))), c.given);
  });
}

test('mesos.agent.image: the release’s agent image with the docker runtime unless the spec names one', (t) => {
  const docker = (agent: Record<string, unknown> = {}) =>
    planOf(threeMasters({ mesos: { version: '1.11.0', runtime: 'docker', agent } })).mesos?.agentImage;
  t.is(docker(), 'mesoscloud/mesos-slave:1.11.0-ubuntu-14.04');
  t.is(docker({ image: 'own/agent:1' }), 'own/agent:1');
});

test('with the package runtime the plan names no image it would not run', (t) => {
  const plan = planOf(threeMasters());
  t.is(plan.zookeeper?.image, undefined);
  t.is(plan.mesos?.image, undefined);
  t.is(plan.mesos?.agentImage, undefined);
  t.is(plan.marathon?.image, undefined);
});

test('Kubernetes images: km and podmaster for k8sm on docker, the control plane and sandbox for kubeadm', (t) => {
  const modern = planOf(k8s()).kubernetes;
  t.deepEqual(modern?.kubeadmImages, {
    apiserver: 'registry.k8s.io/kube-apiserver:v1.28.15',
    controllerManager: 'registry.k8s.io/kube-controller-manager:v1.28.15',
    scheduler: 'registry.k8s.io/kube-scheduler:v1.28.15',
    sandbox: 'registry.k8s.io/pause:3.9',
  });
  t.is(planOf(k8s({ podInfraImage: 'own/pause:1' })).kubernetes?.kubeadmImages?.sandbox, 'own/pause:1');
  t.is(modern?.image, undefined);
  const legacy = planOf(k8s({ version: '1.6.13' })).kubernetes;
  t.is(legacy?.kubeadmImages, undefined, 'the 1.6 layout runs binaries, not these pods');
});

test('Marathon apps: the plan carries Marathon’s defaults for what the spec leaves unset', (t) => {
  const app = {
    id: '/web',
    cpus: 0.1,
    mem: 64,
    docker: { image: 'nginx', portMappings: [{ containerPort: 80 }, { containerPort: 53, protocol: 'udp' }] },
    healthChecks: [{ protocol: 'HTTP' }, { protocol: 'TCP', portIndex: 1 }],
  };
  const planned = planOf(threeMasters({ marathon: { version: '1.11.24', apps: [app] } })).marathon?.apps[0];
  const d = DEFAULTS.marathon.app;
  t.is(planned?.instances, d.instances);
  t.is(planned?.docker?.network, d.network);
  t.deepEqual(planned?.docker?.portMappings, [
    { containerPort: 80, hostPort: d.hostPort, protocol: d.protocol },
    { containerPort: 53, hostPort: d.hostPort, protocol: 'udp' },
  ]);
  t.deepEqual(planned?.healthChecks, [
    { protocol: 'HTTP', portIndex: d.healthCheck.portIndex, path: d.healthCheck.path },
    { protocol: 'TCP', portIndex: 1 },
  ]);
});
