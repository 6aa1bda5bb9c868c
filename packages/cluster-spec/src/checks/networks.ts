import { serviceClusterIpRange } from '../components/kubernetes/settings.js';
import { type Cidr, cidrsOverlap, hasHostBits, ipv4ToInt, parseCidr } from '../net.js';
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
    spec.hosts.forEach((host, i) => {
      const address = ipv4ToInt(host.address);
      for (const range of named)
        if (address >= range.cidr.first && address <= range.cidr.last)
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
