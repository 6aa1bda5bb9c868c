import { spawnSync } from 'node:child_process';
import test from 'ava';
import {
  disableService,
  enableServices,
  restartServices,
  upstartDescription,
  upstartExec,
} from '../src/index.js';
import { checks, find, host, k8s, load, show, threeMasters } from './helpers.js';

test('initSystem: the host’s own wins over the cluster’s, systemd when neither says', (t) => {
  const spec = { ...threeMasters(), initSystem: 'upstart' };
  host(spec, 1).initSystem = 'systemd';
  const plan = load(spec).plan;
  t.deepEqual(
    plan?.hosts.map((h) => h.initSystem),
    ['upstart', 'systemd', 'upstart', 'upstart'],
  );
  t.deepEqual(
    plan?.zookeeper?.members.map((m) => m.initSystem),
    ['upstart', 'systemd', 'upstart'],
  );
  t.deepEqual(
    load(threeMasters()).plan?.hosts.map((h) => h.initSystem),
    ['systemd', 'systemd', 'systemd', 'systemd'],
  );
});

test('ZooKeeper, Mesos and Marathon (package or docker) on upstart hosts: no finding', (t) => {
  const report = load({ ...threeMasters(), initSystem: 'upstart' });
  t.deepEqual(report.findings, [], show(report));
});

test('etcd or HAProxy with the package runtime, or Kubernetes, on an upstart host is refused at initSystem with the fix', (t) => {
  const spec = { ...k8s(), initSystem: 'upstart' };
  const report = load(spec);
  const f = find(report, 'init-system-unsupported');
  t.true(f.length > 0, show(report));
  t.true(f.every((x) => x.severity === 'error' && x.path.join('.') === 'initSystem'));
  t.true(
    f.some((x) =>
      /runs etcd under upstart \(initSystem\), but k8sm writes etcd a systemd unit/.test(x.message),
    ),
  );
  t.true(f.some((x) => /set etcd\.runtime to "docker", or run etcd on a systemd host/.test(x.fix ?? '')));
  t.true(f.some((x) => /runs k8s-master under upstart/.test(x.message)));
  t.falsy(report.plan);
  const waived = load({ ...spec, waive: { 'init-system-unsupported': 'trust me' } });
  t.true(checks(waived).includes('init-system-unsupported'), 'not waivable');
});

test('the refusal names the host’s own initSystem when the host sets it', (t) => {
  const spec = k8s();
  const i = spec.hosts.findIndex((h) => h.roles.includes('etcd'));
  host(spec, i).initSystem = 'upstart';
  const f = find(load(spec), 'init-system-unsupported');
  t.true(f.length > 0);
  t.true(f.every((x) => x.path.join('.') === `hosts.${i}.initSystem`));
  t.true(f.every((x) => x.fix?.includes(`set hosts[${i}].initSystem to "systemd"`)));
});

test('an unknown init system is a schema error at its path', (t) => {
  const report = load({ ...threeMasters(), initSystem: 'sysvinit' });
  t.deepEqual(
    report.findings.map((f) => [f.check, f.path.join('.')]),
    [['schema', 'initSystem']],
  );
});

// The consumer of an exec stanza: upstart runs it itself when it has no special character, else
// through sh (init(5)); either way each word must come back as one argument.
const shWords = (line: string) =>
  spawnSync('/bin/sh', ['-c', `for w in ${line}; do printf '%s\\0' "$w"; done`], { encoding: 'utf8' })
    .stdout.split('\0')
    .slice(0, -1);
const shArgv = (line: string) =>
  spawnSync('/bin/sh', ['-c', `set -- ${line}; for w; do printf '%s\\0' "$w"; done`], { encoding: 'utf8' })
    .stdout.split('\0')
    .slice(0, -1);

test('upstartExec: each word reaches the program as one argument, whether upstart or sh splits the line', (t) => {
  const plain = [
    '/usr/bin/java',
    '-cp',
    '/etc/zookeeper/conf:/usr/share/java/zookeeper.jar',
    'Main',
    '/etc/zk/zoo.cfg',
  ];
  const line = upstartExec('/etc/init/zookeeper.conf', plain);
  t.false(/["'$`\\]/.test(line), 'plain words stay plain, so upstart itself runs the line');
  t.deepEqual(shWords(line), plain);
  const hostile = ['/usr/bin/x', 'a b', "it's", '$(id)', '`id`', 'a"b\\c', '*'];
  t.deepEqual(shArgv(upstartExec('/etc/init/x.conf', hostile)), hostile);
  t.throws(() => upstartExec('/etc/init/x.conf', ['a\nb']), { message: /control character/ });
  t.is(
    upstartDescription('/etc/init/x.conf', 'ZooKeeper 3.4.6, member 1 of demo'),
    '"ZooKeeper 3.4.6, member 1 of demo"',
  );
  t.throws(() => upstartDescription('/etc/init/x.conf', 'a"b'));
});

test('the service lines per init system', (t) => {
  t.is(
    String(enableServices('systemd', ['kubelet', 'kube-proxy'])),
    'systemctl enable kubelet.service kube-proxy.service',
  );
  t.is(String(restartServices('upstart', ['zookeeper'])), 'stop zookeeper || true\nstart zookeeper');
  t.is(
    String(disableService('upstart', 'mesos-slave')),
    "stop mesos-slave 2>/dev/null || true\ngrep -q '^[[:space:]]*manual[[:space:]]*$' /etc/init/mesos-slave.override 2>/dev/null || echo manual >>/etc/init/mesos-slave.override",
  );
  t.is(
    String(disableService('systemd', 'mesos-slave')),
    'systemctl disable --now mesos-slave.service 2>/dev/null || true',
  );
});
