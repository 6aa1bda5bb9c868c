import test from 'ava';
import { type ClusterPlan, DEFAULTS } from '../src/index.js';
import { type HostIn, k8s, load, type SpecIn, show, threeMasters } from './helpers.js';

/*
 * Each default is applied once, by the plan: left unset, the plan carries the DEFAULTS value;
 * set, the spec's own. Renderers read the plan (their tests set a value and see it rendered).
 */

const planOf = (spec: unknown): ClusterPlan => {
  const report = load(spec);
  if (!report.plan) throw new Error(`no plan:\n${show(report)}`);
  return report.plan;
};

const lbHost: HostIn = { name: 'lb', address: '192.168.0.20', roles: ['haproxy'] };
const withHaproxy = (haproxy: Record<string, unknown> = {}): SpecIn => {
  const spec = k8s();
  spec.hosts.push(lbHost);
  return { ...spec, haproxy: { version: '2.6', ...haproxy } };
};
const stats = { port: 1936, user: 'ops', password: { env: 'LB_PASS' } };

interface Case {
  readonly name: string;
  /** the spec without the setting, and with it set to `given` */
  readonly spec: (given?: unknown) => unknown;
  readonly read: (plan: ClusterPlan) => unknown;
  readonly fallback: unknown;
  readonly given: unknown;
}

const CASES: readonly Case[] = [
  {
    name: 'rollout.batch',
    spec: (batch) => threeMasters(batch === undefined ? {} : { rollout: { batch } }),
    read: (p) => p.rolloutBatch,
    fallback: DEFAULTS.rollout.batch,
    given: 2,
  },
  {
    name: 'kubernetes.proxyMode',
    spec: (proxyMode) => k8s(proxyMode === undefined ? {} : { proxyMode }),
    read: (p) => p.kubernetes?.proxyMode,
    fallback: DEFAULTS.kubernetes.proxyMode,
    given: 'ipvs',
  },
  {
    name: 'haproxy.checkInterval',
    spec: (checkInterval) => withHaproxy(checkInterval === undefined ? {} : { checkInterval }),
    read: (p) => p.haproxy?.checkInterval,
    fallback: DEFAULTS.haproxy.checkInterval,
    given: '5s',
  },
  {
    name: 'haproxy.runtimeApi',
    spec: (runtimeApi) => withHaproxy(runtimeApi === undefined ? {} : { runtimeApi }),
    read: (p) => p.haproxy?.runtimeApi,
    fallback: DEFAULTS.haproxy.runtimeApi,
    given: true,
  },
  {
    name: 'haproxy.stats.address',
    spec: (address) => withHaproxy({ stats: address === undefined ? stats : { ...stats, address } }),
    read: (p) => p.haproxy?.stats?.address,
    fallback: DEFAULTS.haproxy.stats.address,
    given: '192.168.0.20',
  },
];

for (const c of CASES) {
  test(`${c.name}: the plan carries the default when the spec leaves it unset, else the spec's value`, (t) => {
    t.not(c.fallback, undefined, 'DEFAULTS has a value');
    t.is(c.read(planOf(c.spec())), c.fallback);
    t.is(c.read(planOf(c.spec(c.given))), c.given);
  });
}
