import { haproxyStats } from '../components/haproxy/settings.js';
import { apiserverBuiltinInsecurePort } from '../components/kubernetes/facts.js';
import { apiserverInsecurePort, apiserverSecurePort } from '../components/kubernetes/settings.js';
import { DEFAULTS } from '../defaults.js';
import type { Members } from '../members.js';
import type { ClusterSpec, Component } from '../schema.js';
import type { SpecPath } from '../source.js';
import { type CheckContext, defineCheck } from './definition.js';
import { settingPath } from './paths.js';

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
  const securePort = apiserverSecurePort(spec.kubernetes);
  const builtin = spec.kubernetes && apiserverBuiltinInsecurePort(spec.kubernetes.version);
  const insecurePort = apiserverInsecurePort(spec.kubernetes);
  for (const m of members.k8sMasters) {
    if (securePort > 0)
      claim(m, 'kubernetes', ['apiserver', 'securePort'], securePort, 'kube-apiserver secure port', '*');
    if (insecurePort !== undefined)
      claim(
        m,
        'kubernetes',
        ['apiserver', 'insecurePort'],
        insecurePort,
        'kube-apiserver insecure port',
        '*',
      );
    // before 1.20 an apiserver without --insecure-port still serves plain HTTP on 127.0.0.1:8080
    else if (builtin)
      claim(
        m,
        'kubernetes',
        ['apiserver', 'insecurePort'],
        builtin.port,
        `kube-apiserver's built-in insecure port ${builtin.address}:${builtin.port} (before 1.20)`,
        builtin.address,
      );
  }
  for (const m of members.k8sNodes)
    claim(m, 'kubernetes', [], DEFAULTS.kubernetes.kubeletPort, 'kubelet (10250)', '*');
  for (const m of members.haproxy) {
    claim(m, 'haproxy', ['frontendPort'], m.frontendPort, 'HAProxy frontend', '*');
    const stats = haproxyStats(spec.haproxy);
    if (stats) claim(m, 'haproxy', ['stats', 'port'], stats.port, 'HAProxy stats', stats.address);
  }
  return claims;
}

/** One cause of clashing claims: two hosts of one component on one address, or one port claimed twice. */
interface Clash {
  readonly sharedAddress: boolean;
  readonly first: PortClaim;
  readonly claim: PortClaim;
  readonly where: Set<string>;
  readonly ports: Set<number>;
}

function clashes({ spec, members }: CheckContext): Clash[] {
  // Per machine and port; two claims clash when they bind the same address or either binds all.
  const owners = new Map<string, PortClaim[]>();
  // Clashes are grouped so that one cause gives one finding: a cluster-wide setting that clashes
  // on every master, or two hosts that share an address and every port of a component.
  const groups = new Map<string, Clash>();
  for (const claim of portClaims(spec, members)) {
    const key = `${claim.machine}:${claim.port}`;
    const earlier = owners.get(key) ?? [];
    const first = earlier.find((c) => c.bind === claim.bind || c.bind === '*' || claim.bind === '*');
    owners.set(key, [...earlier, claim]);
    if (!first) continue;
    if (first.host === claim.host && first.what === claim.what) continue; // one setting, claimed once
    const sameHost = first.host === claim.host;
    const sharedAddress = !sameHost && first.component === claim.component;
    const groupKey = sharedAddress
      ? `duplicate-address|${claim.machine}|${first.host}|${claim.host}|${claim.component}`
      : `port-clash|${first.setting}|${claim.setting}|${claim.port}|${sameHost}|${JSON.stringify(claim.path)}`;
    const group = groups.get(groupKey) ?? {
      sharedAddress,
      first,
      claim,
      where: new Set<string>(),
      ports: new Set<number>(),
    };
    group.where.add(sameHost ? claim.host : `${first.host}+${claim.host}`);
    group.ports.add(claim.port);
    groups.set(groupKey, group);
  }
  return [...groups.values()];
}

const turnOff = ({ first, claim }: Clash) =>
  [first.what, claim.what].includes('ZooKeeper AdminServer')
    ? ', or turn the AdminServer off (zookeeper.adminServer.enabled: false)'
    : '';

export const duplicateAddress = defineCheck({
  id: 'duplicate-address',
  severity: 'error',
  waivable: true,
  about: 'two hosts with the same role share an address and port',
  run: (context) => {
    for (const clash of clashes(context)) {
      if (!clash.sharedAddress) continue;
      const { first, claim, ports } = clash;
      context.report(
        ['hosts', context.spec.hosts.findIndex((h) => h.name === claim.host), 'address'],
        `hosts "${first.host}" and "${claim.host}" both run ${claim.component} on ${claim.machine}, on the same ports (${[...ports].join(', ')})`,
        `give each host its own address, or other ports in one host's own "${claim.component}" section${turnOff(clash)}`,
      );
    }
  },
});

export const portClash = defineCheck({
  id: 'port-clash',
  severity: 'error',
  waivable: true,
  about: 'two components claim one address:port',
  run: (context) => {
    for (const clash of clashes(context)) {
      if (clash.sharedAddress) continue;
      const { first, claim, where } = clash;
      const hosts = [...where].map((h) => `"${h}"`).join(', ');
      const on =
        first.host === claim.host
          ? `on host${where.size > 1 ? 's' : ''} ${hosts}`
          : `by hosts "${first.host}" and "${claim.host}" at ${claim.machine}`;
      const settings = [...new Set([first.setting, claim.setting])].filter((x) => !x.endsWith('.'));
      context.report(
        claim.path,
        `port ${claim.port} is claimed twice ${on}: ${first.what} (${first.setting}) and ${claim.what} (${claim.setting})`,
        `change ${settings.join(' or ')} (for all hosts or in one host's own section)${turnOff(clash)}`,
      );
    }
  },
});
