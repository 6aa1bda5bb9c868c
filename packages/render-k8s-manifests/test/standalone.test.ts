import {
  commandsOf,
  contentOf,
  envWords,
  examplePlan,
  execStartOf,
  fakePki,
  fileOf,
  planOf,
  systemdExecArgv,
} from '@k8sm/testkit';
import test from 'ava';
import { parse } from 'yaml';
import { MissingPkiFileError, renderKubernetes } from '../src/index.js';

const plan16 = examplePlan('k8s-1.6-standalone-ha.yaml');
const out16 = renderKubernetes(plan16, fakePki(plan16));

test('1.6: the masters’ flags live in /etc/kubernetes/master-config, loaded by three units', (t) => {
  const env = contentOf(out16, 'kube-controller02', '/etc/kubernetes/master-config');
  const api = envWords(env, 'KUBE_API_ARGS');
  t.true(
    api.includes('--etcd-servers=https://10.20.0.11:2379,https://10.20.0.12:2379,https://10.20.0.13:2379'),
  );
  t.true(api.includes('--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt'));
  t.true(api.includes('--authorization-mode=ABAC'));
  t.true(api.includes('--authorization-policy-file=/etc/kubernetes/abac-policy.jsonl'));
  t.true(api.includes('--apiserver-count=3'));
  t.true(api.includes('--advertise-address=10.20.0.12'));
  t.false(
    api.some((w) => w.startsWith('--storage-backend')),
    '1.6 defaults to etcd3, which etcd 3.1 is',
  );
  const scheduler = envWords(env, 'KUBE_SCHEDULER_ARGS');
  t.deepEqual(scheduler, [
    '--master=http://127.0.0.1:8080',
    '--leader-elect=true',
    '--leader-elect-lease-duration=150s',
    '--leader-elect-renew-deadline=100s',
    '--leader-elect-retry-period=20s',
  ]);
  t.true(
    envWords(env, 'KUBE_CONTROLLER_MANAGER_ARGS').includes(
      '--service-account-private-key-file=/etc/kubernetes/pki/sa.key',
    ),
  );
  for (const [unit, variable] of [
    ['kube-apiserver', 'KUBE_API_ARGS'],
    ['kube-scheduler', 'KUBE_SCHEDULER_ARGS'],
    ['kube-controller-manager', 'KUBE_CONTROLLER_MANAGER_ARGS'],
  ]) {
    const text = contentOf(out16, 'kube-controller02', `/etc/systemd/system/${unit}.service`);
    t.regex(text, /^EnvironmentFile=\/etc\/kubernetes\/master-config$/m);
    t.regex(text, new RegExp(`^ExecStart=/usr/bin/${unit} \\$${variable}$`, 'm'));
  }
  t.deepEqual(commandsOf(out16, 'kube-controller02').slice(-1), [
    'systemctl restart kube-apiserver.service kube-controller-manager.service kube-scheduler.service',
  ]);
});

test('1.6: every file a flag names is written to that host, keys 0600', (t) => {
  for (const host of ['kube-controller01', 'kube-node02']) {
    const env = contentOf(
      out16,
      host,
      host.includes('node') ? '/etc/kubernetes/node-config' : '/etc/kubernetes/master-config',
    );
    const paths = [...env.matchAll(/=(\/etc\/kubernetes\/[^\s"\\]+)/g)].map((m) => m[1] ?? '');
    t.true(paths.length >= 2, host);
    for (const path of paths) t.truthy(fileOf(out16, host, path), `${host}: ${path}`);
  }
  t.is(fileOf(out16, 'kube-controller01', '/etc/kubernetes/pki/apiserver.key')?.mode, 0o600);
  t.is(fileOf(out16, 'kube-controller01', '/etc/kubernetes/pki/sa.key')?.mode, 0o600);
  t.is(fileOf(out16, 'kube-node01', '/etc/kubernetes/kubelet.kubeconfig')?.mode, 0o600);
  t.is(
    contentOf(out16, 'kube-controller03', '/etc/kubernetes/pki/apiserver.crt'),
    'pem of kubernetes/kube-controller03/apiserver.crt\n',
  );
});

test('1.6: the ABAC policy is one JSON policy per line, from the spec', (t) => {
  const lines = contentOf(out16, 'kube-controller01', '/etc/kubernetes/abac-policy.jsonl').trim().split('\n');
  t.is(lines.length, 4);
  // the spec's three rules, then the one that lets HAProxy's anonymous check read /healthz
  t.deepEqual(JSON.parse(lines[3] ?? '').spec, {
    group: 'system:unauthenticated',
    nonResourcePath: '/healthz',
    readonly: true,
  });
  const first = JSON.parse(lines[0] ?? '');
  t.deepEqual(first, {
    apiVersion: 'abac.authorization.kubernetes.io/v1beta1',
    kind: 'Policy',
    spec: { user: 'kubernetes-admin', namespace: '*', resource: '*', apiGroup: '*', nonResourcePath: '*' },
  });
});

test('1.6 nodes: kubelet and kube-proxy from node-config, kubeconfigs that name the load balancer', (t) => {
  const env = contentOf(out16, 'kube-node01', '/etc/kubernetes/node-config');
  const kubelet = envWords(env, 'KUBELET_ARGS');
  t.true(
    kubelet.includes('--api-servers=https://10.20.0.10:6443'),
    'before 1.8 the kubelet takes --api-servers',
  );
  t.true(kubelet.includes('--allow-privileged=true'));
  t.true(kubelet.includes('--kube-reserved=cpu=500m,memory=512Mi'));
  t.true(kubelet.includes('--pod-infra-container-image=r.addops.cn/public/pause-amd64:3.0'));
  t.true(kubelet.includes('--cgroup-driver=cgroupfs'));
  t.true(envWords(env, 'KUBE_PROXY_ARGS').includes('--proxy-mode=iptables'));
  const config = parse(contentOf(out16, 'kube-node01', '/etc/kubernetes/kubelet.kubeconfig'));
  t.is(config.clusters[0].cluster.server, 'https://10.20.0.10:6443');
  t.is(config.users[0].name, 'system:node:kube-node01');
  t.is(
    Buffer.from(config.users[0].user['client-certificate-data'], 'base64').toString(),
    'pem of kubernetes/nodes/kube-node01/kubelet.crt\n',
  );
  const daemon = JSON.parse(contentOf(out16, 'kube-node01', '/etc/docker/daemon.json'));
  t.deepEqual(daemon, {
    mtu: 1450,
    'ip-masq': true,
    'storage-driver': 'devicemapper',
    'storage-opts': [
      'dm.thinpooldev=/dev/mapper/VolGroup00-thinpool',
      'dm.use_deferred_removal=true',
      'dm.use_deferred_deletion=true',
      'dm.blkdiscard=false',
      'dm.override_udev_sync_check=true',
    ],
    graph: '/data/docker',
    'live-restore': true,
    'exec-opts': ['native.cgroupdriver=cgroupfs'],
    'registry-mirrors': ['http://4093ad04.m.daocloud.io'],
  });
});

const standalone = (version: string) => {
  const spec = {
    name: 's',
    hosts: [
      { name: 'm1', address: '10.0.0.1', roles: ['etcd', 'k8s-master'] },
      { name: 'n1', address: '10.0.0.2', roles: ['k8s-node'] },
    ],
    etcd: { version: '3.3.25' },
    kubernetes: { version, flavor: 'standalone', pkiDir: 'pki' },
    waive: { 'no-redundancy': 'test' },
  };
  const p = planOf(spec);
  return envWords(
    contentOf(renderKubernetes(p, fakePki(p)), 'n1', '/etc/kubernetes/node-config'),
    'KUBELET_ARGS',
  );
};

test('kubelet flags follow the version: --api-servers before 1.8, --allow-privileged before 1.15', (t) => {
  t.true(standalone('1.7.16').some((w) => w.startsWith('--api-servers=')));
  for (const v of ['1.8.0', '1.10.13', '1.14.10', '1.23.17'])
    t.false(
      standalone(v).some((w) => w.startsWith('--api-servers=')),
      v,
    );
  t.true(standalone('1.14.10').includes('--allow-privileged=true'));
  t.false(standalone('1.15.0').some((w) => w.startsWith('--allow-privileged')));
});

test('a missing PKI file is an error naming it', (t) => {
  const pki = fakePki(plan16);
  delete pki['kubernetes/kube-proxy.key'];
  const error = t.throws(() => renderKubernetes(plan16, pki), { instanceOf: MissingPkiFileError });
  t.is(error?.file, 'kubernetes/kube-proxy.key');
});

test('per-node pod ranges before 1.24: the docker bridge on the first address of the range', (t) => {
  const p = planOf({
    name: 'old',
    hosts: [
      { name: 'm', address: '192.168.0.7', roles: ['etcd', 'k8s-master'] },
      { name: 'n1', address: '192.168.0.3', roles: ['k8s-node'], kubernetes: { podCidr: '10.0.1.0/24' } },
    ],
    etcd: { version: '3.3.25' },
    kubernetes: {
      version: '1.10.13',
      flavor: 'standalone',
      serviceClusterIpRange: '10.254.0.0/16',
      pkiDir: 'pki',
    },
    waive: { 'no-redundancy': 'test' },
  });
  const out = renderKubernetes(p, fakePki(p));
  t.is(JSON.parse(contentOf(out, 'n1', '/etc/docker/daemon.json')).bip, '10.0.1.1/24');
  t.falsy(fileOf(out, 'n1', '/etc/cni/net.d/10-k8sm-bridge.conflist'));
});

test('per-node pod ranges from 1.24: a CNI bridge per node, routes to every other range on every host', async (t) => {
  const p = examplePlan('kubernetes-ansible-multinode.json');
  const out = renderKubernetes(p, fakePki(p));
  const subnet = (host: string) =>
    JSON.parse(contentOf(out, host, '/etc/cni/net.d/10-k8sm-bridge.conflist')).plugins[0].ipam.ranges[0][0]
      .subnet;
  t.is(subnet('minion1'), '10.0.1.0/24');
  t.is(subnet('minion2'), '10.0.2.0/24');
  t.falsy(fileOf(out, 'minion1', '/etc/docker/daemon.json'), 'containerd, not docker, from 1.24');
  const table = contentOf(out, 'minion1', '/etc/k8sm/pod-routes');
  t.is(table, '10.0.1.0/24 192.168.0.3\n10.0.2.0/24 192.168.0.6\n');
  for (const host of ['kube-master', 'minion1', 'minion2'])
    t.is(contentOf(out, host, '/etc/k8sm/pod-routes'), table, `${host}: the same table everywhere`);
  // each host skips its own range: run the unit's loop with a stand-in for ip
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const routes = (host: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'k8sm-routes-'));
    writeFileSync(join(dir, 'pod-routes'), table);
    const unit = contentOf(out, host, '/etc/systemd/system/k8sm-pod-routes.service');
    const [command = '', ...args] = systemdExecArgv(execStartOf(unit)).map((w) =>
      w.replace('/sbin/ip route replace', 'echo').replace('/etc/k8sm/pod-routes', join(dir, 'pod-routes')),
    );
    return execFileSync(command, args, { encoding: 'utf8' }).trim().split('\n');
  };
  t.deepEqual(routes('minion1'), ['10.0.2.0/24 via 192.168.0.6']);
  t.deepEqual(routes('minion2'), ['10.0.1.0/24 via 192.168.0.3']);
  t.deepEqual(routes('kube-master'), ['10.0.1.0/24 via 192.168.0.3', '10.0.2.0/24 via 192.168.0.6']);
});
