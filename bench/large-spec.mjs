// The 2,009-host spec of bench/render.mjs and bench/rerender.mjs: 5 masters, 3 etcd, 1 HAProxy,
// 1,000 Mesos agents and 1,000 Kubernetes nodes with their own pod ranges. `largeSpec(5000)` is
// the same shape with 2,500 agents and 2,500 nodes (the growth fit of bench/render.mjs).
export function largeSpec(workers = 2000) {
  const agents = Math.floor(workers / 2);
  const nodes = workers - agents;
  const hosts = [];
  for (let i = 1; i <= 5; i++)
    hosts.push({
      name: `master${i}`,
      address: `172.16.0.${i}`,
      roles: ['zookeeper', 'mesos-master', 'marathon', 'k8s-master'],
    });
  for (let i = 1; i <= 3; i++) hosts.push({ name: `etcd${i}`, address: `172.16.1.${i}`, roles: ['etcd'] });
  hosts.push({ name: 'lb1', address: '172.16.2.1', roles: ['haproxy'] });
  for (let i = 0; i < agents; i++)
    hosts.push({
      name: `agent${i}`,
      address: `172.17.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      roles: ['mesos-agent'],
    });
  for (let i = 0; i < nodes; i++)
    hosts.push({
      name: `node${i}`,
      address: `172.18.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      roles: ['k8s-node'],
      kubernetes: { podCidr: `10.${128 + Math.floor(i / 256)}.${i % 256}.0/24` },
    });
  return {
    name: `bench-${workers}`,
    hosts,
    zookeeper: { version: '3.8.4', adminServer: { port: 8081 } },
    mesos: { version: '1.11.0', agent: { containerizers: ['docker', 'mesos'] } },
    marathon: { version: '1.11.24' },
    etcd: { version: '3.5.16' },
    kubernetes: {
      version: '1.31.4',
      flavor: 'standalone',
      pkiDir: 'pki',
      clusterCidr: '10.128.0.0/9',
      serviceClusterIpRange: '10.96.0.0/12',
    },
    haproxy: { version: '2.6', frontendPort: 6443 },
  };
}
