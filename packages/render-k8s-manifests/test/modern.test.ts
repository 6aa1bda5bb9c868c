import { contentOf, examplePlan, fakePki, fileOf } from '@k8sm/testkit';
import test from 'ava';
import { Pod } from 'kubernetes-models/v1';
import { parse } from 'yaml';
import { renderKubernetes } from '../src/index.js';

const plan = examplePlan('kubernetes-1.30-ha.yaml');
const out = renderKubernetes(plan, fakePki(plan));
const manifest = (host: string, name: string) =>
  parse(contentOf(out, host, `/etc/kubernetes/manifests/${name}.yaml`));
const args = (pod: { spec: { containers: { command: string[] }[] } }) =>
  pod.spec.containers[0]?.command.slice(1) ?? [];

test('1.30: three valid static pods per master, 0600, host network, system-node-critical', (t) => {
  for (const host of ['cp1', 'cp2', 'cp3'])
    for (const name of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
      const f = fileOf(out, host, `/etc/kubernetes/manifests/${name}.yaml`);
      t.is(f?.mode, 0o600, `${host} ${name}`);
      const pod = manifest(host, name);
      t.notThrows(() => new Pod(pod).validate(), `${host} ${name}`);
      t.true(pod.spec.hostNetwork);
      t.is(pod.spec.priorityClassName, 'system-node-critical');
      const a = args(pod);
      t.deepEqual(a, [...a].sort(), `${host} ${name}: args sorted`);
      const volumes = pod.spec.volumes.map((v: { name: string }) => v.name);
      t.deepEqual(volumes, [...volumes].sort(), `${host} ${name}: volumes sorted`);
    }
  t.falsy(fileOf(out, 'worker1', '/etc/kubernetes/manifests/kube-apiserver.yaml'));
});

test('1.30: probes on /livez and /readyz over HTTPS for the apiserver, 10257 and 10259 for the others', (t) => {
  const api = manifest('cp2', 'kube-apiserver').spec.containers[0];
  t.deepEqual(api.livenessProbe.httpGet, { host: '10.30.0.12', path: '/livez', port: 6443, scheme: 'HTTPS' });
  t.deepEqual(api.readinessProbe.httpGet, {
    host: '10.30.0.12',
    path: '/readyz',
    port: 6443,
    scheme: 'HTTPS',
  });
  t.is(api.startupProbe.httpGet.path, '/livez');
  t.is(manifest('cp2', 'kube-controller-manager').spec.containers[0].livenessProbe.httpGet.port, 10257);
  t.is(manifest('cp2', 'kube-scheduler').spec.containers[0].livenessProbe.httpGet.port, 10259);
});

test('1.30: the apiserver’s flags and the files they name', (t) => {
  const a = args(manifest('cp1', 'kube-apiserver'));
  for (const flag of [
    '--etcd-servers=https://10.30.0.11:2379,https://10.30.0.12:2379,https://10.30.0.13:2379',
    '--authorization-mode=Node,RBAC',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
    '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
    '--advertise-address=10.30.0.11',
  ])
    t.true(a.includes(flag), flag);
  t.false(
    a.some((w: string) => /^--(insecure-port|insecure-bind-address|address|port)=/.test(w)),
    'gone in 1.24',
  );
  for (const w of a) {
    const path = /=(\/etc\/kubernetes\/[^,]+)$/.exec(w)?.[1];
    if (path) t.truthy(fileOf(out, 'cp1', path), `${w} names a file this host gets`);
  }
  t.is(fileOf(out, 'cp1', '/etc/kubernetes/pki/front-proxy-client.key')?.mode, 0o600);
});

test('1.30: leader election and kubeconfigs for the scheduler and controller-manager, on the local apiserver', (t) => {
  const cm = args(manifest('cp3', 'kube-controller-manager'));
  t.true(cm.includes('--leader-elect=true'));
  t.true(cm.includes('--kubeconfig=/etc/kubernetes/controller-manager.conf'));
  t.true(cm.includes('--allocate-node-cidrs=false'), 'pod ranges are the spec’s');
  const conf = parse(contentOf(out, 'cp3', '/etc/kubernetes/scheduler.conf'));
  t.is(conf.clusters[0].cluster.server, 'https://10.30.0.13:6443');
  t.is(conf.users[0].name, 'system:kube-scheduler');
  t.is(fileOf(out, 'cp3', '/etc/kubernetes/scheduler.conf')?.mode, 0o600);
});

test('1.30: every host runs a kubelet from a KubeletConfiguration; only masters have a static-pod path', (t) => {
  const master = parse(contentOf(out, 'cp1', '/var/lib/kubelet/config.yaml'));
  const worker = parse(contentOf(out, 'worker2', '/var/lib/kubelet/config.yaml'));
  t.is(master.kind, 'KubeletConfiguration');
  t.is(master.staticPodPath, '/etc/kubernetes/manifests');
  t.is(worker.staticPodPath, undefined);
  t.deepEqual(worker.clusterDNS, ['10.96.0.10']);
  t.deepEqual(worker.kubeReserved, { cpu: '250m', memory: '512Mi' });
  const env = contentOf(out, 'worker2', '/etc/kubernetes/node-config');
  t.regex(env, /--config=\/var\/lib\/kubelet\/config\.yaml/);
  t.notRegex(
    env,
    /--api-servers|--allow-privileged|--pod-manifest-path/,
    'flags 1.30 no longer has, or that the file sets',
  );
  const kubelet = parse(contentOf(out, 'worker2', '/etc/kubernetes/kubelet.conf'));
  t.is(kubelet.clusters[0].cluster.server, 'https://10.30.0.10:6443', 'through the load balancer');
  t.is(kubelet.users[0].name, 'system:node:worker2');
});

test('1.30: containerd on the kubelet’s cgroup driver, and the admin kubeconfig for the operator', (t) => {
  const toml = contentOf(out, 'worker1', '/etc/containerd/config.toml');
  t.regex(toml, /^ {2}SystemdCgroup = true$/m, 'the kubelet’s cgroupDriver is systemd');
  t.regex(toml, /sandbox_image = "registry\.k8s\.io\/pause:3\.9"/);
  const admin = out.find((a) => a.kind === 'file' && a.host === null && a.path === '/kubernetes/admin.conf');
  t.is(admin?.kind === 'file' ? admin.mode : 0, 0o600);
  const conf = parse(admin?.kind === 'file' ? admin.content : '');
  t.is(conf.users[0].name, 'kubernetes-admin');
  t.is(conf.clusters[0].cluster.server, 'https://10.30.0.10:6443');
});
