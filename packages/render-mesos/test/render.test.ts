import { commandsOf, examplePlan, filesOf, majorities, planOf } from '@k8sm/testkit';
import test from 'ava';
import { renderMesos, shellQuote } from '../src/index.js';

test('the Mesosphere example renders every file the guide writes by hand', (t) => {
  const out = renderMesos(examplePlan('mesosphere-3-masters.json'));
  const zk = 'zk://10.16.40.1:2181,10.16.40.2:2181,10.16.40.3:2181';
  const master = filesOf(out, 'mesos-master1');
  t.is(master['/etc/mesos/zk'], `${zk}/mesos\n`);
  t.is(master['/etc/mesos-master/quorum'], '2\n');
  // the init wrapper passes --ip, --log_dir, --port and --zk from these: never also as flag files
  t.is(master['/etc/default/mesos'], 'ULIMIT="-n 8192"\nIP=10.16.40.1\nLOGS=/var/log/mesos\n');
  t.is(master['/etc/default/mesos-master'], `ZK=${zk}/mesos\nPORT=5050\n`);
  for (const flag of ['ip', 'log_dir', 'port', 'zk']) t.false(`/etc/mesos-master/${flag}` in master, flag);
  t.is(master['/etc/mesos-master/hostname'], '10.16.40.1\n');
  t.is(master['/etc/marathon/conf/hostname'], '10.16.40.1\n');
  t.is(master['/etc/marathon/conf/master'], `${zk}/mesos\n`);
  t.is(master['/etc/marathon/conf/zk'], `${zk}/marathon\n`);
  t.is(master['/etc/marathon/conf/http_port'], '8080\n');
  const agent = filesOf(out, 'mesos-slave2');
  t.is(agent['/etc/mesos/zk'], `${zk}/mesos\n`);
  t.is(agent['/etc/default/mesos'], 'ULIMIT="-n 8192"\nIP=10.16.40.12\nLOGS=/var/log/mesos\n');
  t.is(agent['/etc/default/mesos-slave'], `MASTER=${zk}/mesos\n`);
  t.false('/etc/mesos-slave/ip' in agent);
  t.is(agent['/etc/mesos-slave/containerizers'], 'docker,mesos\n');
  t.is(agent['/etc/mesos-slave/executor_registration_timeout'], '5mins\n');
  // the example runs upstart (Ubuntu 14.04, as the guide): a disabled job is stopped and set manual
  const disabled = (steps: string[]) =>
    steps.flatMap(
      (c) => /^grep -q .* (\/etc\/init\/[a-z-]+\.override) /.exec(c.split('\n')[1] ?? '')?.[1] ?? [],
    );
  t.deepEqual(disabled(commandsOf(out, 'mesos-master1')), ['/etc/init/mesos-slave.override']);
  const agentSteps = commandsOf(out, 'mesos-slave1');
  t.deepEqual(disabled(agentSteps), [
    '/etc/init/mesos-master.override',
    '/etc/init/zookeeper.override',
    '/etc/init/marathon.override',
  ]);
});

test('flag files hold the value alone; booleans become ?flag and ?no-flag', (t) => {
  const plan = planOf(
    JSON.stringify({
      name: 'f',
      hosts: [
        { name: 'm', address: '10.0.0.1', roles: ['zookeeper', 'mesos-master'] },
        {
          name: 'a',
          address: '10.0.0.2',
          roles: ['mesos-agent'],
          mesos: { agent: { attributes: { rack: 'r2' } } },
        },
      ],
      zookeeper: { version: '3.4.14' },
      mesos: {
        version: '1.11.0',
        cluster: 'prod',
        master: { flags: { authenticate_agents: true, hostname_lookup: false, max_agent_ping_timeouts: 5 } },
        agent: {
          switchUser: false,
          attributes: { zone: 'a' },
          resources: { cpus: 8 },
          isolation: ['cgroups/cpu', 'cgroups/mem'],
        },
      },
      waive: { 'no-redundancy': 'test' },
    }),
    'f.json',
  );
  const out = renderMesos(plan);
  const m = filesOf(out, 'm');
  t.is(m['/etc/mesos-master/?authenticate_agents'], '');
  t.is(m['/etc/mesos-master/?no-hostname_lookup'], '');
  t.is(m['/etc/mesos-master/max_agent_ping_timeouts'], '5\n');
  t.is(m['/etc/default/mesos-master'], 'ZK=zk://10.0.0.1:2181/mesos\nCLUSTER=prod\nPORT=5050\n');
  t.is(m['/etc/mesos-master/quorum'], '1\n');
  const a = filesOf(out, 'a');
  t.is(a['/etc/mesos-slave/?no-switch_user'], '');
  t.is(a['/etc/mesos-slave/attributes/zone'], 'a\n');
  t.is(a['/etc/mesos-slave/attributes/rack'], 'r2\n');
  t.is(a['/etc/mesos-slave/resources/cpus'], '8\n');
  t.is(a['/etc/default/mesos-slave'], 'MASTER=zk://10.0.0.1:2181/mesos\nISOLATION=cgroups/cpu,cgroups/mem\n');
  for (const [path, content] of Object.entries({ ...m, ...a }))
    if (path.startsWith('/etc/mesos')) t.false(content.includes('#'), `${path} must hold the value alone`);
});

test('the Kubernetes-on-Mesos example renders its Mesos containers with the work dir really mounted', (t) => {
  const out = renderMesos(examplePlan('k8s-on-mesos-ha.yaml'));
  const run = commandsOf(out, 'k8s-master2').find((c) => c.startsWith('docker run')) ?? '';
  t.regex(run, /--name mesos-master/);
  t.regex(run, /-e MESOS_QUORUM=2 /);
  t.regex(
    run,
    /-e MESOS_ZK=zk:\/\/192\.168\.33\.21:2181,192\.168\.33\.22:2181,192\.168\.33\.23:2181\/mesos /,
  );
  t.regex(run, /-e MESOS_WORK_DIR=\/var\/lib\/mesos /);
  t.regex(run, /-v \/var\/lib\/mesos:\/var\/lib\/mesos /);
  t.regex(run, /mesoscloud\/mesos-master:0\.24\.1-ubuntu-14\.04$/);
  const agent = commandsOf(out, 'mesos-agent1').find((c) => c.startsWith('docker run')) ?? '';
  t.regex(agent, /--net host \\\n {2}--pid host \\\n {2}--privileged/);
  t.regex(agent, /-e MESOS_SWITCH_USER=0 /);
  t.regex(agent, /-e MESOS_CONTAINERIZERS=docker,mesos /);
  t.regex(
    agent,
    /-e DOCKER_DAEMON_ARGS='--insecure-registry 192\.168\.33\.10:5000 --registry-mirror http:\/\/192\.168\.33\.10:5000' /,
  );
  t.regex(agent, /mesosphere\/mesos-slave-dind:0\.2\.4_mesos-0\.24\.0_docker-1\.8\.2_ubuntu-14\.04\.3$/);
  t.deepEqual(filesOf(out, 'mesos-agent1'), {}, 'the docker runtime writes no flag files');
});

test('the Mesos quorum file follows the plan for 1 to 7 masters', (t) => {
  for (const [n, q] of majorities) {
    const plan = planOf(
      JSON.stringify({
        name: 'q',
        hosts: Array.from({ length: n }, (_, i) => ({
          name: `m${i}`,
          address: `10.0.0.${i + 1}`,
          roles: ['zookeeper', 'mesos-master'],
        })),
        zookeeper: { version: '3.4.14' },
        mesos: { version: '1.11.0' },
        waive: { 'even-ensemble': 'test', 'no-redundancy': 'test' },
      }),
      'q.json',
    );
    t.is(filesOf(renderMesos(plan), 'm0')['/etc/mesos-master/quorum'], `${q}\n`, `${n} masters`);
  }
});

test('shell quoting leaves plain words alone and quotes the rest', (t) => {
  t.is(shellQuote('zk://a:2181,b:2181/mesos'), 'zk://a:2181,b:2181/mesos');
  t.is(shellQuote('a b'), `'a b'`);
  t.is(shellQuote("it's"), `'it'\\''s'`);
  t.is(shellQuote('rack:r1;zone:a'), `'rack:r1;zone:a'`);
});

const marathonSpec = (version: string, flags: Record<string, unknown>, runtime = 'package') =>
  planOf(
    JSON.stringify({
      name: 'm',
      hosts: [{ name: 'm1', address: '10.0.0.1', roles: ['zookeeper', 'mesos-master', 'marathon'] }],
      zookeeper: { version: '3.4.14' },
      mesos: { version: '1.4.0' },
      marathon: { version, runtime, flags },
      waive: { 'no-redundancy': 'test' },
    }),
    'spec.json',
  );

test('Marathon before 1.5: /etc/marathon/conf files, booleans as ?flag and ?disable_flag', (t) => {
  const out = renderMesos(
    marathonSpec('1.4.12', { checkpoint: true, ha: false, task_launch_timeout: 300000 }),
  );
  const conf = filesOf(out, 'm1');
  t.is(conf['/etc/marathon/conf/master'], 'zk://10.0.0.1:2181/mesos\n');
  t.is(conf['/etc/marathon/conf/?checkpoint'], '');
  t.is(conf['/etc/marathon/conf/?disable_ha'], '', 'Marathon negates with --disable_<flag>');
  t.is(conf['/etc/marathon/conf/task_launch_timeout'], '300000\n');
  // only the scheduler driver's address: bin/marathon-framework sources the file with allexport
  t.is(conf['/etc/default/marathon'], 'LIBPROCESS_IP=10.0.0.1\n');
});

test('Marathon 1.5 and later: only /etc/default/marathon, MARATHON_* variables', (t) => {
  const out = renderMesos(
    marathonSpec('1.11.24', { checkpoint: true, ha: false, task_launch_timeout: 300000 }),
  );
  const conf = filesOf(out, 'm1');
  t.false(
    Object.keys(conf).some((p) => p.startsWith('/etc/marathon/conf/')),
    'no longer read from 1.5',
  );
  t.is(
    conf['/etc/default/marathon'],
    [
      'LIBPROCESS_IP=10.0.0.1',
      'MARATHON_HOSTNAME=10.0.0.1',
      'MARATHON_MASTER=zk://10.0.0.1:2181/mesos',
      'MARATHON_ZK=zk://10.0.0.1:2181/marathon',
      'MARATHON_HTTP_PORT=8080',
      'MARATHON_CHECKPOINT=',
      'MARATHON_DISABLE_HA=',
      'MARATHON_TASK_LAUNCH_TIMEOUT=300000',
      '',
    ].join('\n'),
  );
  const docker = commandsOf(renderMesos(marathonSpec('1.11.24', { ha: false }, 'docker')), 'm1').join('\n');
  t.regex(docker, /-e MARATHON_DISABLE_HA='' /);
  t.regex(docker, /-e LIBPROCESS_IP=10\.0\.0\.1 /);
  t.regex(docker, /-e MARATHON_ZK=zk:\/\/10\.0\.0\.1:2181\/marathon/);
});
