import { type Finding, loadSpec, type SpecReport } from '../src/index.js';

export const threeMasters = (extra: Record<string, unknown> = {}) => ({
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
  ...extra,
});

export const load = (spec: unknown, file = 'spec.json'): SpecReport =>
  loadSpec(JSON.stringify(spec, null, 2), file);

export const checks = (report: SpecReport, severity?: Finding['severity']) =>
  report.findings.filter((f) => severity === undefined || f.severity === severity).map((f) => f.check);

export const find = (report: SpecReport, check: string) => report.findings.filter((f) => f.check === check);

export const hosts = (n: number, roles: string[], base = '10.0.0.', extra: Record<string, unknown> = {}) =>
  Array.from({ length: n }, (_, i) => ({
    name: `${roles[0]}-${i + 1}`,
    address: `${base}${i + 1}`,
    roles,
    ...extra,
  }));
