import { serviceClusterIpRange } from '../components/kubernetes/settings.js';
import {
  type Cidr,
  cidrContains,
  cidrsOverlap,
  hasHostBits,
  intToIpv4,
  ipv4ToInt,
  isLoopbackAddress,
  parseCidr,
  unusableAddress,
} from '../net.js';
import { COMPONENT_REGISTRY } from '../registry.js';
import { COMPONENTS, type Role } from '../schema.js';
import type { SpecPath } from '../source.js';
import { type CheckContext, defineCheck } from './definition.js';
import { formatPathShort } from './paths.js';

interface NamedRange {
  readonly cidr: Cidr;
  readonly label: string;
  readonly path: SpecPath;
}

/** The service range, the cluster pod range and every node's pod range, in that order. */
function ranges({ spec, members }: CheckContext) {
  const k8s = spec.kubernetes;
  const named: NamedRange[] = [];
  if (!k8s) return { named };
  const add = (text: string | undefined, label: string, path: SpecPath) => {
    const cidr = text === undefined ? undefined : parseCidr(text);
    if (cidr) named.push({ cidr, label, path });
    return cidr ? named[named.length - 1] : undefined;
  };
  const service = add(
    serviceClusterIpRange(k8s),
    'the service range',
    k8s.serviceClusterIpRange ? ['kubernetes', 'serviceClusterIpRange'] : ['kubernetes'],
  );
  const cluster = add(k8s.clusterCidr, 'the cluster pod range', ['kubernetes', 'clusterCidr']);
  for (const m of members.k8sNodes)
    if (m.podCidr !== undefined)
      add(m.podCidr, `the pod range of host "${m.host}"`, ['hosts', m.hostIndex, 'kubernetes', 'podCidr']);
  return { named, service, cluster };
}

export const cidrHostBits = defineCheck({
  id: 'cidr-host-bits',
  severity: 'error',
  waivable: true,
  about: 'a CIDR written with host bits set',
  run: (context) => {
    for (const { cidr, label, path } of ranges(context).named)
      if (hasHostBits(cidr))
        context.report(
          path,
          `${label} ${cidr.text} has host bits set: the range it means is ${cidr.network}/${cidr.prefix}`,
          `write ${cidr.network}/${cidr.prefix}`,
        );
  },
});

export const cidrOverlap = defineCheck({
  id: 'cidr-overlap',
  severity: 'error',
  waivable: true,
  about: 'address ranges overlap each other or host addresses',
  run: (context) => {
    const { spec, report } = context;
    const { named, service, cluster } = ranges(context);
    // Pairwise overlap by sweep over ranges sorted by start: O(n log n) for thousands of nodes.
    const sorted = [...named].sort((a, b) => a.cidr.first - b.cidr.first || b.cidr.last - a.cidr.last);
    const open: NamedRange[] = [];
    for (const range of sorted) {
      for (let i = open.length - 1; i >= 0; i--)
        if ((open[i]?.cidr.last ?? -1) < range.cidr.first) open.splice(i, 1);
      for (const other of open) {
        if (!cidrsOverlap(other.cidr, range.cidr)) continue;
        const nested = other === cluster || range === cluster;
        if (nested && range !== service && other !== service) continue; // pod ranges belong inside the cluster range
        report(
          range.path,
          `${range.label} ${range.cidr.text} overlaps ${other.label} ${other.cidr.text}`,
          'give each range its own addresses: services, pods and hosts must not share any',
        );
      }
      open.push(range);
    }
    // The ranges that hold an address are the ones whose network is the address under their
    // prefix: 33 lookups per host instead of a test against every node's range.
    const byNetwork = new Map<string, { range: NamedRange; order: number }[]>();
    named.forEach((range, order) => {
      const key = `${range.cidr.prefix}/${range.cidr.first}`;
      const same = byNetwork.get(key);
      if (same) same.push({ range, order });
      else byNetwork.set(key, [{ range, order }]);
    });
    const prefixes = [...new Set(named.map((r) => r.cidr.prefix))];
    spec.hosts.forEach((host, i) => {
      const address = ipv4ToInt(host.address);
      if (!Number.isFinite(address)) return;
      const holding = prefixes
        .flatMap((prefix) => {
          const size = 2 ** (32 - prefix);
          return byNetwork.get(`${prefix}/${Math.floor(address / size) * size}`) ?? [];
        })
        .sort((a, b) => a.order - b.order);
      for (const { range } of holding)
        report(
          ['hosts', i, 'address'],
          `host "${host.name}" (${host.address}) lies inside ${range.label} ${range.cidr.text}: traffic to it would be routed to pods or services`,
          `move ${range.label} (${formatPathShort(range.path)}) away from the host network`,
        );
    });
  },
});

export const podCidrOutside = defineCheck({
  id: 'pod-cidr-outside',
  severity: 'error',
  waivable: true,
  about: "a node's pod range lies outside kubernetes.clusterCidr",
  run: (context) => {
    const { named, service, cluster } = ranges(context);
    if (!cluster) return;
    for (const pod of named.filter((n) => n !== service && n !== cluster))
      if (pod.cidr.first < cluster.cidr.first || pod.cidr.last > cluster.cidr.last)
        context.report(
          pod.path,
          `${pod.label} ${pod.cidr.text} is outside the cluster pod range ${cluster.cidr.text}`,
          'pick a node range inside kubernetes.clusterCidr, or widen clusterCidr',
        );
  },
});

export const unusableHostAddress = defineCheck({
  id: 'unusable-address',
  severity: 'error',
  waivable: false,
  about: 'a host address that names no single reachable host (0.0.0.0, broadcast, multicast)',
  run: ({ spec, report }) => {
    const network = spec.hostNetwork === undefined ? undefined : parseCidr(spec.hostNetwork);
    spec.hosts.forEach((host, i) => {
      const why = unusableAddress(host.address);
      if (why !== undefined) {
        report(
          ['hosts', i, 'address'],
          `host "${host.name}": ${host.address} ${why}: its peers cannot connect to it`,
          'write the address the host is reached at from the other hosts',
        );
        return;
      }
      // a /31 or /32 has no network and broadcast addresses (RFC 3021)
      if (!network || network.prefix > 30 || !cidrContains(network, host.address)) return;
      const value = ipv4ToInt(host.address);
      const role = value === network.first ? 'network' : value === network.last ? 'broadcast' : undefined;
      if (role)
        report(
          ['hosts', i, 'address'],
          `host "${host.name}": ${host.address} is the ${role} address of hostNetwork ${network.text}, not a host's`,
          `write the host's own address, between ${intToIpv4(network.first + 1)} and ${intToIpv4(network.last - 1)}`,
        );
    });
  },
});

export const loopbackMix = defineCheck({
  id: 'loopback-mix',
  severity: 'error',
  waivable: false,
  about: 'a loopback host address among members on other machines, which reach their own loopback instead',
  run: ({ spec, report }) => {
    // Members of one component talk to each other at these addresses. All on 127.0.0.0/8 is one
    // machine (the tests emulate whole clusters so); a mix sends the others to their own loopback.
    const reported = new Set<number>();
    for (const component of COMPONENTS) {
      if (spec[component] === undefined) continue;
      const roles: readonly Role[] = COMPONENT_REGISTRY[component].roles;
      const group = spec.hosts.flatMap((host, i) =>
        host.roles.some((r) => roles.includes(r)) ? [{ host, i }] : [],
      );
      const remote = group.filter(({ host }) => !isLoopbackAddress(host.address));
      if (remote.length === 0) continue;
      for (const { host, i } of group) {
        if (!isLoopbackAddress(host.address) || reported.has(i)) continue;
        reported.add(i);
        report(
          ['hosts', i, 'address'],
          `host "${host.name}" (${host.address}) is loopback, but its ${component} peers ${remote
            .slice(0, 3)
            .map(({ host: h }) => `"${h.name}" (${h.address})`)
            .join(
              ', ',
            )}${remote.length > 3 ? ', …' : ''} are on other machines: there ${host.address} is their own loopback`,
          `write the address the other hosts reach "${host.name}" at, or put every ${component} member on 127.0.0.0/8 for a one-machine cluster`,
        );
      }
    }
  },
});
