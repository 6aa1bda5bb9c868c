import test from 'ava';
import { checks, find, host, k8s, load, paths, threeMasters } from './helpers.js';

test('extra flags cannot replace what k8sm derives and checks', (t) => {
  const report = load(
    threeMasters({
      mesos: {
        version: '1.11.0',
        master: { flags: { quorum: 1, max_agent_ping_timeouts: 5 } },
        agent: { flags: { master: 'x' } },
      },
    }),
  );
  t.deepEqual(paths(report, 'derived-flag'), ['mesos.master.flags.quorum', 'mesos.agent.flags.master']);
  t.regex(find(report, 'derived-flag')[0]?.fix ?? '', /set mesos\.quorum instead/);
});

test('an extra flag named like an Object.prototype member is no derived flag, and no known flag', (t) => {
  const report = load(
    threeMasters({ mesos: { version: '1.11.0', master: { flags: { constructor: 'x' } } } }),
  );
  t.deepEqual(checks(report), ['unknown-flag']);
});

const mesosFlags = (version: string, master: Record<string, unknown>, agent: Record<string, unknown> = {}) =>
  load(threeMasters({ mesos: { version, master: { flags: master }, agent: { flags: agent } } }));

test('extra Mesos flags are checked against the flag table of the target version', (t) => {
  t.deepEqual(
    mesosFlags(
      '1.11.0',
      { offer_timeout: '30secs', max_completed_frameworks: 50 },
      { docker_stop_timeout: '10secs' },
    ).findings,
    [],
  );
  const typo = mesosFlags('1.11.0', { offer_timout: '30secs' });
  t.deepEqual(paths(typo, 'unknown-flag'), ['mesos.master.flags.offer_timout']);
  t.regex(find(typo, 'unknown-flag')[0]?.message ?? '', /--offer_timout is not a mesos-master flag/);
  t.regex(find(typo, 'unknown-flag')[0]?.fix ?? '', /did you mean "offer_timeout"/);
  // a master-only flag on the agent is unknown there
  t.deepEqual(paths(mesosFlags('1.11.0', {}, { quorum: 2 }), 'unknown-flag'), ['mesos.agent.flags.quorum']);
});

test('a flag newer than the target version, or removed before it, is refused', (t) => {
  const early = mesosFlags('0.28.2', { agent_ping_timeout: '15secs' });
  t.regex(
    find(early, 'unknown-flag')[0]?.message ?? '',
    /new in Mesos 1\.0; mesos-master 0\.28\.2 does not have it/,
  );
  t.deepEqual(mesosFlags('1.0.0', { agent_ping_timeout: '15secs' }).findings, []);
  t.regex(
    find(mesosFlags('1.11.0', {}, { checkpoint: true }), 'unknown-flag')[0]?.message ?? '',
    /removed in Mesos 0\.22/,
  );
  t.deepEqual(checks(mesosFlags('0.21.0', {}, { checkpoint: true })), []);
});

test('a deprecated name warns only where its replacement exists', (t) => {
  const late = mesosFlags('1.4.0', { slave_ping_timeout: '15secs' });
  t.deepEqual(checks(late, 'warning'), ['deprecated-flag']);
  t.regex(find(late, 'deprecated-flag')[0]?.fix ?? '', /rename it to agent_ping_timeout/);
  t.deepEqual(mesosFlags('0.28.2', { slave_ping_timeout: '15secs' }).findings, []);
});

test('boolean flags take true/false, valued flags do not', (t) => {
  const wrong = mesosFlags('1.11.0', { log_auto_initialize: 'false', offer_timeout: true });
  t.deepEqual(paths(wrong, 'flag-value'), [
    'mesos.master.flags.log_auto_initialize',
    'mesos.master.flags.offer_timeout',
  ]);
  t.deepEqual(mesosFlags('1.11.0', { log_auto_initialize: false }).findings, []);
});

test('per-host Mesos flags are checked too, and unknown-flag can be waived with a reason', (t) => {
  const spec = threeMasters({ mesos: { version: '1.11.0' } });
  host(spec, 3).mesos = { agent: { flags: { my_module_flag: 'x' } } };
  t.deepEqual(paths(load(spec), 'unknown-flag'), ['hosts.3.mesos.agent.flags.my_module_flag']);
  const waived = load({ ...spec, waive: { 'unknown-flag': 'our build adds it' } });
  t.deepEqual(waived.findings, []);
  t.is(waived.waived[0]?.check, 'unknown-flag');
});

const extra = (version: string, extraArgs: Record<string, unknown>) => load(k8s({ version, extraArgs }));

test('extra Kubernetes args: removed flags name the version and the replacement', (t) => {
  const r = extra('1.24.0', { apiserver: { 'insecure-port': 8080 } });
  t.deepEqual(paths(r, 'unknown-flag'), ['kubernetes.extraArgs.apiserver.insecure-port']);
  t.regex(
    find(r, 'unknown-flag')[0]?.message ?? '',
    /removed from kube-apiserver in Kubernetes 1\.24; 1\.24\.0 would refuse/,
  );
  t.is(find(r, 'unknown-flag')[0]?.fix, 'use --secure-port instead');
  t.deepEqual(paths(extra('1.15.0', { kubelet: { 'allow-privileged': true } }), 'unknown-flag'), [
    'kubernetes.extraArgs.kubelet.allow-privileged',
  ]);
  // before 1.15 the kubelet still has it, and k8sm renders it: given again it would be there twice
  t.deepEqual(paths(extra('1.14.10', { kubelet: { 'allow-privileged': true } }), 'derived-flag'), [
    'kubernetes.extraArgs.kubelet.allow-privileged',
  ]);
});

test('extra Kubernetes args: unknown flags get a did-you-mean, known ones pass', (t) => {
  const r = extra('1.28.15', { apiserver: { 'audit-log-pth': '/var/log/audit.log' } });
  t.regex(find(r, 'unknown-flag')[0]?.message ?? '', /--audit-log-pth is not a kube-apiserver flag/);
  t.regex(find(r, 'unknown-flag')[0]?.fix ?? '', /did you mean "audit-log-path"/);
  t.deepEqual(
    extra('1.28.15', {
      apiserver: { 'audit-log-path': '/var/log/audit.log' },
      kubelet: { 'max-pods': 200 },
      proxy: { 'metrics-bind-address': '0.0.0.0:10249' },
    }).findings,
    [],
  );
  t.deepEqual(
    paths(
      extra('1.28.15', { kubelet: { 'pod-manifest-path': '/x' }, scheduler: { master: 'http://x' } }),
      'derived-flag',
    ),
    ['kubernetes.extraArgs.scheduler.master'],
  );
});

test('extra Kubernetes args may not replace what k8sm derives', (t) => {
  const r = extra('1.28.15', {
    apiserver: { 'etcd-servers': 'http://10.0.0.9:2379' },
    kubelet: { 'cluster-dns': '10.254.0.10' },
  });
  t.deepEqual(paths(r, 'derived-flag'), [
    'kubernetes.extraArgs.apiserver.etcd-servers',
    'kubernetes.extraArgs.kubelet.cluster-dns',
  ]);
});

test('one Mesos flag under its old and its new name is given twice: duplicate-flag', (t) => {
  const both = mesosFlags('1.4.0', { slave_ping_timeout: '15secs', agent_ping_timeout: '15secs' });
  t.deepEqual(paths(both, 'duplicate-flag'), ['mesos.master.flags.agent_ping_timeout']);
  t.regex(
    find(both, 'duplicate-flag')[0]?.message ?? '',
    /--agent_ping_timeout and --slave_ping_timeout are one flag of mesos-master/,
  );
  t.is(find(both, 'duplicate-flag')[0]?.fix, 'keep only agent_ping_timeout');
  // split between the cluster-wide flags and a host's own: the host's is the second
  const split = threeMasters({
    mesos: { version: '1.4.0', master: { flags: { slave_ping_timeout: '15secs' } } },
  });
  host(split, 1).mesos = { master: { flags: { agent_ping_timeout: '20secs' } } };
  t.deepEqual(paths(load(split), 'duplicate-flag'), ['hosts.1.mesos.master.flags.agent_ping_timeout']);
  // the same name on a host overrides the cluster-wide value: no duplicate
  const override = threeMasters({
    mesos: { version: '1.4.0', master: { flags: { agent_ping_timeout: '15secs' } } },
  });
  host(override, 1).mesos = { master: { flags: { agent_ping_timeout: '20secs' } } };
  t.deepEqual(checks(load(override)), []);
});
