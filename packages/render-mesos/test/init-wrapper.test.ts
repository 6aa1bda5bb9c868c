import type { ClusterPlan } from '@k8sm/spec';
import {
  exampleNames,
  examplePlan,
  filesOf,
  loadMesosFlags,
  MESOS_PACKAGE_DEFAULTS,
  type MesosRole,
  mesosInitWrapperArgv,
  planOf,
  sandboxMechanism,
  threeMasters,
} from '@k8sm/testkit';
import test, { type ExecutionContext } from 'ava';
import { renderMesos } from '../src/index.js';

// The oracle is the packages' own mesos-init-wrapper, run in bubblewrap on each host's rendered
// files with a fake daemon that records its argv and environment, then stout's flag loading
// (testkit loadMesosFlags, modelled from apache/mesos flags.hpp at 0.24.1 and 1.0.0).
const sandboxed = sandboxMechanism() !== undefined || process.env.CI === 'true' ? test : test.skip;

interface Started {
  readonly label: string;
  readonly flags: ReadonlyMap<string, string>;
  readonly env: Readonly<Record<string, string>>;
}

/** Starts every package-runtime master and agent of a plan through the wrapper; fails on any refusal. */
function startAll(t: ExecutionContext, plan: ClusterPlan, label: string): Started[] {
  const mesos = plan.mesos;
  if (mesos?.runtime !== 'package') return [];
  const out = renderMesos(plan);
  const started: Started[] = [];
  const roles: [MesosRole, readonly { readonly host: string }[]][] = [
    ['master', mesos.masters],
    ['agent', mesos.agents],
  ];
  for (const [role, members] of roles)
    for (const { host } of members) {
      const at = `${label}: mesos-${role} on ${host}`;
      const run = mesosInitWrapperArgv(filesOf(out, host), role);
      t.is(run.status, 0, `${at}: the wrapper failed: ${run.stderr}`);
      t.notRegex(run.stderr, /command not found/, at);
      t.true(run.argv.length > 0, `${at}: the daemon never ran: ${run.stderr}`);
      const words = run.argv.slice(1).map((w) => w.replace(/=.*/s, ''));
      const repeated = words.filter((w, i) => words.indexOf(w) !== i);
      t.deepEqual(repeated, [], `${at}: ${run.argv.join(' ')}`);
      const load = loadMesosFlags(run, mesos.version, role);
      t.is(load.error, undefined, `${at} would refuse to start: ${run.argv.join(' ')}`);
      started.push({ label: at, flags: load.flags, env: run.env });
    }
  return started;
}

/** The flags each member must have been started with, from the plan: what the wrapper got is what k8sm meant. */
function expectFlags(t: ExecutionContext, plan: ClusterPlan, started: readonly Started[]): void {
  const mesos = plan.mesos;
  if (mesos?.runtime !== 'package') return;
  for (const m of mesos.masters) {
    const s = started.find((x) => x.label.endsWith(`mesos-master on ${m.host}`));
    t.like(Object.fromEntries(s?.flags ?? []), {
      zk: mesos.zkUrl,
      ip: m.address,
      hostname: m.address,
      port: String(m.port),
      log_dir: m.logDir,
      work_dir: m.workDir,
      quorum: String(mesos.quorumValue),
      ...(mesos.cluster ? { cluster: mesos.cluster } : {}),
    });
  }
  for (const a of mesos.agents) {
    const s = started.find((x) => x.label.endsWith(`mesos-agent on ${a.host}`));
    t.like(Object.fromEntries(s?.flags ?? []), {
      master: mesos.zkUrl,
      ip: a.address,
      hostname: a.address,
      log_dir: a.logDir,
      work_dir: a.workDir,
      containerizers: a.containerizers.join(','),
      ...(a.port === 5051 ? {} : { port: String(a.port) }),
    });
  }
}

sandboxed('every package-runtime example starts each master and agent through the real init wrapper', (t) => {
  let members = 0;
  for (const name of exampleNames()) {
    const plan = examplePlan(name);
    const started = startAll(t, plan, name);
    expectFlags(t, plan, started);
    members += started.length;
  }
  // mesosphere-3-masters (0.24.1: 3 + 3) and k8s-on-mesos-single-master (1.4.1: 1 + 1); docker runtimes excluded
  t.true(members >= 8, `${members} members started`);
});

const variation = (mesos: Record<string, unknown>, hostMesos: Record<string, unknown>[] = []) =>
  planOf(
    threeMasters({
      hosts: [
        {
          name: 'm1',
          address: '10.16.40.1',
          roles: ['zookeeper', 'mesos-master', 'marathon', 'mesos-agent'],
        },
        { name: 'm2', address: '10.16.40.2', roles: ['zookeeper', 'mesos-master', 'marathon'] },
        { name: 'm3', address: '10.16.40.3', roles: ['zookeeper', 'mesos-master', 'marathon'] },
        { name: 'a1', address: '10.16.40.11', roles: ['mesos-agent'] },
      ].map((h, i) => (hostMesos[i] ? { ...h, mesos: hostMesos[i] } : h)),
      mesos,
    }),
  );

sandboxed(
  'variations start too: ports, log and work dirs, cluster, isolation, extra flags, 0.24 and 1.x',
  (t) => {
    const cases: [string, ReturnType<typeof variation>][] = [];
    for (const version of ['0.24.1', '0.28.2', '1.0.1', '1.4.1', '1.11.0'])
      cases.push([
        `mesos ${version}`,
        variation(
          {
            version,
            port: 5060,
            logDir: '/srv/log/mesos',
            workDir: '/srv/lib/mesos',
            cluster: 'prod east',
            master: { flags: { hostname_lookup: false, offer_timeout: '30secs' } },
            agent: {
              port: 5052,
              switchUser: false,
              isolation: ['cgroups/cpu', 'cgroups/mem'],
              attributes: { rack: 'r1' },
              resources: { cpus: 8 },
              flags: { strict: true, docker_stop_timeout: '10secs' },
            },
          },
          [{ logDir: '/data/log', port: 5070, agent: { port: 5053 } }, { port: 5050 }],
        ),
      ]);
    cases.push(['defaults', variation({ version: '1.11.0' })]);
    for (const [label, plan] of cases) {
      const started = startAll(t, plan, label);
      t.is(started.length, 5, label);
      expectFlags(t, plan, started);
      const agent = started.find((s) => s.label.endsWith('mesos-agent on a1'));
      t.is(agent?.flags.get('switch_user'), label === 'defaults' ? undefined : 'false', label);
      if (label !== 'defaults') {
        t.is(agent?.flags.get('attributes'), 'rack:r1', label);
        t.is(agent?.flags.get('isolation'), 'cgroups/cpu,cgroups/mem', label);
        t.is(started.find((s) => s.label.endsWith('master on m1'))?.flags.get('cluster'), 'prod east', label);
      }
    }
  },
);

sandboxed('the oracle can fail: the files k8sm used to write make Mesos refuse to start', (t) => {
  const stale = {
    '/etc/mesos/zk': 'zk://10.16.40.1:2181/mesos\n',
    '/etc/mesos-master/quorum': '1\n',
    '/etc/mesos-master/log_dir': '/var/log/mesos\n',
    '/etc/mesos-master/work_dir': '/var/lib/mesos\n',
    '/etc/mesos-master/port': '5060\n',
  };
  const run = mesosInitWrapperArgv(stale, 'master');
  t.is(loadMesosFlags(run, '0.24.1', 'master').error, "Duplicate flag 'log_dir' on command line");
  t.is(loadMesosFlags(run, '1.4.1', 'master').error, "Flag 'log_dir' is already loaded via name 'log_dir'");
  // the package's defaults are the wrapper's input when k8sm writes none
  t.regex(MESOS_PACKAGE_DEFAULTS['/etc/default/mesos'] ?? '', /^LOGS=\/var\/log\/mesos$/m);
  // an unknown, a valued flag without a value and a version's missing flag are refused too
  const bad = mesosInitWrapperArgv(
    { '/etc/mesos/zk': stale['/etc/mesos/zk'], '/etc/mesos-master/?quorum': '' },
    'master',
  );
  t.regex(loadMesosFlags(bad, '1.4.1', 'master').error ?? '', /Failed to load non-boolean flag 'quorum'/);
  t.regex(
    loadMesosFlags({ argv: ['x', '--agent_ping_timeout=1secs'], env: {} }, '0.24.1', 'master').error ?? '',
    /unknown flag 'agent_ping_timeout'/,
  );
  // 1.x: an alias and its flag are one flag
  t.regex(
    loadMesosFlags(
      { argv: ['x', '--slave_ping_timeout=1secs', '--agent_ping_timeout=2secs'], env: {} },
      '1.4.1',
      'master',
    ).error ?? '',
    /already loaded/,
  );
});
