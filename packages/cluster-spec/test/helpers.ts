import { CHECKS, type Finding, formatFinding, loadSpec, type SpecReport } from '../src/index.js';

/** A spec as a test writes it: loose enough to hold mistakes the schema must catch. */
export interface HostIn {
  name: string;
  address: string;
  roles: string[];
  [section: string]: unknown;
}
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

/** A standalone Kubernetes cluster: one etcd+master, two nodes with their own pod ranges. */
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

/** Loads a spec; every finding must come from the check registry with its registered severity. */
export const load = (spec: unknown, file = 'spec.json'): SpecReport => {
  const report = loadSpec(JSON.stringify(spec, null, 2), file);
  for (const f of report.findings) {
    if (f.check === 'schema') continue;
    const registered = Object.hasOwn(CHECKS, f.check) ? CHECKS[f.check as keyof typeof CHECKS] : undefined;
    if (registered?.severity !== f.severity)
      throw new Error(`finding "${f.check}" (${f.severity}) is not a registered check of that severity`);
  }
  return report;
};

/** Check ids of the findings, in report order (errors first). */
export const checks = (report: SpecReport, severity?: Finding['severity']): string[] =>
  report.findings.filter((f) => severity === undefined || f.severity === severity).map((f) => f.check);

export const find = (report: SpecReport, check: string): Finding[] =>
  report.findings.filter((f) => f.check === check);

/** Paths of the findings of one check, as `hosts.1.address`. */
export const paths = (report: SpecReport, check: string): string[] =>
  find(report, check).map((f) => f.path.join('.'));

export const errors = (report: SpecReport): Finding[] =>
  report.findings.filter((f) => f.severity === 'error');

/** Findings as an operator reads them: the assertion message when a test fails. */
export const show = (report: SpecReport): string =>
  report.findings.map((f) => formatFinding(f)).join('\n') || '(no findings)';
