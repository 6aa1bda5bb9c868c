import { KUBE_FLAGS, type KubeComponent, versionAtLeast } from '@k8sm/spec';
import { contentOf, envWords, fakePki, planOf } from '@k8sm/testkit';
import test from 'ava';
import { parse } from 'yaml';
import { renderKubernetes } from '../src/index.js';

const VERSIONS = [
  '1.6.0',
  '1.8.15',
  '1.10.13',
  '1.15.12',
  '1.19.16',
  '1.20.15',
  '1.23.17',
  '1.24.17',
  '1.27.16',
  '1.30.8',
];

const spec = (version: string) => ({
  name: 'v',
  hosts: [
    { name: 'm1', address: '10.0.0.1', roles: ['etcd', 'k8s-master'] },
    { name: 'n1', address: '10.0.0.2', roles: ['k8s-node'], kubernetes: { podCidr: '10.244.1.0/24' } },
  ],
  etcd: { version: '3.4.23', tls: { client: true, pkiDir: 'pki' } },
  kubernetes: {
    version,
    flavor: 'standalone',
    pkiDir: 'pki',
    clusterCidr: '10.244.0.0/16',
    clusterDns: '10.96.0.10',
    kubeReserved: 'cpu=100m',
    podInfraImage: 'registry.k8s.io/pause:3.9',
    leaderElection: { leaseDuration: '15s' },
  },
  waive: { 'no-redundancy': 'test' },
});

/** Every flag the renderer wrote, by component. */
function emitted(version: string): [KubeComponent, string][] {
  const plan = planOf(spec(version));
  const out = renderKubernetes(plan, fakePki(plan));
  const words: [KubeComponent, string][] = [];
  const add = (c: KubeComponent, list: string[]) => {
    for (const w of list) if (w.startsWith('--')) words.push([c, w.slice(2).split('=')[0] ?? '']);
  };
  const master = contentOf(out, 'm1', '/etc/kubernetes/master-config');
  add('apiserver', envWords(master, 'KUBE_API_ARGS'));
  add('scheduler', envWords(master, 'KUBE_SCHEDULER_ARGS'));
  add('controllerManager', envWords(master, 'KUBE_CONTROLLER_MANAGER_ARGS'));
  const node = contentOf(out, 'n1', '/etc/kubernetes/node-config');
  add('kubelet', envWords(node, 'KUBELET_ARGS'));
  add('proxy', envWords(node, 'KUBE_PROXY_ARGS'));
  for (const [c, name] of [
    ['apiserver', 'kube-apiserver'],
    ['scheduler', 'kube-scheduler'],
    ['controllerManager', 'kube-controller-manager'],
  ] as const) {
    const text = contentOf(out, 'm1', `/etc/kubernetes/manifests/${name}.yaml`);
    if (text) add(c, parse(text).spec.containers[0].command);
  }
  return words;
}

for (const version of VERSIONS)
  test(`Kubernetes ${version}: no rendered flag is one the table says ${version} lacks`, (t) => {
    const words = emitted(version);
    t.true(words.length > 25, `${words.length} flags`);
    for (const [component, name] of words) {
      const flag = KUBE_FLAGS[component].get(name);
      t.truthy(flag, `${component} --${name} is in the table`);
      if (flag?.removed)
        t.false(versionAtLeast(version, flag.removed), `${component} --${name} removed in ${flag.removed}`);
      if (flag?.since)
        t.true(versionAtLeast(version, flag.since), `${component} --${name} new in ${flag.since}`);
    }
  });
