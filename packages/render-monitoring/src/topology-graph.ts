import type { ClusterPlan, Quorum } from '@k8sm/spec';

/**
 * The cluster as a picture, in neither format: hosts, the groups they form (ensembles with their
 * quorum), and who talks to whom on which port. Node ids are k8sm's own (n1, n2, …), never a
 * spec value, so no name can collide with another or reach a format's syntax.
 */
export interface TopologyNode {
  readonly id: string;
  /** host: a machine of the spec; group: an ensemble or a set of peers; external: not k8sm's */
  readonly kind: 'host' | 'group' | 'external';
  /** label lines, as plain text: each writer escapes them for its format */
  readonly lines: readonly string[];
}

export interface TopologyEdge {
  readonly from: string;
  readonly to: string;
  /** talks: a connection from client to server; member: a group and one of its hosts */
  readonly kind: 'talks' | 'member';
  readonly label: string;
}

export interface Topology {
  readonly title: string;
  readonly nodes: readonly TopologyNode[];
  readonly edges: readonly TopologyEdge[];
}

/** The ports of `zk://a:2181,b:2181/mesos`, `https://10.0.0.1:6443` or `a:2181,b:2181`, in order. */
export function endpointPorts(endpoints: string | readonly string[]): number[] {
  const list = typeof endpoints === 'string' ? [endpoints] : endpoints;
  return list.flatMap((e) =>
    (e.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0] ?? '').split(',').flatMap((hostPort) => {
      const port = /:(\d+)$/.exec(hostPort)?.[1];
      return port === undefined ? [] : [Number(port)];
    }),
  );
}

/** The address of `https://10.0.0.1:6443`. */
const endpointAddress = (url: string) =>
  (url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0] ?? '').replace(/:\d+$/, '');

/** `2181` or `2181, 2182`: each port once, in the plan's order. */
const ports = (list: readonly (number | string)[]) => [...new Set(list.map(String))].join(', ');

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "3 members, quorum 2, tolerates 1 failure": the plan's quorum, read, not recomputed. */
export function quorumLine(q: Quorum): string {
  return `${count(q.members, 'member')}, quorum ${q.majority}, tolerates ${count(q.tolerates, 'failure')}`;
}

const EVEN_SIZE = 'an even size tolerates no more failures than one member fewer';

export function topologyOf(plan: ClusterPlan): Topology {
  const nodes: TopologyNode[] = [];
  const edges: TopologyEdge[] = [];
  const node = (kind: TopologyNode['kind'], lines: string[]) => {
    const id = `n${nodes.length + 1}`;
    nodes.push({ id, kind, lines });
    return id;
  };
  const hostIds = new Map(
    plan.hosts.map((h) => [h.name, node('host', [h.name, h.address, h.roles.join(', ')])]),
  );
  const talks = (from: string, to: string, label: string) => edges.push({ from, to, kind: 'talks', label });
  const group = (lines: string[], members: readonly { host: string; label?: string }[]) => {
    const id = node('group', lines);
    for (const m of members) {
      const host = hostIds.get(m.host);
      if (host) edges.push({ from: id, to: host, kind: 'member', label: m.label ?? '' });
    }
    return id;
  };
  // peers talk among themselves only when there is more than one
  const peers = (id: string, members: number, label: string) => {
    if (members > 1) talks(id, id, label);
  };

  const zk = plan.zookeeper;
  const zookeeper =
    zk &&
    group(
      ['ZooKeeper ensemble', quorumLine(zk.quorum), ...(zk.quorum.even ? [EVEN_SIZE] : [])],
      zk.members.map((m) => ({ host: m.host, label: `myid ${m.id}` })),
    );
  if (zk && zookeeper)
    peers(
      zookeeper,
      zk.members.length,
      `peer ${ports(zk.members.map((m) => m.peerPort))}, election ${ports(zk.members.map((m) => m.electionPort))}`,
    );

  const mesos = plan.mesos;
  // Mesos, Marathon and the k8sm scheduler reach k8sm's ensemble, or one k8sm does not manage
  const zkTarget =
    mesos &&
    (zookeeper !== undefined && mesos.zookeeper === zk?.connectString
      ? zookeeper
      : node('external', ['ZooKeeper, not managed by k8sm', mesos.zookeeper]));
  const masterPorts = mesos ? `${ports(endpointPorts(mesos.masterUrls))}` : '';
  const mesosMasters =
    mesos &&
    group(
      [
        'Mesos masters',
        ...(mesos.cluster === undefined ? [] : [`cluster ${mesos.cluster}`]),
        mesos.quorumValue === mesos.quorum.majority
          ? quorumLine(mesos.quorum)
          : `${count(mesos.quorum.members, 'member')}, quorum ${mesos.quorumValue} (mesos.quorum; a majority, ${mesos.quorum.majority}, tolerates ${count(mesos.quorum.tolerates, 'failure')})`,
        ...(mesos.quorum.even ? [EVEN_SIZE] : []),
      ],
      mesos.masters.map((m) => ({ host: m.host })),
    );
  if (mesos && mesosMasters && zkTarget) {
    talks(mesosMasters, zkTarget, `ZooKeeper ${ports(endpointPorts(mesos.zkUrl))}`);
    peers(mesosMasters, mesos.masters.length, `replicated log ${masterPorts}`);
  }
  const mesosAgents =
    mesos && mesos.agents.length > 0
      ? group(
          ['Mesos agents', count(mesos.agents.length, 'agent')],
          mesos.agents.map((m) => ({ host: m.host })),
        )
      : undefined;
  if (mesos && mesosMasters && zkTarget && mesosAgents) {
    talks(mesosAgents, zkTarget, `ZooKeeper ${ports(endpointPorts(mesos.zkUrl))}`);
    talks(mesosAgents, mesosMasters, `register ${masterPorts}`);
    talks(mesosMasters, mesosAgents, `tasks ${ports(mesos.agents.map((a) => a.port))}`);
  }

  const mt = plan.marathon;
  const marathon =
    mt &&
    group(
      [
        'Marathon',
        mt.members.length === 1
          ? '1 instance, no standby'
          : `${count(mt.members.length, 'instance')}: one leads, the others stand by`,
      ],
      mt.members.map((m) => ({ host: m.host, label: `http ${m.httpPort}` })),
    );
  if (mt && marathon && mesosMasters && zkTarget) {
    talks(marathon, zkTarget, `ZooKeeper ${ports(endpointPorts(mt.zkUrl))}`);
    talks(marathon, mesosMasters, `framework ${masterPorts}`);
  }
  const servicePorts = (mt?.apps ?? []).flatMap((a) =>
    (a.docker?.portMappings ?? []).flatMap((p) => (p.servicePort ? [p.servicePort] : [])),
  );
  const apps =
    mt && marathon && mt.apps.length > 0
      ? node('group', [
          'Marathon apps',
          ...mt.apps.map((a) => {
            const own = (a.docker?.portMappings ?? []).flatMap((p) => (p.servicePort ? [p.servicePort] : []));
            return `${a.id} ×${a.instances}${own.length > 0 ? `, service ${ports(own)}` : ''}`;
          }),
        ])
      : undefined;
  if (marathon && apps) talks(marathon, apps, 'deploys');

  const ed = plan.etcd;
  const etcd =
    ed &&
    group(
      ['etcd cluster', quorumLine(ed.quorum), ...(ed.quorum.even ? [EVEN_SIZE] : [])],
      ed.members.map((m) => ({ host: m.host })),
    );
  if (ed && etcd)
    peers(
      etcd,
      ed.members.length,
      `peer ${ed.peerScheme} ${ports(endpointPorts(ed.members.flatMap((m) => m.peerUrls)))}`,
    );

  const k8s = plan.kubernetes;
  const k8sMasters =
    k8s &&
    group(
      [
        k8s.flavor === 'mesos' ? 'Kubernetes masters, on Mesos' : 'Kubernetes masters',
        `${count(k8s.masters.length, 'apiserver')}, Kubernetes ${k8s.version}`,
        ...(k8s.flavor === 'mesos' ? [`k8sm scheduler on ${k8s.schedulerHosts.join(', ')}`] : []),
      ],
      k8s.masters.map((m) => ({ host: m.host })),
    );
  if (k8s && k8sMasters && etcd)
    talks(
      k8sMasters,
      etcd,
      `etcd ${k8s.etcdTls ? 'https' : 'http'} ${ports(endpointPorts(k8s.etcdServers))}`,
    );
  if (k8s?.flavor === 'mesos' && k8sMasters && mesos && mesosMasters && zkTarget) {
    talks(k8sMasters, zkTarget, `ZooKeeper ${ports(endpointPorts(mesos.zkUrl))}`);
    talks(k8sMasters, mesosMasters, `framework ${masterPorts}`);
  }

  const ha = plan.haproxy;
  const haproxy =
    ha &&
    group(
      ['HAProxy', count(ha.members.length, 'load balancer')],
      ha.members.map((m) => ({
        host: m.host,
        label: `frontend ${m.frontendPort}${ha.stats ? `, stats ${ha.stats.port}` : ''}`,
      })),
    );
  if (ha && haproxy && k8sMasters && ha.apiservers.length > 0)
    talks(
      haproxy,
      k8sMasters,
      `apiserver ${ports(ha.apiservers.map((s) => s.scheme))} ${ports(ha.apiservers.map((s) => s.port))}`,
    );
  // what haproxy-marathon-bridge did (k8sm-render bridge): read the apps, listen on their service ports
  if (ha && haproxy && mt && marathon) {
    talks(haproxy, marathon, `bridge reads /v2/apps ${ports(endpointPorts(mt.urls))}`);
    if (apps && servicePorts.length > 0) talks(haproxy, apps, `service ports ${ports(servicePorts)}`);
  }

  if (k8s && k8s.nodes.length > 0) {
    const k8sNodes = group(
      ['Kubernetes nodes', `${count(k8s.nodes.length, 'node')}: kubelet, kube-proxy`],
      k8s.nodes.map((n) => ({
        host: n.host,
        ...(n.podCidr === undefined ? {} : { label: `pods ${n.podCidr}` }),
      })),
    );
    // the nodes' one endpoint: the first HAProxy frontend when there is one, else the first apiserver
    const address = endpointAddress(k8s.apiserverEndpoint);
    const server =
      ha?.members.find((m) => m.address === address) ?? k8s.masters.find((m) => m.address === address);
    const target = server && hostIds.get(server.host);
    if (target)
      talks(
        k8sNodes,
        target,
        `apiserver ${k8s.apiserverEndpoint.split(':')[0]} ${ports(endpointPorts(k8s.apiserverEndpoint))}`,
      );
  }

  return { title: `k8sm cluster ${plan.name}`, nodes, edges };
}
