import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { STEPS_RUNNER_VAR, servicesOf, stopGroup, stopServices } from '@k8sm/testkit';
import test, { type ExecutionContext } from 'ava';
import { etcdAvailable, fourLetterWord, healthy, modeOf, zookeeperAvailable } from './daemons.js';
import { probeBin, removeTempDirs, render, tempDir, writeSpec } from './helpers.js';

// Issue 14, fault 3: the rendered site.yml run by the real ansible-playbook against real
// ZooKeeper 3.8 and etcd 3.4 members from Debian's packages. Each "host" is a directory standing
// in for its /etc, /var/lib, /var/log and /run; the testkit's service runner plays systemd for
// the rendered units (k8sm_steps_runner). The gates are on, as an operator runs it.
const hasAnsible = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).status === 0;
const hasBwrap = spawnSync('bwrap', ['--ro-bind', '/', '/', '/bin/true']).status === 0;
const ready = hasAnsible && hasBwrap && zookeeperAvailable && etcdAvailable;
const rolloutTest = ready || process.env.CI === 'true' ? test.serial : test.skip;

const SUBNET = '127.0.143';
const HOSTS = ['q1', 'q2', 'q3'];
const address = (i: number) => `${SUBNET}.${i + 1}`;
const roots: string[] = [];
test.after.always(() => {
  for (const root of roots) stopServices(root);
  removeTempDirs();
});

/** Three hosts, each a ZooKeeper and an etcd member; `tickTime` and the etcd token make a change. */
function spec(tickTime: number, token: string) {
  return {
    name: 'rollout',
    hosts: HOSTS.map((name, i) => ({
      name,
      address: address(i),
      roles: ['zookeeper', 'etcd'],
      // several "hosts" share this machine: each member binds its own address only
      zookeeper: { clientPortAddress: address(i), adminServer: { address: address(i) } },
    })),
    zookeeper: { version: '3.8.0', tickTime, initLimit: 10, syncLimit: 5 },
    etcd: { version: '3.4.23', runtime: 'package', token },
  };
}

function renderSpec(cwd: string, out: string, tickTime: number, token: string): string {
  const r = render([writeSpec(cwd, `${out}.json`, spec(tickTime, token)), '-o', out], cwd);
  if (r.code !== 0) throw new Error(r.stderr);
  return join(cwd, out);
}

function playbook(out: string, root: string, extra: string[] = []) {
  return spawnSync(
    'ansible-playbook',
    [
      ...['-i', 'inventory.ini', 'site.yml', '-c', 'local'],
      ...['-e', `ansible_python_interpreter=${process.env.K8SM_PYTHON ?? '/usr/bin/python3'}`],
      ...['-e', `k8sm_root=${root}/{{ inventory_hostname }}`],
      ...['-e', 'k8sm_become=false'],
      // JSON: a key=value extra var ends at the first blank
      ...['-e', JSON.stringify({ k8sm_steps_runner: STEPS_RUNNER_VAR })],
      ...extra,
    ],
    {
      cwd: join(out, 'ansible'),
      encoding: 'utf8',
      timeout: 240_000,
      env: { ...process.env, ANSIBLE_STDOUT_CALLBACK: 'default', ANSIBLE_NOCOLOR: '1' },
    },
  );
}

/** Nothing may listen on the test's addresses yet: another run's daemons would answer the gates. */
function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.setTimeout(1000, () => {
      s.destroy();
      resolve(true);
    });
    s.on('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', () => resolve(true));
  });
}

const zkModes = () =>
  Promise.all(HOSTS.map(async (_, i) => modeOf(await fourLetterWord(address(i), 'srvr'))));
const etcdHealth = () => Promise.all(HOSTS.map((_, i) => healthy(`http://${address(i)}:2379`)));
/** Every file below dir, by path, with its bytes. */
const snapshot = (dir: string, rel = ''): Record<string, string> =>
  Object.fromEntries(
    readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? Object.entries(snapshot(dir, `${rel}/${e.name}`))
        : e.isFile()
          ? [[`${rel}/${e.name}`, readFileSync(join(dir, rel, e.name), 'latin1')]]
          : [],
    ),
  );
/** The configuration a host was given (its data and logs change by themselves). */
const configOf = (root: string, host: string) => {
  const etc = join(root, host, 'etc');
  return existsSync(etc) ? snapshot(etc) : {};
};
const running = (root: string, host: string) =>
  Object.fromEntries(servicesOf(join(root, host)).map((s) => [s.unit, s.alive ? s.pgid : 0]));

interface Deployed {
  readonly cwd: string;
  readonly root: string;
}

async function bootstrap(t: ExecutionContext): Promise<Deployed> {
  t.true(hasAnsible, 'ansible-playbook is missing: the test command installs ansible-core');
  t.true(hasBwrap, 'bubblewrap cannot run here: the test command installs it');
  t.true(zookeeperAvailable && etcdAvailable, 'zookeeper or etcd-server is missing');
  for (const [i] of HOSTS.entries())
    for (const port of [2181, 2379, 2380, 2888, 3888])
      t.true(await portFree(address(i), port), `${address(i)}:${port} is taken`);
  const cwd = tempDir();
  const root = tempDir();
  roots.push(...HOSTS.map((h) => join(root, h)));
  const out = renderSpec(cwd, 'out', 500, 'one');
  const started = Date.now();
  const r = playbook(out, root);
  t.log(`fresh bootstrap: ${(Date.now() - started) / 1000} s`);
  t.is(r.status, 0, r.stdout + r.stderr);
  t.regex(r.stdout, /PLAY \[Roll out ZooKeeper: bootstrap, every member at once/);
  t.regex(r.stdout, /PLAY \[Roll out etcd: bootstrap, every member at once/);
  t.regex(r.stdout, /TASK \[Gate: every ZooKeeper member is up, with a leader\][^\n]*\nok:/);
  t.regex(r.stdout, /TASK \[Gate: every etcd member is up, with a leader\][^\n]*\nok:/);
  return { cwd, root };
}

let deployed: Deployed | undefined;

rolloutTest(
  'a fresh 3-member ZooKeeper and etcd: the bootstrap plays start every member, the whole-ensemble gates pass',
  async (t) => {
    t.timeout(300_000);
    deployed = await bootstrap(t);
    const { root } = deployed;
    const modes = await zkModes();
    t.is(modes.filter((m) => m === 'leader').length, 1, modes.join(' '));
    t.is(modes.filter((m) => m === 'follower').length, 2, modes.join(' '));
    t.deepEqual(await etcdHealth(), [true, true, true]);
    for (const h of HOSTS) {
      t.true((running(root, h)['zookeeper.service'] ?? 0) > 0, `${h}: zookeeper runs`);
      t.true((running(root, h)['etcd.service'] ?? 0) > 0, `${h}: etcd runs`);
    }
  },
);

/** A changed spec applied while a member is down: refused before any change, everything as it was. */
async function refusedWhileDown(t: ExecutionContext, label: string, out: string, extra: string[] = []) {
  if (!deployed) return t.fail('the bootstrap test did not deploy');
  const { cwd, root } = deployed;
  const config = HOSTS.map((h) => configOf(root, h));
  const before = HOSTS.map((h) => running(root, h));
  const changed = renderSpec(cwd, out, 600, out);
  const r = playbook(changed, root, extra);
  t.not(r.status, 0, r.stdout);
  t.regex(r.stdout, new RegExp(`refusing to restart a member of ${label}, nothing was changed`));
  t.notRegex(r.stdout, /TASK \[(zookeeper|etcd): (directories|files)/, 'no play after the pre-flight ran');
  t.deepEqual(
    HOSTS.map((h) => configOf(root, h)),
    config,
    'no file changed on any host',
  );
  t.deepEqual(
    HOSTS.map((h) => running(root, h)),
    before,
    'no member was restarted or stopped',
  );
  return r.stdout;
}

rolloutTest('a rolling run with one etcd member down refuses before touching any host', async (t) => {
  t.timeout(240_000);
  if (!deployed) return t.fail('the bootstrap test did not deploy');
  stopServicesOf(deployed.root, 'q2', 'etcd.service');
  t.deepEqual(await etcdHealth(), [true, false, true]);
  const stdout = await refusedWhileDown(t, 'etcd', 'out-etcd-down');
  t.regex(stdout ?? '', /2 of 3 members are up/);
  // the same through k8sm-probe over every member (--json: the count up, its exit code: whole or not)
  const probe = await refusedWhileDown(t, 'etcd', 'out-etcd-down-probe', [
    '-e',
    JSON.stringify({ k8sm_probe: `${process.execPath} ${probeBin}` }),
  ]);
  t.regex(probe ?? '', /TASK \[Pre-flight: k8sm-probe over every etcd member\][^\n]*\nok:/);
  t.regex(probe ?? '', /2 of 3 members are up/);
  t.deepEqual(await etcdHealth(), [true, false, true], 'the other members kept running');
});

rolloutTest('a rolling run with one ZooKeeper member down refuses before touching any host', async (t) => {
  t.timeout(240_000);
  if (!deployed) return t.fail('the bootstrap test did not deploy');
  stopServicesOf(deployed.root, 'q3', 'zookeeper.service');
  const modes = await zkModes();
  t.is(modes[2], 'down');
  const stdout = await refusedWhileDown(t, 'ZooKeeper', 'out-zk-down');
  t.regex(stdout ?? '', /2 of 3 members are up/);
  const after = await zkModes();
  t.deepEqual(after.slice(0, 2).sort(), ['follower', 'leader'], 'the other members kept serving');
});

function stopServicesOf(root: string, host: string, unit: string) {
  const s = servicesOf(join(root, host)).find((x) => x.unit === unit);
  if (!s?.alive) throw new Error(`${host}: ${unit} is not running`);
  stopGroup(s.pgid);
}
