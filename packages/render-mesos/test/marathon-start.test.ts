import { filesOf, marathonFrameworkStart, marathonSysvStart, planOf, sandboxMechanism } from '@k8sm/testkit';
import test from 'ava';
import { renderMesos } from '../src/index.js';

// The oracle: Marathon's own start scripts (testkit marathon-start.ts), on the rendered files.
const sandboxed = sandboxMechanism() !== undefined || process.env.CI === 'true' ? test : test.skip;

const plan = (version: string) =>
  planOf({
    name: 'm',
    hosts: [
      { name: 'm1', address: '10.0.0.1', roles: ['zookeeper', 'mesos-master', 'marathon'] },
      { name: 'm2', address: '10.0.0.2', roles: ['zookeeper', 'mesos-master', 'marathon'] },
      { name: 'm3', address: '10.0.0.3', roles: ['zookeeper', 'mesos-master', 'marathon'] },
    ],
    zookeeper: { version: '3.4.14' },
    mesos: { version: '1.4.1' },
    marathon: { version, flags: { task_launch_timeout: 300000 } },
  });

const zk = 'zk://10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181';

sandboxed('before 1.5: bin/marathon-framework starts the JVM with LIBPROCESS_IP and the flags', (t) => {
  const out = renderMesos(plan('0.15.0'));
  for (const [host, address] of [
    ['m1', '10.0.0.1'],
    ['m3', '10.0.0.3'],
  ]) {
    const run = marathonFrameworkStart(filesOf(out, host ?? ''));
    t.is(run.status, 0, run.stderr);
    t.notRegex(run.stderr, /command not found/);
    t.is(run.env.LIBPROCESS_IP, address, `${host}: the scheduler driver binds to the member's address`);
    const main = run.argv.indexOf('mesosphere.marathon.Main');
    t.true(main > 0, run.argv.join(' '));
    const flags = run.argv.slice(main + 1);
    // `--<flag> <value>` pairs, each flag once
    const pairs = Object.fromEntries(
      flags.flatMap((w, i) => (w.startsWith('--') ? [[w, flags[i + 1]]] : [])),
    );
    t.like(pairs, {
      '--hostname': address,
      '--master': `${zk}/mesos`,
      '--zk': `${zk}/marathon`,
      '--http_port': '8080',
      '--task_launch_timeout': '300000',
    });
    const names = flags.filter((w) => w.startsWith('--'));
    t.deepEqual(names, [...new Set(names)], flags.join(' '));
  }
  // the oracle can fail: without the file the JVM gets no LIBPROCESS_IP
  const { '/etc/default/marathon': _, ...without } = filesOf(out, 'm1');
  t.is(marathonFrameworkStart(without).env.LIBPROCESS_IP, undefined);
});

sandboxed(
  'from 1.5: the SysV script exports LIBPROCESS_IP and the MARATHON_* variables to bin/marathon',
  (t) => {
    const run = marathonSysvStart(filesOf(renderMesos(plan('1.11.24')), 'm2'));
    t.is(run.status, 0, run.stderr);
    t.like(run.env, {
      LIBPROCESS_IP: '10.0.0.2',
      MARATHON_HOSTNAME: '10.0.0.2',
      MARATHON_MASTER: `${zk}/mesos`,
      MARATHON_ZK: `${zk}/marathon`,
      MARATHON_TASK_LAUNCH_TIMEOUT: '300000',
    });
  },
);

test('docker: the Marathon container gets LIBPROCESS_IP, the member address', (t) => {
  const p = planOf({
    name: 'm',
    hosts: [{ name: 'm1', address: '10.0.0.1', roles: ['zookeeper', 'mesos-master', 'marathon'] }],
    zookeeper: { version: '3.4.14' },
    mesos: { version: '1.4.1', runtime: 'docker' },
    marathon: { version: '1.11.24', runtime: 'docker' },
    waive: { 'no-redundancy': 'test' },
  });
  const run = renderMesos(p).find((a) => a.kind === 'command' && a.command.includes('--name marathon'));
  t.regex(run?.kind === 'command' ? run.command : '', /-e LIBPROCESS_IP=10\.0\.0\.1 /);
});
