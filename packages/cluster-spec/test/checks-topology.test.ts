import test from 'ava';
import { checks, errors, find, host, k8s, load, paths, show, threeMasters } from './helpers.js';

test('the base specs of these tests have no finding at all', (t) => {
  for (const [what, spec] of [
    ['threeMasters', threeMasters()],
    ['k8s', k8s()],
  ] as const) {
    const report = load(spec);
    t.deepEqual(report.findings, [], `${what}: ${show(report)}`);
    t.truthy(report.plan, what);
  }
});

// hosts and addresses ------------------------------------------------------------------------------

test('duplicate host names are found without regard to case', (t) => {
  const spec = threeMasters();
  host(spec, 2).name = 'M1';
  const report = load(spec);
  const f = find(report, 'duplicate-host-name');
  t.is(f.length, 1);
  t.deepEqual(f[0]?.path, ['hosts', 2, 'name']);
  t.is(f[0]?.severity, 'error');
  t.regex(f[0]?.message ?? '', /"M1" is already used by hosts\[0\]/);
  t.falsy(report.plan);
});

test('a role listed twice is its own finding, at the second listing, and cannot be waived', (t) => {
  const spec = threeMasters();
  host(spec, 1).roles = ['zookeeper', 'mesos-master', 'marathon', 'zookeeper'];
  const report = load(spec);
  t.deepEqual(checks(report), ['duplicate-role'], show(report));
  const f = find(report, 'duplicate-role')[0];
  t.deepEqual(f?.path, ['hosts', 1, 'roles', 3]);
  t.is(f?.severity, 'error');
  t.is(f?.message, 'role "zookeeper" is listed twice');
  t.is(f?.fix, 'list each role once');
  t.falsy(report.plan);
  const waived = load({ ...spec, waive: { 'duplicate-role': 'on purpose' } });
  t.regex(
    waived.findings.find((x) => x.path.join('.') === 'waive.duplicate-role')?.message ?? '',
    /cannot be waived/,
  );
});

// sections, roles and dependencies ------------------------------------------------------------------

test('a role without its section is reported once, at the first host that has it', (t) => {
  const spec = threeMasters();
  delete spec.marathon;
  const f = find(load(spec), 'missing-section');
  t.is(f.length, 1);
  t.deepEqual(f[0]?.path, ['hosts', 0, 'roles', 2]);
  t.regex(f[0]?.message ?? '', /role "marathon" but the spec has no "marathon" section/);
});

test('a section without any host of its role is an empty ensemble', (t) => {
  const report = load(threeMasters({ etcd: { version: '3.5.16' } }));
  t.deepEqual(checks(report), ['empty-ensemble']);
  t.deepEqual(find(report, 'empty-ensemble')[0]?.path, ['etcd']);
});

test('Mesos masters without ZooKeeper hosts miss a dependency', (t) => {
  const spec = threeMasters();
  for (const h of spec.hosts) h.roles = h.roles.filter((r) => r !== 'zookeeper');
  delete spec.zookeeper;
  const report = load(spec);
  t.true(
    errors(report).every((f) => f.check === 'missing-dependency'),
    show(report),
  );
  const f = find(report, 'missing-dependency').find((x) => /Mesos masters/.test(x.message));
  t.deepEqual(f?.path, ['mesos']);
  t.regex(f?.message ?? '', /needs at least one "zookeeper" host/);
  t.regex(f?.fix ?? '', /mesos\.externalZookeeper/);
  t.truthy(find(report, 'missing-dependency').find((x) => /^Marathon/.test(x.message)));
  t.falsy(report.plan);
});

test('an external ZooKeeper ensemble satisfies the dependency, but not next to managed ZooKeeper hosts', (t) => {
  const external = threeMasters({ mesos: { version: '1.11.0', externalZookeeper: '10.9.0.1:2181' } });
  const both = load(external);
  t.deepEqual(checks(both), ['zookeeper-ambiguous'], 'two ensembles is no missing dependency');
  t.deepEqual(paths(both, 'zookeeper-ambiguous'), ['mesos.externalZookeeper']);
  t.regex(find(both, 'zookeeper-ambiguous')[0]?.message ?? '', /which one Mesos uses would be a guess/);
  for (const h of external.hosts) h.roles = h.roles.filter((r) => r !== 'zookeeper');
  delete external.zookeeper;
  t.deepEqual(load(external).findings, []);
});

test('Kubernetes nodes without masters, and Kubernetes without etcd, miss a dependency', (t) => {
  const spec = k8s();
  host(spec, 0).roles = ['etcd'];
  t.true(find(load(spec), 'missing-dependency').some((f) => /Kubernetes nodes/.test(f.message)));
  const noEtcd = k8s();
  host(noEtcd, 0).roles = ['k8s-master'];
  delete noEtcd.etcd;
  t.true(
    find(load(noEtcd), 'missing-dependency').some((f) =>
      /apiserver stores everything in etcd/.test(f.message),
    ),
  );
});

test('a host cannot override a component it does not run', (t) => {
  const spec = threeMasters();
  host(spec, 3).zookeeper = { dataDir: '/data' };
  const report = load(spec);
  t.deepEqual(checks(report), ['override-without-role']);
  t.deepEqual(find(report, 'override-without-role')[0]?.path, ['hosts', 3, 'zookeeper']);
});

test('a mesos section on an agent is an override of a role it has', (t) => {
  const spec = threeMasters();
  host(spec, 3).mesos = { agent: { port: 5052 } };
  t.deepEqual(load(spec).findings, []);
});
