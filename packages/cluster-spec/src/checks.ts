import { DEFAULTS } from './defaults.js';
import type { Finding, Severity } from './findings.js';
import { closest } from './findings.js';
import { KUBE_FLAGS, type KubeComponent } from './kube-flags.js';
import type { Members } from './members.js';
import { MESOS_AGENT_FLAGS, MESOS_COMMON_FLAGS, MESOS_MASTER_FLAGS } from './mesos-flags.js';
import { type Cidr, cidrContains, cidrsOverlap, hasHostBits, ipv4ToInt, parseCidr } from './net.js';
import { describeQuorum, quorum } from './quorum.js';
import type { ClusterSpec, Component, Role } from './schema.js';
import { COMPONENTS } from './schema.js';
import type { SpecPath } from './source.js';
import { versionAtLeast } from './version.js';

/**
 * Every semantic check, by the id a spec uses to waive it. A check that guards something that
 * cannot work at all (a minority quorum, an id the daemon rejects) cannot be waived.
 */
export const CHECKS = {
  'duplicate-host-name': {
    waivable: false,
    about: 'two hosts share a name (each needs its own output tree)',
  },
  'duplicate-address': { waivable: true, about: 'two hosts with the same role share an address and port' },
  'port-clash': { waivable: true, about: 'two components claim one address:port' },
  'missing-section': { waivable: false, about: 'a role is used but its component section is missing' },
  'empty-ensemble': { waivable: false, about: 'a component section has no host with its role' },
  'missing-dependency': { waivable: false, about: 'a component needs another that the spec lacks' },
  'override-without-role': { waivable: true, about: 'a host overrides a component it does not run' },
  'even-ensemble': {
    waivable: true,
    about: 'an even-sized ensemble tolerates no more failures than one less',
  },
  'no-redundancy': { waivable: true, about: 'a one-member ensemble tolerates no failure' },
  'zookeeper-id': { waivable: false, about: 'ZooKeeper ids must be unique' },
  'zookeeper-docker-ids': {
    waivable: false,
    about: 'the docker image numbers servers by position in SERVERS',
  },
  'zookeeper-docker-ports': {
    waivable: false,
    about: 'the docker image hard-codes ports 2181, 2888 and 3888',
  },
  'quorum-not-majority': { waivable: false, about: 'a quorum below a majority allows two leaders' },
  'quorum-unreachable': { waivable: false, about: 'a quorum larger than the ensemble is never reached' },
  'quorum-above-majority': { waivable: true, about: 'a quorum above the majority tolerates fewer failures' },
  'cidr-host-bits': { waivable: true, about: 'a CIDR written with host bits set' },
  'cidr-overlap': { waivable: true, about: 'address ranges overlap each other or host addresses' },
  'cluster-dns': { waivable: false, about: 'the cluster DNS address must be a usable service address' },
  'etcd-tls-pki': { waivable: false, about: 'etcd TLS needs the PKI dir that `k8sm-render pki` fills' },
  'etcd-cluster-state': { waivable: false, about: 'some member has to start a new etcd cluster' },
  'k8sm-schedulers': {
    waivable: true,
    about: 'more than 2 k8sm schedulers with --ha: upstream recommends at most 2',
  },
  'scheduler-hosts': { waivable: false, about: 'kubernetes.scheduler.hosts must name k8s-master hosts' },
  'abac-policy': { waivable: false, about: 'ABAC authorization needs its policy, and a policy needs ABAC' },
  'kubernetes-tls-pki': {
    waivable: false,
    about: 'a TLS apiserver (standalone) needs the PKI dir that `k8sm-render pki` fills',
  },
  'etcd-v2-api': { waivable: false, about: 'podmaster and the k8sm scheduler need the etcd v2 API' },
  'storage-backend': { waivable: false, about: 'the apiserver storage backend must match the etcd version' },
  'apiserver-ports': { waivable: false, about: 'apiserver ports the version supports' },
  'marathon-app': { waivable: false, about: 'a Marathon app Marathon would refuse' },
  'unknown-flag': {
    waivable: true,
    about: 'a Mesos or Kubernetes flag the target version does not have (mesos-flags.ts, kube-flags.ts)',
  },
  'deprecated-flag': { waivable: true, about: 'a Mesos flag name that a newer name replaces' },
  'flag-value': {
    waivable: false,
    about: 'a boolean Mesos flag given a value, or a valued flag given true/false',
  },
  'derived-flag': { waivable: false, about: 'an extra flag would override a value k8sm derives and checks' },
} as const satisfies Record<string, { waivable: boolean; about: string }>;

export type CheckId = keyof typeof CHECKS;

type Emit = (check: CheckId, severity: Severity, path: SpecPath, message: string, fix?: string) => void;

const SECTION_OF_ROLE: Record<Role, Component> = {
  zookeeper: 'zookeeper',
  'mesos-master': 'mesos',
  'mesos-agent': 'mesos',
  marathon: 'marathon',
  etcd: 'etcd',
  'k8s-master': 'kubernetes',
  'k8s-node': 'kubernetes',
  haproxy: 'haproxy',
};

const ROLES_OF_SECTION: Record<Component, Role[]> = {
  zookeeper: ['zookeeper'],
  mesos: ['mesos-master', 'mesos-agent'],
  marathon: ['marathon'],
  etcd: ['etcd'],
  kubernetes: ['k8s-master', 'k8s-node'],
  haproxy: ['haproxy'],
};

/** All semantic findings of a schema-valid spec; none is dropped early, so all print at once. */
export function checkSpec(spec: ClusterSpec, members: Members): Finding[] {
  const findings: Finding[] = [];
  const emit: Emit = (check, severity, path, message, fix) =>
    findings.push({ severity, check, path, message, ...(fix === undefined ? {} : { fix }) });
  checkHosts(spec, emit);
  checkSections(spec, emit);
  checkEnsembles(spec, members, emit);
  checkZookeeperIds(spec, members, emit);
  checkMesosQuorum(spec, members, emit);
  checkPorts(spec, members, emit);
  checkRanges(spec, members, emit);
  checkVersions(spec, members, emit);
  checkEtcd(spec, members, emit);
  checkKubernetes(spec, members, emit);
  checkMarathonApps(spec, emit);
  checkExtraFlags(spec, emit);
  checkMesosFlags(spec, emit);
  checkKubeFlags(spec, emit);
  return findings;
}

function checkHosts(spec: ClusterSpec, emit: Emit): void {
  const seen = new Map<string, number>();
  spec.hosts.forEach((host, i) => {
    const key = host.name.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else
      emit(
        'duplicate-host-name',
        'error',
        ['hosts', i, 'name'],
        `host name "${host.name}" is already used by hosts[${first}]`,
        'give every host its own name (names are compared without case: they name output directories)',
      );
    const roles = new Set<string>();
    host.roles.forEach((role, r) => {
      if (roles.has(role))
        emit(
          'duplicate-host-name',
          'error',
          ['hosts', i, 'roles', r],
          `role "${role}" is listed twice`,
          'list each role once',
        );
      roles.add(role);
    });
    for (const component of COMPONENTS) {
      if (host[component] === undefined) continue;
      if (ROLES_OF_SECTION[component].some((role) => host.roles.includes(role))) continue;
      emit(
        'override-without-role',
        'error',
        ['hosts', i, component],
        `host "${host.name}" overrides ${component} settings but has no ${ROLES_OF_SECTION[component].join(' or ')} role`,
        `add the role to hosts[${i}].roles or remove hosts[${i}].${component}`,
      );
    }
  });
}

function checkSections(spec: ClusterSpec, emit: Emit): void {
  const hostsWith = (role: Role) => spec.hosts.filter((h) => h.roles.includes(role)).length;
  const missingReported = new Set<Component>();
  spec.hosts.forEach((host, i) => {
    host.roles.forEach((role, r) => {
      const section = SECTION_OF_ROLE[role];
      if (spec[section] !== undefined || missingReported.has(section)) return;
      missingReported.add(section);
      emit(
        'missing-section',
        'error',
        ['hosts', i, 'roles', r],
        `host "${host.name}" has role "${role}" but the spec has no "${section}" section`,
        `add a top-level "${section}" section with at least its "version"`,
      );
    });
  });
  for (const component of COMPONENTS) {
    if (spec[component] === undefined) continue;
    const roles = ROLES_OF_SECTION[component];
    if (roles.some((role) => hostsWith(role) > 0)) continue;
    emit(
      'empty-ensemble',
      'error',
      [component],
      `the "${component}" section is set but no host has the role ${roles.map((r) => `"${r}"`).join(' or ')}`,
      `add the role to the hosts that run ${component}, or remove the section`,
    );
  }
  const external = spec.mesos?.externalZookeeper !== undefined;
  const needs = (present: boolean, path: SpecPath, what: string, role: Role, why: string) => {
    if (!present || hostsWith(role) > 0 || (role === 'zookeeper' && external)) return;
    emit(
      'missing-dependency',
      'error',
      path,
      `${what} needs at least one "${role}" host: ${why}`,
      role === 'zookeeper'
        ? 'give the "zookeeper" role to the hosts that run it (and add its section), or name an ensemble k8sm does not manage in mesos.externalZookeeper'
        : `give the "${role}" role to the hosts that run it (and add its section)`,
    );
  };
  if (external && hostsWith('zookeeper') > 0)
    emit(
      'missing-dependency',
      'error',
      ['mesos', 'externalZookeeper'],
      'mesos.externalZookeeper names an ensemble, but hosts with the "zookeeper" role make another: which one Mesos uses would be a guess',
      'keep one: remove mesos.externalZookeeper, or the zookeeper role and section',
    );
  needs(
    hostsWith('mesos-master') > 0,
    ['mesos'],
    'Mesos masters',
    'zookeeper',
    'they elect a leader through ZooKeeper (/etc/mesos/zk)',
  );
  needs(
    hostsWith('mesos-agent') > 0,
    ['mesos'],
    'Mesos agents',
    'mesos-master',
    'they register with the masters',
  );
  needs(hostsWith('marathon') > 0, ['marathon'], 'Marathon', 'mesos-master', 'it is a Mesos framework');
  needs(
    hostsWith('marathon') > 0,
    ['marathon'],
    'Marathon',
    'zookeeper',
    'it keeps its state and elects its leader in ZooKeeper',
  );
  needs(
    spec.kubernetes !== undefined,
    ['kubernetes'],
    'Kubernetes',
    'etcd',
    'the apiserver stores everything in etcd',
  );
  needs(
    hostsWith('k8s-node') > 0,
    ['kubernetes'],
    'Kubernetes nodes',
    'k8s-master',
    'their kubelets register with the apiservers',
  );
  const onMesos = spec.kubernetes?.flavor === 'mesos';
  needs(
    onMesos,
    ['kubernetes', 'flavor'],
    'Kubernetes on Mesos',
    'mesos-master',
    'the k8sm scheduler is a Mesos framework',
  );
  needs(
    onMesos,
    ['kubernetes', 'flavor'],
    'Kubernetes on Mesos',
    'zookeeper',
    'the k8sm scheduler finds the Mesos leader through ZooKeeper',
  );
  if (hostsWith('haproxy') > 0 && hostsWith('k8s-master') === 0 && hostsWith('marathon') === 0)
    emit(
      'missing-dependency',
      'error',
      ['haproxy'],
      'HAProxy has nothing to balance: there is no "k8s-master" (apiservers) and no "marathon" (apps) host',
      'add the apiserver or Marathon hosts, or remove the haproxy role',
    );
}

function checkEnsembles(spec: ClusterSpec, members: Members, emit: Emit): void {
  const ensembles: [string, Component, number][] = [
    ['ZooKeeper ensemble', 'zookeeper', members.zookeeper.length],
    ['etcd cluster', 'etcd', members.etcd.length],
    ['Mesos master set', 'mesos', members.mesosMasters.length],
  ];
  for (const [what, section, size] of ensembles) {
    if (size === 0 || spec[section] === undefined) continue;
    const q = quorum(size);
    if (size === 1)
      emit(
        'no-redundancy',
        'warning',
        [section],
        `the ${what} has 1 member: it tolerates no failure`,
        `run 3 members for high availability, or waive "no-redundancy" with a reason`,
      );
    else if (q.even)
      emit(
        'even-ensemble',
        'warning',
        [section],
        `the ${what} has ${describeQuorum(q)}`,
        `run ${size - 1} or ${size + 1} members, or waive "even-ensemble" with a reason`,
      );
  }
}

function checkZookeeperIds(spec: ClusterSpec, members: Members, emit: Emit): void {
  const zk = spec.zookeeper;
  if (!zk) return;
  const byId = new Map<number, string>();
  for (const m of members.zookeeper) {
    const other = byId.get(m.id);
    if (other !== undefined)
      emit(
        'zookeeper-id',
        'error',
        ['hosts', m.hostIndex, 'zookeeper', 'id'],
        `ZooKeeper id ${m.id} of host "${m.host}" is already the id of host "${other}"`,
        'give each member its own id from 1 to 255 (or remove the ids and let k8sm number the members)',
      );
    else byId.set(m.id, m.host);
  }
  if ((zk.runtime ?? DEFAULTS.zookeeper.runtime) === 'docker') {
    const ids = members.zookeeper.map((m) => m.id);
    const contiguous = ids.every((id, i) => id === i + 1);
    // Blame the override that leaves 1..n: that is the line the operator has to change.
    const culprit = members.zookeeper.find(
      (m) => m.id > ids.length && spec.hosts[m.hostIndex]?.zookeeper?.id !== undefined,
    );
    if (!contiguous)
      emit(
        'zookeeper-docker-ids',
        'error',
        culprit ? ['hosts', culprit.hostIndex, 'zookeeper', 'id'] : ['zookeeper', 'runtime'],
        `with the docker runtime the image writes server.<position in SERVERS>, so ids must be 1..${ids.length}; got ${ids.join(', ')}${culprit ? ` (host "${culprit.host}" has ${culprit.id})` : ''}`,
        'remove the per-host zookeeper.id overrides, or use the package runtime',
      );
    // mesoscloud/zookeeper's entrypoint writes clientPort=2181 and server.N=<addr>:2888:3888.
    const d = DEFAULTS.zookeeper;
    for (const m of members.zookeeper) {
      const ports: [string, number, number][] = [
        ['clientPort', m.clientPort, d.clientPort],
        ['peerPort', m.peerPort, d.peerPort],
        ['electionPort', m.electionPort, d.electionPort],
      ];
      for (const [key, port, fixed] of ports)
        if (port !== fixed)
          emit(
            'zookeeper-docker-ports',
            'error',
            settingPath(spec, m.hostIndex, 'zookeeper', [key]),
            `host "${m.host}": zookeeper.${key} ${port} cannot be honoured by the docker runtime, whose image always uses ${fixed}`,
            `remove zookeeper.${key}, or use the package runtime`,
          );
    }
  }
}

function checkMesosQuorum(spec: ClusterSpec, members: Members, emit: Emit): void {
  const override = spec.mesos?.quorum;
  const masters = members.mesosMasters.length;
  if (override === undefined || masters === 0) return;
  const q = quorum(masters);
  const path = ['mesos', 'quorum'];
  if (override > masters)
    emit(
      'quorum-unreachable',
      'error',
      path,
      `mesos.quorum ${override} is more than the ${masters} mesos-master hosts: the registry could never be written`,
      `use ${q.majority} (a majority of ${masters}) or remove the key`,
    );
  else if (override < q.majority)
    emit(
      'quorum-not-majority',
      'error',
      path,
      `mesos.quorum ${override} is not a majority of ${masters} masters: two partitions could each elect a leader and the replicated log would diverge`,
      `use ${q.majority} (floor(${masters}/2)+1) or remove the key to get it computed`,
    );
  else if (override > q.majority)
    emit(
      'quorum-above-majority',
      'warning',
      path,
      `mesos.quorum ${override} of ${masters} masters tolerates ${masters - override} failure(s); the majority ${q.majority} tolerates ${q.tolerates}`,
      `use ${q.majority} or remove the key`,
    );
}

interface PortClaim {
  /** the host's own address: hosts that share one are one machine */
  readonly machine: string;
  /** the address the daemon binds, or `*` for all of the machine's addresses */
  readonly bind: string;
  readonly port: number;
  readonly host: string;
  readonly component: Component;
  readonly what: string;
  /** the spec key that sets the port, as the operator would change it */
  readonly setting: string;
  readonly path: SpecPath;
}

/** Path of a setting: the host's own section when it sets it, else the cluster section. */
function settingPath(spec: ClusterSpec, hostIndex: number, component: Component, keys: string[]): SpecPath {
  let own: unknown = spec.hosts[hostIndex]?.[component];
  for (const key of keys)
    own = own && typeof own === 'object' ? (own as Record<string, unknown>)[key] : undefined;
  return own === undefined ? [component, ...keys] : ['hosts', hostIndex, component, ...keys];
}

function portClaims(spec: ClusterSpec, members: Members): PortClaim[] {
  const claims: PortClaim[] = [];
  const claim = (
    m: { host: string; address: string; hostIndex: number },
    component: Component,
    keys: string[],
    port: number,
    what: string,
    bind = m.address,
  ) =>
    claims.push({
      machine: m.address,
      bind,
      port,
      host: m.host,
      component,
      what,
      setting: `${component}.${keys.join('.')}`,
      path: settingPath(spec, m.hostIndex, component, keys),
    });
  for (const m of members.zookeeper) {
    // ZooKeeper binds its client port and AdminServer on every address unless told one.
    claim(m, 'zookeeper', ['clientPort'], m.clientPort, 'ZooKeeper client port', m.clientPortAddress ?? '*');
    claim(m, 'zookeeper', ['peerPort'], m.peerPort, 'ZooKeeper peer port');
    claim(m, 'zookeeper', ['electionPort'], m.electionPort, 'ZooKeeper election port');
    if (m.adminServer.enabled)
      claim(
        m,
        'zookeeper',
        ['adminServer', 'port'],
        m.adminServer.port,
        'ZooKeeper AdminServer',
        m.adminServer.address ?? '*',
      );
  }
  for (const m of members.mesosMasters) claim(m, 'mesos', ['port'], m.port, 'Mesos master');
  for (const m of members.mesosAgents) claim(m, 'mesos', ['agent', 'port'], m.port, 'Mesos agent');
  // Marathon without --http_address, the apiserver, the kubelet and an HAProxy `bind *:port` listen on all addresses.
  for (const m of members.marathon) claim(m, 'marathon', ['httpPort'], m.httpPort, 'Marathon HTTP', '*');
  const legacy = spec.etcd?.legacyPorts === true;
  for (const m of members.etcd) {
    claim(m, 'etcd', ['clientPort'], m.clientPort, 'etcd client port');
    claim(m, 'etcd', ['peerPort'], m.peerPort, 'etcd peer port');
    if (legacy) {
      claim(m, 'etcd', ['legacyPorts'], DEFAULTS.etcd.legacyClientPort, 'etcd legacy client port 4001');
      claim(m, 'etcd', ['legacyPorts'], DEFAULTS.etcd.legacyPeerPort, 'etcd legacy peer port 7001');
    }
  }
  const api = spec.kubernetes?.apiserver;
  const securePort = api?.securePort ?? DEFAULTS.kubernetes.apiserver.securePort;
  for (const m of members.k8sMasters) {
    if (securePort > 0)
      claim(m, 'kubernetes', ['apiserver', 'securePort'], securePort, 'kube-apiserver secure port', '*');
    if (api?.insecurePort !== undefined)
      claim(
        m,
        'kubernetes',
        ['apiserver', 'insecurePort'],
        api.insecurePort,
        'kube-apiserver insecure port',
        '*',
      );
  }
  for (const m of members.k8sNodes)
    claim(m, 'kubernetes', [], DEFAULTS.kubernetes.kubeletPort, 'kubelet (10250)', '*');
  for (const m of members.haproxy) {
    claim(m, 'haproxy', ['frontendPort'], m.frontendPort, 'HAProxy frontend', '*');
    const stats = spec.haproxy?.stats;
    if (stats)
      claim(m, 'haproxy', ['stats', 'port'], stats.port, 'HAProxy stats', stats.address ?? '127.0.0.1');
  }
  return claims;
}

function checkPorts(spec: ClusterSpec, members: Members, emit: Emit): void {
  // Per machine and port; two claims clash when they bind the same address or either binds all.
  const owners = new Map<string, PortClaim[]>();
  // Clashes are grouped so that one cause gives one finding: a cluster-wide setting that clashes
  // on every master, or two hosts that share an address and every port of a component.
  const groups = new Map<
    string,
    { check: CheckId; first: PortClaim; claim: PortClaim; where: Set<string>; ports: Set<number> }
  >();
  for (const claim of portClaims(spec, members)) {
    const key = `${claim.machine}:${claim.port}`;
    const earlier = owners.get(key) ?? [];
    const first = earlier.find((c) => c.bind === claim.bind || c.bind === '*' || claim.bind === '*');
    owners.set(key, [...earlier, claim]);
    if (!first) continue;
    if (first.host === claim.host && first.what === claim.what) continue; // one setting, claimed once
    const sameHost = first.host === claim.host;
    const check: CheckId =
      !sameHost && first.component === claim.component ? 'duplicate-address' : 'port-clash';
    const groupKey =
      check === 'duplicate-address'
        ? `${check}|${claim.machine}|${first.host}|${claim.host}|${claim.component}`
        : `${check}|${first.setting}|${claim.setting}|${claim.port}|${sameHost}|${JSON.stringify(claim.path)}`;
    const group = groups.get(groupKey) ?? {
      check,
      first,
      claim,
      where: new Set<string>(),
      ports: new Set<number>(),
    };
    group.where.add(sameHost ? claim.host : `${first.host}+${claim.host}`);
    group.ports.add(claim.port);
    groups.set(groupKey, group);
  }
  for (const { check, first, claim, where, ports } of groups.values()) {
    const adminServer = [first.what, claim.what].includes('ZooKeeper AdminServer');
    const turnOff = adminServer ? ', or turn the AdminServer off (zookeeper.adminServer.enabled: false)' : '';
    if (check === 'duplicate-address') {
      emit(
        check,
        'error',
        ['hosts', hostIndexOf(spec, claim.host), 'address'],
        `hosts "${first.host}" and "${claim.host}" both run ${claim.component} on ${claim.machine}, on the same ports (${[...ports].join(', ')})`,
        `give each host its own address, or other ports in one host's own "${claim.component}" section${turnOff}`,
      );
      continue;
    }
    const hosts = [...where].map((h) => `"${h}"`).join(', ');
    const on =
      first.host === claim.host
        ? `on host${where.size > 1 ? 's' : ''} ${hosts}`
        : `by hosts "${first.host}" and "${claim.host}" at ${claim.machine}`;
    const settings = [...new Set([first.setting, claim.setting])].filter((x) => !x.endsWith('.'));
    emit(
      check,
      'error',
      claim.path,
      `port ${claim.port} is claimed twice ${on}: ${first.what} (${first.setting}) and ${claim.what} (${claim.setting})`,
      `change ${settings.join(' or ')} (for all hosts or in one host's own section)${turnOff}`,
    );
  }
}

function hostIndexOf(spec: ClusterSpec, name: string): number {
  return spec.hosts.findIndex((h) => h.name === name);
}

function checkRanges(spec: ClusterSpec, members: Members, emit: Emit): void {
  const k8s = spec.kubernetes;
  if (!k8s) return;
  const named: { cidr: Cidr; label: string; path: SpecPath }[] = [];
  const add = (text: string | undefined, label: string, path: SpecPath) => {
    const cidr = text === undefined ? undefined : parseCidr(text);
    if (!cidr) return;
    if (hasHostBits(cidr))
      emit(
        'cidr-host-bits',
        'error',
        path,
        `${label} ${cidr.text} has host bits set: the range it means is ${cidr.network}/${cidr.prefix}`,
        `write ${cidr.network}/${cidr.prefix}`,
      );
    named.push({ cidr, label, path });
  };
  const serviceText = k8s.serviceClusterIpRange ?? DEFAULTS.kubernetes.serviceClusterIpRange;
  add(
    serviceText,
    'the service range',
    k8s.serviceClusterIpRange ? ['kubernetes', 'serviceClusterIpRange'] : ['kubernetes'],
  );
  add(k8s.clusterCidr, 'the cluster pod range', ['kubernetes', 'clusterCidr']);
  const service = named[0];
  const cluster = named.find((n) => n.label === 'the cluster pod range');
  const podRanges = members.k8sNodes.flatMap((m) =>
    m.podCidr === undefined
      ? []
      : [{ text: m.podCidr, host: m.host, path: ['hosts', m.hostIndex, 'kubernetes', 'podCidr'] }],
  );
  for (const pod of podRanges) add(pod.text, `the pod range of host "${pod.host}"`, pod.path);

  // Pairwise overlap by sweep over ranges sorted by start: O(n log n) for thousands of nodes.
  const sorted = [...named].sort((a, b) => a.cidr.first - b.cidr.first || b.cidr.last - a.cidr.last);
  const open: typeof named = [];
  for (const range of sorted) {
    for (let i = open.length - 1; i >= 0; i--)
      if ((open[i]?.cidr.last ?? -1) < range.cidr.first) open.splice(i, 1);
    for (const other of open) {
      if (!cidrsOverlap(other.cidr, range.cidr)) continue;
      const nested = other === cluster || range === cluster;
      if (nested && range !== service && other !== service) continue; // pod ranges belong inside the cluster range
      emit(
        'cidr-overlap',
        'error',
        range.path,
        `${range.label} ${range.cidr.text} overlaps ${other.label} ${other.cidr.text}`,
        'give each range its own addresses: services, pods and hosts must not share any',
      );
    }
    open.push(range);
  }
  if (cluster)
    for (const pod of named.filter((n) => n !== service && n !== cluster))
      if (pod.cidr.first < cluster.cidr.first || pod.cidr.last > cluster.cidr.last)
        emit(
          'cidr-overlap',
          'error',
          pod.path,
          `${pod.label} ${pod.cidr.text} is outside the cluster pod range ${cluster.cidr.text}`,
          'pick a node range inside kubernetes.clusterCidr, or widen clusterCidr',
        );
  spec.hosts.forEach((host, i) => {
    const address = ipv4ToInt(host.address);
    for (const range of named)
      if (address >= range.cidr.first && address <= range.cidr.last)
        emit(
          'cidr-overlap',
          'error',
          ['hosts', i, 'address'],
          `host "${host.name}" (${host.address}) lies inside ${range.label} ${range.cidr.text}: traffic to it would be routed to pods or services`,
          `move ${range.label} (${formatPathShort(range.path)}) away from the host network`,
        );
  });
  if (k8s.clusterDns !== undefined && service) {
    const dns = ipv4ToInt(k8s.clusterDns);
    const path = ['kubernetes', 'clusterDns'];
    if (!cidrContains(service.cidr, k8s.clusterDns))
      emit(
        'cluster-dns',
        'error',
        path,
        `clusterDns ${k8s.clusterDns} is outside the service range ${service.cidr.text}`,
        `pick an address inside ${service.cidr.text}, e.g. the tenth`,
      );
    else if (dns === service.cidr.first || dns === service.cidr.last)
      emit(
        'cluster-dns',
        'error',
        path,
        `clusterDns ${k8s.clusterDns} is the network or broadcast address of ${service.cidr.text}`,
        'pick a host address inside the range, e.g. the tenth',
      );
    else if (dns === service.cidr.first + 1)
      emit(
        'cluster-dns',
        'error',
        path,
        `clusterDns ${k8s.clusterDns} is the first service address, which the apiserver gives to the "kubernetes" service`,
        'pick another address inside the range, e.g. the tenth',
      );
  }
}

function formatPathShort(path: SpecPath): string {
  return path
    .map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`))
    .join('')
    .replace(/^\./, '');
}

function checkEtcd(spec: ClusterSpec, members: Members, emit: Emit): void {
  const etcd = spec.etcd;
  if (!etcd || members.etcd.length === 0) return;
  const tls = etcd.tls;
  if ((tls?.client || tls?.peer) && tls.pkiDir === undefined)
    emit(
      'etcd-tls-pki',
      'error',
      ['etcd', 'tls'],
      'etcd TLS is on but etcd.tls.pkiDir names no PKI dir to take the certificates from',
      'set etcd.tls.pkiDir (e.g. "pki"), then run `k8sm-render pki <spec>` to create the CA and certificates there',
    );
  // "existing" joins a running cluster (after `etcdctl member add`); with no "new" member
  // nobody bootstraps, and every member waits for a cluster that does not exist.
  if (members.etcd.every((m) => m.initialClusterState === 'existing')) {
    const perHost = members.etcd.find((m) => spec.hosts[m.hostIndex]?.etcd?.initialClusterState);
    emit(
      'etcd-cluster-state',
      'error',
      etcd.initialClusterState === 'existing' || !perHost
        ? ['etcd', 'initialClusterState']
        : ['hosts', perHost.hostIndex, 'etcd', 'initialClusterState'],
      `every etcd member has initialClusterState "existing" (join a running cluster), so none starts one: the ${members.etcd.length} members would wait for each other forever`,
      'for a new cluster use "new" (the default); give "existing" only to a member added with `etcdctl member add` to a running cluster',
    );
  }
}

function checkKubernetes(spec: ClusterSpec, members: Members, emit: Emit): void {
  const k8s = spec.kubernetes;
  if (!k8s || members.k8sMasters.length === 0) return;
  const masters = new Set(members.k8sMasters.map((m) => m.host));
  k8s.scheduler?.hosts?.forEach((name, i) => {
    if (!masters.has(name))
      emit(
        'scheduler-hosts',
        'error',
        ['kubernetes', 'scheduler', 'hosts', i],
        `"${name}" is not a host with the "k8s-master" role`,
        `name k8s-master hosts: ${[...masters].join(', ')}`,
      );
  });
  const schedulers = k8s.scheduler?.hosts?.length ?? members.k8sMasters.length;
  if (k8s.flavor === 'mesos' && schedulers > 2)
    emit(
      'k8sm-schedulers',
      'warning',
      k8s.scheduler?.hosts ? ['kubernetes', 'scheduler', 'hosts'] : ['kubernetes', 'scheduler'],
      `${schedulers} k8sm schedulers would run with --ha; upstream recommends at most 2 ("more may work but has not been extensively tested", kube-mesos-framework docs/ha.md)`,
      `choose two masters in kubernetes.scheduler.hosts, or waive "k8sm-schedulers" with a reason`,
    );
  const abac = k8s.authorization?.includes('ABAC') ?? false;
  if (abac && !k8s.abacPolicy)
    emit(
      'abac-policy',
      'error',
      ['kubernetes', 'authorization'],
      'ABAC authorization without kubernetes.abacPolicy: the apiserver would refuse every request',
      'add kubernetes.abacPolicy rules, e.g. [{"user": "admin", "namespace": "*", "resource": "*", "apiGroup": "*"}]',
    );
  if (!abac && k8s.abacPolicy)
    emit(
      'abac-policy',
      'error',
      ['kubernetes', 'abacPolicy'],
      'kubernetes.abacPolicy is set but authorization does not include ABAC: the policy would be ignored',
      'add "ABAC" to kubernetes.authorization, or remove abacPolicy',
    );
  const securePort = k8s.apiserver?.securePort ?? DEFAULTS.kubernetes.apiserver.securePort;
  if (k8s.flavor === 'standalone' && securePort > 0 && k8s.pkiDir === undefined)
    emit(
      'kubernetes-tls-pki',
      'error',
      ['kubernetes'],
      `the apiserver serves TLS on ${securePort} but kubernetes.pkiDir names no PKI dir for its certificates`,
      'set kubernetes.pkiDir (e.g. "pki"), then run `k8sm-render pki <spec>` to create the CA and certificates there',
    );
}

function checkVersions(spec: ClusterSpec, members: Members, emit: Emit): void {
  const { etcd, kubernetes: k8s } = spec;
  if (etcd) {
    const v3_6 = versionAtLeast(etcd.version, '3.6');
    if (etcd.enableV2 === true && v3_6)
      emit(
        'etcd-v2-api',
        'error',
        ['etcd', 'enableV2'],
        `etcd ${etcd.version} has no v2 API (removed in 3.6)`,
        'run etcd 3.5 or older, or remove etcd.enableV2',
      );
    if (k8s?.flavor === 'mesos') {
      if (v3_6)
        emit(
          'etcd-v2-api',
          'error',
          ['etcd', 'version'],
          `Kubernetes on Mesos (kubernetes.flavor "mesos": podmaster and the k8sm scheduler --ha) needs the etcd v2 API, which etcd ${etcd.version} no longer has (removed in 3.6)`,
          'run etcd 3.5 or older (k8sm renders --enable-v2 for 3.4–3.5)',
        );
      else if (etcd.enableV2 === false && versionAtLeast(etcd.version, '3.0'))
        emit(
          'etcd-v2-api',
          'error',
          ['etcd', 'enableV2'],
          'etcd.enableV2 is false but Kubernetes on Mesos (podmaster, the k8sm scheduler) talks to etcd through the v2 API',
          'remove etcd.enableV2 (k8sm turns it on when needed)',
        );
    }
  }
  // The etcd2 storage backend was deprecated in 1.9 and removed in 1.13 (kubernetes/kubernetes#69310).
  if (k8s && etcd && members.k8sMasters.length > 0) {
    const etcd2 = !versionAtLeast(etcd.version, '3.0');
    if (etcd2 && versionAtLeast(k8s.version, '1.13'))
      emit(
        'storage-backend',
        'error',
        ['etcd', 'version'],
        `Kubernetes ${k8s.version} cannot use etcd ${etcd.version}: the etcd2 storage backend was removed in Kubernetes 1.13`,
        'run etcd 3.x',
      );
    else if (etcd2 && k8s.storageBackend === 'etcd3')
      emit(
        'storage-backend',
        'error',
        ['kubernetes', 'storageBackend'],
        `storageBackend "etcd3" needs etcd 3.x; etcd is ${etcd.version}`,
        'use "etcd2" or remove the key (k8sm picks etcd2 for etcd 2.x)',
      );
    else if (!etcd2 && k8s.storageBackend === 'etcd2' && versionAtLeast(k8s.version, '1.13'))
      emit(
        'storage-backend',
        'error',
        ['kubernetes', 'storageBackend'],
        `Kubernetes ${k8s.version} has no etcd2 storage backend (removed in 1.13)`,
        'use "etcd3" or remove the key',
      );
  }
  if (k8s) {
    const api = k8s.apiserver;
    // --insecure-port must be 0 from 1.20 (kubernetes/kubernetes#95856); the flag is gone in 1.24.
    if (api?.insecurePort !== undefined && versionAtLeast(k8s.version, '1.20'))
      emit(
        'apiserver-ports',
        'error',
        ['kubernetes', 'apiserver', 'insecurePort'],
        `Kubernetes ${k8s.version} has no insecure apiserver port (it must be 0 from 1.20; the flags are gone in 1.24)`,
        'remove kubernetes.apiserver.insecurePort and use the secure port',
      );
    if (api?.securePort === 0 && api.insecurePort === undefined)
      emit(
        'apiserver-ports',
        'error',
        ['kubernetes', 'apiserver', 'securePort'],
        'securePort 0 with no insecurePort leaves the apiserver listening on no port',
        'set a securePort (6443) or an insecurePort',
      );
  }
}

/** Waivers: apply those that are allowed, and report those that are not or match nothing. */
export interface Waiver {
  readonly check: CheckId;
  readonly reason: string;
  /** the findings the waiver silenced */
  readonly findings: readonly Finding[];
}

export function applyWaivers(
  spec: ClusterSpec,
  findings: readonly Finding[],
): { findings: Finding[]; waived: Waiver[] } {
  const waive = spec.waive ?? {};
  const out: Finding[] = [];
  const waived = new Map<CheckId, Finding[]>();
  const ids = Object.keys(CHECKS);
  for (const [check, reason] of Object.entries(waive)) {
    if (!Object.hasOwn(CHECKS, check)) {
      const near = closest(check, ids);
      out.push({
        severity: 'error',
        check: 'schema',
        path: ['waive', check],
        message: `there is no check "${check}" to waive`,
        fix: `${near ? `did you mean "${near}"? ` : ''}checks that can be waived: ${ids.filter((id) => CHECKS[id as CheckId].waivable).join(', ')}`,
      });
      continue;
    }
    const id = check as CheckId;
    if (!CHECKS[id].waivable) {
      out.push({
        severity: 'error',
        check: 'schema',
        path: ['waive', check],
        message: `"${check}" cannot be waived: ${CHECKS[id].about}; the result could not work`,
        fix: `fix the spec and remove waive.${check} (reason given: ${JSON.stringify(reason)})`,
      });
      continue;
    }
    waived.set(id, []);
  }
  for (const finding of findings) {
    const bucket = waived.get(finding.check as CheckId);
    if (bucket) bucket.push(finding);
    else out.push(finding);
  }
  for (const [check, silenced] of waived)
    if (silenced.length === 0)
      out.push({
        severity: 'warning',
        check: 'schema',
        path: ['waive', check],
        message: `waiver of "${check}" matches nothing in this spec`,
        fix: `remove waive.${check}`,
      });
  return {
    findings: out,
    waived: [...waived].map(([check, silenced]) => ({
      check,
      reason: waive[check] ?? '',
      findings: silenced,
    })),
  };
}

function checkMarathonApps(spec: ClusterSpec, emit: Emit): void {
  const seen = new Map<string, number>();
  spec.marathon?.apps?.forEach((app, i) => {
    const path = ['marathon', 'apps', i];
    const first = seen.get(app.id);
    if (first !== undefined)
      emit(
        'marathon-app',
        'error',
        [...path, 'id'],
        `app id "${app.id}" is already used by marathon.apps[${first}]`,
        'give every app its own id',
      );
    seen.set(app.id, i);
    if (app.cmd === undefined && app.docker === undefined)
      emit(
        'marathon-app',
        'error',
        path,
        `app "${app.id}" has neither "cmd" nor "docker"`,
        'give a command to run, a docker image, or both',
      );
    const ports = app.docker?.portMappings?.length ?? 0;
    app.healthChecks?.forEach((check, h) => {
      const at = [...path, 'healthChecks', h];
      if (check.protocol === 'COMMAND' && check.command === undefined)
        emit('marathon-app', 'error', at, 'a COMMAND health check needs "command"', 'add the command to run');
      if (check.protocol !== 'COMMAND' && app.docker && (check.portIndex ?? 0) >= Math.max(ports, 1))
        emit(
          'marathon-app',
          'error',
          at,
          `portIndex ${check.portIndex ?? 0} points past the app's ${ports} port mapping(s)`,
          'point portIndex at one of docker.portMappings (0-based)',
        );
    });
  });
}

/** Extra flags may not replace what k8sm computes (and checks): say which spec key sets it. */
const DERIVED_FLAGS: Record<'master' | 'agent' | 'marathon', Record<string, string>> = {
  master: {
    quorum: 'mesos.quorum',
    zk: 'the zookeeper hosts or mesos.externalZookeeper',
    ip: 'hosts[].address',
    hostname: 'hosts[].address',
    work_dir: 'mesos.workDir',
    log_dir: 'mesos.logDir',
    cluster: 'mesos.cluster',
    port: 'mesos.port',
  },
  agent: {
    master: 'the zookeeper hosts or mesos.externalZookeeper',
    ip: 'hosts[].address',
    hostname: 'hosts[].address',
    work_dir: 'mesos.agent.workDir',
    log_dir: 'mesos.logDir',
    port: 'mesos.agent.port',
    containerizers: 'mesos.agent.containerizers',
    isolation: 'mesos.agent.isolation',
    executor_registration_timeout: 'mesos.agent.executorRegistrationTimeout',
    switch_user: 'mesos.agent.switchUser',
    attributes: 'mesos.agent.attributes',
    resources: 'mesos.agent.resources',
  },
  marathon: {
    master: 'the Mesos masters',
    zk: 'the zookeeper hosts and marathon.zkPath',
    hostname: 'hosts[].address',
    http_port: 'marathon.httpPort',
  },
};

function checkExtraFlags(spec: ClusterSpec, emit: Emit): void {
  const check = (
    flags: Record<string, unknown> | undefined,
    kind: keyof typeof DERIVED_FLAGS,
    path: SpecPath,
  ) => {
    for (const flag of Object.keys(flags ?? {})) {
      const owner = Object.hasOwn(DERIVED_FLAGS[kind], flag) ? DERIVED_FLAGS[kind][flag] : undefined;
      if (owner)
        emit(
          'derived-flag',
          'error',
          [...path, flag],
          `--${flag} is derived by k8sm (from ${owner}); an extra flag would bypass its checks`,
          `remove ${flag} from the flags and set ${owner} instead`,
        );
    }
  };
  check(spec.mesos?.master?.flags, 'master', ['mesos', 'master', 'flags']);
  check(spec.mesos?.agent?.flags, 'agent', ['mesos', 'agent', 'flags']);
  check(spec.marathon?.flags, 'marathon', ['marathon', 'flags']);
  spec.hosts.forEach((host, i) => {
    check(host.mesos?.master?.flags, 'master', ['hosts', i, 'mesos', 'master', 'flags']);
    check(host.mesos?.agent?.flags, 'agent', ['hosts', i, 'mesos', 'agent', 'flags']);
    check(host.marathon?.flags, 'marathon', ['hosts', i, 'marathon', 'flags']);
  });
}

const MESOS_FLAGS = {
  master: new Map([...MESOS_COMMON_FLAGS, ...MESOS_MASTER_FLAGS].map((f) => [f.name, f])),
  agent: new Map([...MESOS_COMMON_FLAGS, ...MESOS_AGENT_FLAGS].map((f) => [f.name, f])),
};

/** Extra Mesos flags against the flag table of the target version. */
function checkMesosFlags(spec: ClusterSpec, emit: Emit): void {
  const mesos = spec.mesos;
  if (!mesos) return;
  const version = mesos.version;
  const check = (flags: Record<string, unknown> | undefined, kind: 'master' | 'agent', path: SpecPath) => {
    const table = MESOS_FLAGS[kind];
    const binary = kind === 'master' ? 'mesos-master' : 'mesos-agent';
    for (const [name, value] of Object.entries(flags ?? {})) {
      const at = [...path, name];
      const flag = table.get(name);
      if (!flag) {
        const near = closest(name, [...table.keys()]);
        emit(
          'unknown-flag',
          'error',
          at,
          `--${name} is not a ${binary} flag (Mesos ${version} would refuse to start)`,
          near
            ? `did you mean "${near}"? (a flag of your own build: waive "unknown-flag" with a reason)`
            : `remove it, or waive "unknown-flag" with a reason if your build has it`,
        );
        continue;
      }
      if (flag.since && !versionAtLeast(version, flag.since))
        emit(
          'unknown-flag',
          'error',
          at,
          `--${name} is new in Mesos ${flag.since}; ${binary} ${version} does not have it`,
          `run Mesos ${flag.since} or later, or remove the flag`,
        );
      else if (flag.removed && versionAtLeast(version, flag.removed))
        emit(
          'unknown-flag',
          'error',
          at,
          `--${name} was removed in Mesos ${flag.removed}; ${binary} ${version} would refuse it`,
          'remove the flag',
        );
      else if (flag.use) {
        const replacement = table.get(flag.use);
        if (!replacement?.since || versionAtLeast(version, replacement.since))
          emit(
            'deprecated-flag',
            'warning',
            at,
            `--${name} is deprecated in Mesos ${version}: its name is now --${flag.use}`,
            `rename it to ${flag.use}`,
          );
      }
      if (flag.boolean && typeof value !== 'boolean')
        emit(
          'flag-value',
          'error',
          at,
          `--${name} is a boolean flag: Mesos takes it bare or negated, not with ${JSON.stringify(value)}`,
          `write true or false (without quotes): k8sm renders ?${name} or ?no-${name}`,
        );
      else if (!flag.boolean && typeof value === 'boolean')
        emit(
          'flag-value',
          'error',
          at,
          `--${name} takes a value; true/false would render a bare --${name}, which Mesos refuses`,
          `give ${name} its value`,
        );
    }
  };
  check(mesos.master?.flags, 'master', ['mesos', 'master', 'flags']);
  check(mesos.agent?.flags, 'agent', ['mesos', 'agent', 'flags']);
  spec.hosts.forEach((host, i) => {
    check(host.mesos?.master?.flags, 'master', ['hosts', i, 'mesos', 'master', 'flags']);
    check(host.mesos?.agent?.flags, 'agent', ['hosts', i, 'mesos', 'agent', 'flags']);
  });
}

const KUBE_BINARY: Record<KubeComponent, string> = {
  apiserver: 'kube-apiserver',
  controllerManager: 'kube-controller-manager',
  scheduler: 'kube-scheduler',
  kubelet: 'kubelet',
  proxy: 'kube-proxy',
};

/** Flags the Kubernetes renderers derive from the spec: an extra arg may not replace them. */
const DERIVED_KUBE_FLAGS: Record<KubeComponent, Record<string, string>> = {
  apiserver: {
    'etcd-servers': 'the etcd hosts',
    'service-cluster-ip-range': 'kubernetes.serviceClusterIpRange',
    'secure-port': 'kubernetes.apiserver.securePort',
    'insecure-port': 'kubernetes.apiserver.insecurePort',
    'bind-address': 'hosts[].address',
    'advertise-address': 'hosts[].address',
    'authorization-mode': 'kubernetes.authorization',
    'authorization-policy-file': 'kubernetes.abacPolicy',
    'apiserver-count': 'the k8s-master hosts',
    'storage-backend': 'kubernetes.storageBackend',
  },
  controllerManager: { master: 'the local apiserver', 'leader-elect': 'kubernetes.leaderElection' },
  scheduler: { master: 'the local apiserver', 'leader-elect': 'kubernetes.leaderElection' },
  kubelet: {
    'api-servers': 'the apiserver hosts',
    kubeconfig: 'the PKI and the apiserver endpoint',
    'hostname-override': 'hosts[].name',
    'cluster-dns': 'kubernetes.clusterDns',
    'cluster-domain': 'kubernetes.clusterDomain',
    'pod-infra-container-image': 'kubernetes.podInfraImage',
    'kube-reserved': 'kubernetes.kubeReserved',
  },
  proxy: { kubeconfig: 'the PKI and the apiserver endpoint', 'proxy-mode': 'kubernetes.proxyMode' },
};

/** kubernetes.extraArgs against the flag table of the target version. */
function checkKubeFlags(spec: ClusterSpec, emit: Emit): void {
  const k8s = spec.kubernetes;
  if (!k8s?.extraArgs) return;
  const version = k8s.version;
  for (const [component, flags] of Object.entries(k8s.extraArgs) as [
    KubeComponent,
    Record<string, unknown>,
  ][]) {
    const table = KUBE_FLAGS[component];
    const binary = KUBE_BINARY[component];
    for (const name of Object.keys(flags ?? {})) {
      const at: SpecPath = ['kubernetes', 'extraArgs', component, name];
      const flag = table.get(name);
      const owner = Object.hasOwn(DERIVED_KUBE_FLAGS[component], name)
        ? DERIVED_KUBE_FLAGS[component][name]
        : undefined;
      if (flag?.removed && versionAtLeast(version, flag.removed))
        emit(
          'unknown-flag',
          'error',
          at,
          `--${name} was removed from ${binary} in Kubernetes ${flag.removed}; ${version} would refuse to start`,
          flag.use ? `use --${flag.use} instead` : 'remove the flag',
        );
      else if (owner)
        emit(
          'derived-flag',
          'error',
          at,
          `--${name} is derived by k8sm (from ${owner}); an extra arg would bypass its checks`,
          `remove ${name} from the extra args and set ${owner} instead`,
        );
      else if (flag?.since && !versionAtLeast(version, flag.since))
        emit(
          'unknown-flag',
          'error',
          at,
          `--${name} is new in Kubernetes ${flag.since}; ${binary} ${version} does not have it`,
          `run Kubernetes ${flag.since} or later, or remove the flag`,
        );
      // km (Kubernetes on Mesos) adds flags of its own: only flags known to be gone are checked there
      else if (!flag && k8s.flavor !== 'mesos') {
        const near = closest(name, [...table.keys()]);
        emit(
          'unknown-flag',
          'error',
          at,
          `--${name} is not a ${binary} flag (Kubernetes ${version} would refuse to start)`,
          near
            ? `did you mean "${near}"? (a flag the table lacks: waive "unknown-flag" with a reason)`
            : `remove it, or waive "unknown-flag" with a reason if ${binary} ${version} has it`,
        );
      }
    }
  }
}
