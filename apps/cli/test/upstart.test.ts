// Fault 10 of issue 14: the seed 002 system (Ubuntu 14.04, upstart) from the package runtime's
// scripts, run on a model of upstart's initctl (packages/testkit/src/upstart.ts, from upstart's
// initctl(8)) with no systemctl on PATH.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RENDERERS } from '@k8sm/render-cluster';
import { type Artifact, loadSpec } from '@k8sm/spec';
import {
  exampleText,
  hostScriptOf,
  runOnUpstartHost,
  sandboxMechanism,
  type UpstartRun,
} from '@k8sm/testkit';
import test from 'ava';
import { fourLetterWord, modeOf, ZOOKEEPER_JAR, zookeeperAvailable } from './daemons.js';
import { removeTempDirs, tempDir } from './helpers.js';

const sandboxTest = sandboxMechanism() || process.env.CI === 'true' ? test : test.skip;
const zookeeperTest = zookeeperAvailable || process.env.CI === 'true' ? test.serial : test.skip;
test.after.always(removeTempDirs);

// The jobs the packages install on Ubuntu 14.04:
// - mesos: github:mesosphere/mesos-deb-packaging@54ec74acbb3789757eee15061f26d253135cc1d6,
//   upstart/master.upstart and upstart/slave.upstart, copied to /etc/init/mesos-{master,slave}.conf
//   by build_mesos's init_scripts for ubuntu/*;
// - marathon: github:mesosphere/marathon@dcb0f9ddaacccf478837d7a569cf232e4ab3b154,
//   tools/packager/marathon.conf, /etc/init/marathon.conf of the ubuntu-trusty package (Makefile);
// - zookeeper: Ubuntu's zookeeperd ships a job of the same name (the guide runs `restart
//   zookeeper` and writes /etc/init/zookeeper.override); k8sm writes its own in its place.
const MESOS_MASTER_JOB = `description "mesos master"
start on stopped rc RUNLEVEL=[2345]
respawn
exec /usr/bin/mesos-init-wrapper master
`;
const MESOS_SLAVE_JOB = `description "mesos slave"
start on stopped rc RUNLEVEL=[2345]
respawn
exec /usr/bin/mesos-init-wrapper slave
`;
const MARATHON_JOB = `description "Marathon scheduler for Mesos"
start on runlevel [2345]
stop on runlevel [!2345]
respawn
respawn limit 10 5
exec /usr/bin/marathon
`;
const PACKAGE_ZOOKEEPER_JOB =
  "# the zookeeperd package's job\nstart on runlevel [2345]\nexec /usr/bin/java\n";

function seed002(initSystem: 'upstart' | 'systemd'): readonly Artifact[] {
  const spec = { ...JSON.parse(exampleText('mesosphere-3-masters.json')), initSystem };
  const report = loadSpec(JSON.stringify(spec), 'seed-002.json');
  if (!report.plan) throw new Error(report.findings.map((f) => f.message).join('\n'));
  const plan = report.plan;
  return RENDERERS.flatMap((r) => r.render(plan, { pki: {} }));
}

const upstart = seed002('upstart');
const renderedJobs = (host: string) =>
  Object.fromEntries(
    upstart.flatMap((a) =>
      a.kind === 'file' && a.host === host && a.path.startsWith('/etc/init/')
        ? [[a.path.slice('/etc/init/'.length), a.content]]
        : [],
    ),
  );
/** What a host's /etc/init holds once its packages are installed and k8sm's files are placed. */
const installed = (host: string, packages: Record<string, string>) => ({
  ...packages,
  ...renderedJobs(host),
});
const masterPackages = {
  'mesos-master.conf': MESOS_MASTER_JOB,
  'mesos-slave.conf': MESOS_SLAVE_JOB,
  'marathon.conf': MARATHON_JOB,
  'zookeeper.conf': PACKAGE_ZOOKEEPER_JOB,
};
const agentPackages = {
  'mesos-master.conf': MESOS_MASTER_JOB,
  'mesos-slave.conf': MESOS_SLAVE_JOB,
  'zookeeper.conf': PACKAGE_ZOOKEEPER_JOB,
};
/** Every package job running with its own .conf, as after a boot. */
const booted = (packages: Record<string, string>) =>
  Object.fromEntries(Object.entries(packages).map(([file, conf]) => [file.replace(/\.conf$/, ''), conf]));
const problems = (run: UpstartRun) => `exit ${run.status}\n${run.stderr}\n${JSON.stringify(run.calls)}`;
const names = (run: UpstartRun) => Object.keys(run.running).sort();

sandboxTest(
  'seed 002 master, packages just installed (nothing running): its services start under upstart, mesos-slave is set manual',
  (t) => {
    const etcInit = installed('mesos-master1', masterPackages);
    const run = runOnUpstartHost(hostScriptOf(upstart, 'mesos-master1'), { jobs: etcInit });
    t.is(run.status, 0, problems(run));
    t.deepEqual(names(run), ['marathon', 'mesos-master', 'zookeeper']);
    t.is(run.running.zookeeper, etcInit['zookeeper.conf'], 'ZooKeeper runs the job k8sm wrote');
    t.regex(run.etcInit['mesos-slave.override'] ?? '', /^manual$/m);
    t.false(
      run.calls.some((c) => c[0] === 'systemctl'),
      'no systemctl on an upstart host',
    );
    t.false(
      run.calls.some((c) => c[0] === 'restart'),
      'restart keeps the old job configuration: stop + start',
    );
  },
);

sandboxTest(
  "seed 002 master after boot (every package job running, ZooKeeper on the package job): rerun picks up k8sm's job and stops mesos-slave",
  (t) => {
    const etcInit = installed('mesos-master2', masterPackages);
    const run = runOnUpstartHost(hostScriptOf(upstart, 'mesos-master2'), {
      jobs: etcInit,
      running: booted(masterPackages),
    });
    t.is(run.status, 0, problems(run));
    t.deepEqual(names(run), ['marathon', 'mesos-master', 'zookeeper']);
    t.is(run.running.zookeeper, etcInit['zookeeper.conf'], 'a plain `restart` would keep the package job');
    t.is(run.running['mesos-master'], MESOS_MASTER_JOB);
  },
);

sandboxTest(
  'seed 002 agent after boot: only mesos-slave keeps running; mesos-master and zookeeper are stopped and set manual',
  (t) => {
    const run = runOnUpstartHost(hostScriptOf(upstart, 'mesos-slave1'), {
      jobs: installed('mesos-slave1', agentPackages),
      running: booted(agentPackages),
    });
    t.is(run.status, 0, problems(run));
    t.deepEqual(names(run), ['mesos-slave']);
    for (const job of ['mesos-master', 'zookeeper']) t.is(run.etcInit[`${job}.override`], 'manual\n', job);
    t.falsy(run.etcInit['mesos-slave.override']);
  },
);

sandboxTest(
  'the scripts are idempotent on upstart: a second run changes nothing and writes `manual` once',
  (t) => {
    const script = hostScriptOf(upstart, 'mesos-slave2');
    const first = runOnUpstartHost(script, { jobs: installed('mesos-slave2', agentPackages) });
    t.is(first.status, 0, problems(first));
    const second = runOnUpstartHost(script, { jobs: first.etcInit, running: first.running });
    t.is(second.status, 0, problems(second));
    t.deepEqual(second.running, first.running);
    t.deepEqual(second.etcInit, first.etcInit);
  },
);

sandboxTest(
  'a host that becomes an agent has `manual` dropped from its mesos-slave override, other stanzas kept',
  (t) => {
    const etcInit = {
      ...installed('mesos-slave3', agentPackages),
      // what the guide's `echo manual | sudo tee /etc/init/mesos-slave.override` left, plus an operator's line
      'mesos-slave.override': 'manual\nlimit nofile 8192 8192\n',
    };
    const run = runOnUpstartHost(hostScriptOf(upstart, 'mesos-slave3'), { jobs: etcInit });
    t.is(run.status, 0, problems(run));
    t.is(run.etcInit['mesos-slave.override'], 'limit nofile 8192 8192\n');
    t.deepEqual(names(run), ['mesos-slave']);
  },
);

sandboxTest('control: the systemd scripts fail on the upstart host at their first systemctl', (t) => {
  const run = runOnUpstartHost(hostScriptOf(seed002('systemd'), 'mesos-master1'), {
    jobs: installed('mesos-master1', masterPackages),
  });
  t.not(run.status, 0);
  t.regex(run.stderr, /systemctl: command not found/);
});

zookeeperTest(
  "the ZooKeeper job k8sm writes for upstart starts Debian's real ZooKeeper with its exec line",
  async (t) => {
    t.true(zookeeperAvailable, `Debian's zookeeper package is missing (${ZOOKEEPER_JAR})`);
    const address = '127.0.63.1';
    const cwd = tempDir();
    const dataDir = join(cwd, 'data');
    const report = loadSpec(
      JSON.stringify({
        name: 'zk-upstart',
        initSystem: 'upstart',
        hosts: [{ name: 'zk1', address, roles: ['zookeeper'] }],
        zookeeper: { version: '3.8.0', dataDir, clientPortAddress: address, adminServer: { address } },
        waive: { 'no-redundancy': 'one member is enough to start the job' },
      }),
      'zk-upstart.json',
    );
    if (!report.plan) throw new Error(report.findings.map((f) => f.message).join('\n'));
    const plan = report.plan;
    const files = Object.fromEntries(
      RENDERERS.flatMap((r) => r.render(plan, { pki: {} })).flatMap((a) =>
        a.kind === 'file' ? [[a.path, a.content]] : [],
      ),
    );
    t.falsy(files['/etc/systemd/system/zookeeper.service'], 'no systemd unit on an upstart host');
    const job = files['/etc/init/zookeeper.conf'] ?? '';
    t.regex(job, /^setuid zookeeper$/m);
    const exec = /^exec (.*)$/m.exec(job)?.[1] ?? '';
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'myid'), files[`${dataDir}/myid`] ?? '');
    writeFileSync(join(cwd, 'zoo.cfg'), files['/etc/zookeeper/conf/zoo.cfg'] ?? '');
    // init(5): a line with special characters runs through sh, one without is split by upstart
    // itself; both give sh's words here. Only the config and log paths point into the test dir
    // (and the job's setuid is left to upstart).
    const line = exec
      .replace('/etc/zookeeper/conf/zoo.cfg', join(cwd, 'zoo.cfg'))
      .replace('-Dzookeeper.log.dir=/var/log/zookeeper', `-Dzookeeper.log.dir=${join(cwd, 'log')}`);
    t.is(
      modeOf(await fourLetterWord(address, 'srvr', 1000)),
      'down',
      `something already answers on ${address}:2181`,
    );
    const child = spawn('/bin/sh', ['-c', `exec ${line}`], { stdio: 'ignore', detached: true });
    try {
      let mode = 'down';
      for (let i = 0; i < 120 && mode !== 'standalone'; i++) {
        mode = modeOf(await fourLetterWord(address, 'srvr', 1000));
        if (mode !== 'standalone') await new Promise((r) => setTimeout(r, 500));
      }
      t.is(mode, 'standalone');
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }
  },
);
