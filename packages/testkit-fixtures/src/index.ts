// Plain spec objects and the examples, with no dependency: @k8sm/spec's own tests can use them,
// where @k8sm/testkit (which depends on @k8sm/spec) would make a cycle in the build graph.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A host as a test writes it: loose enough to hold mistakes the schema must catch. */
export interface HostIn {
  name: string;
  address: string;
  roles: string[];
  [section: string]: unknown;
}
/** A spec as a test writes it. */
export interface SpecIn {
  name: string;
  hosts: HostIn[];
  [key: string]: unknown;
}

/** The Mesosphere guide's layout: three masters (ZooKeeper, Mesos master, Marathon) and one agent. */
export const threeMasters = (over: Record<string, unknown> = {}): SpecIn => ({
  name: 'demo',
  hosts: [
    { name: 'm1', address: '10.16.40.1', roles: ['zookeeper', 'mesos-master', 'marathon'] },
    { name: 'm2', address: '10.16.40.2', roles: ['zookeeper', 'mesos-master', 'marathon'] },
    { name: 'm3', address: '10.16.40.3', roles: ['zookeeper', 'mesos-master', 'marathon'] },
    { name: 'a1', address: '10.16.40.11', roles: ['mesos-agent'] },
  ],
  zookeeper: { version: '3.4.6' },
  mesos: { version: '1.11.0' },
  marathon: { version: '1.11.24' },
  ...over,
});

/** A standalone Kubernetes cluster: one etcd+master, one node per pod range. */
export const k8s = (
  kubernetes: Record<string, unknown> = {},
  podCidrs = ['10.0.1.0/24', '10.0.2.0/24'],
): SpecIn => ({
  name: 'k',
  hosts: [
    { name: 'master', address: '192.168.0.7', roles: ['etcd', 'k8s-master'] },
    ...podCidrs.map((podCidr, i) => ({
      name: `n${i + 1}`,
      address: `192.168.0.${i + 10}`,
      roles: ['k8s-node'],
      kubernetes: { podCidr },
    })),
  ],
  etcd: { version: '3.5.16' },
  kubernetes: {
    version: '1.28.15',
    flavor: 'standalone',
    pkiDir: 'pki',
    serviceClusterIpRange: '10.254.0.0/16',
    ...kubernetes,
  },
  waive: { 'no-redundancy': 'a lab cluster' },
});

/** Three members of one ensemble (`<prefix>1…3` at 10.0.0.1–3) and its section; hostExtra[i] joins host i. */
export const ensemble = (
  of: { readonly name: string; readonly component: 'zookeeper' | 'etcd'; readonly prefix: string },
  section: Record<string, unknown>,
  hostExtra: readonly Record<string, unknown>[] = [],
): SpecIn => ({
  name: of.name,
  hosts: [1, 2, 3].map((i) => ({
    name: `${of.prefix}${i}`,
    address: `10.0.0.${i}`,
    roles: [of.component],
    ...hostExtra[i - 1],
  })),
  [of.component]: section,
});

/** `n` hosts named after their first role, at base+1, base+2, … */
export const hosts = (
  n: number,
  roles: string[],
  base = '10.0.0.',
  extra: Record<string, unknown> = {},
): HostIn[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `${roles[0]}-${i + 1}`,
    address: `${base}${i + 1}`,
    roles: [...roles],
    ...extra,
  }));

/** The i-th host of a spec, for editing it in place (fails loudly on a wrong index). */
export const host = (spec: SpecIn, i: number): HostIn => {
  const h = spec.hosts[i];
  if (!h) throw new Error(`the test spec has no hosts[${i}]`);
  return h;
};

/** The repository's examples/ directory, as a path. */
export const examples = fileURLToPath(new URL('../../../../examples/', import.meta.url));

/** The spec files in examples/, sorted. */
export const exampleNames = (): string[] =>
  readdirSync(examples)
    .filter((f) => /\.(json|ya?ml)$/.test(f))
    .sort();

/** The path of one example spec. */
export const examplePath = (name: string): string => join(examples, name);

/** The text of one example spec. */
export const exampleText = (name: string): string => readFileSync(examplePath(name), 'utf8');

/** Ensemble sizes and their strict majority floor(n/2)+1, written out so a wrong formula cannot pass. */
export const majorities: readonly (readonly [members: number, majority: number])[] = [
  [1, 1],
  [2, 2],
  [3, 2],
  [4, 3],
  [5, 3],
  [7, 4],
];
