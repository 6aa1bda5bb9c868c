import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { parse } from 'yaml';
import { example, examples, removeTempDirs, render, renderableExample, tempDir } from './helpers.js';

// The Ansible hand-off, checked by Debian's ansible-core (the test command installs it): syntax
// of every example, the quorum-safe structure, and a real local apply into a temp root.
const has = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).status === 0;
const ansibleTest = has || process.env.CI === 'true' ? test.serial : test.skip;
test.after.always(removeTempDirs);

function renderExample(name: string): string {
  const cwd = tempDir();
  const { file } = renderableExample(name, cwd);
  const r = render([file, '-o', 'out'], cwd);
  if (r.code !== 0) throw new Error(r.stderr);
  return join(cwd, 'out');
}

const playbook = (args: string[], cwd: string) =>
  spawnSync('ansible-playbook', args, {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
    env: {
      ...process.env,
      ANSIBLE_STDOUT_CALLBACK: 'default',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_LOCALHOST_WARNING: 'false',
    },
  });

ansibleTest('every example’s inventory and playbook pass ansible-playbook --syntax-check', (t) => {
  t.true(has, 'ansible-playbook is missing: the test command installs ansible-core');
  for (const spec of readdirSync(examples).filter((f) => /\.(json|ya?ml)$/.test(f))) {
    const out = renderExample(spec);
    const r = playbook(['--syntax-check', '-i', 'inventory.ini', 'site.yml'], join(out, 'ansible'));
    t.is(r.status, 0, `${spec}\n${r.stdout}${r.stderr}`);
    t.notRegex(r.stderr, /\[WARNING\]/, spec);
  }
});

test('quorum members go one at a time, each restart followed by its gate; agents in batches', (t) => {
  const out = renderExample('k8s-on-mesos-ha.yaml');
  const plays = parse(readFileSync(join(out, 'ansible/site.yml'), 'utf8')) as {
    hosts: string;
    serial: number | string;
    any_errors_fatal: boolean;
    tasks: Record<string, unknown>[];
  }[];
  t.deepEqual(
    plays.map((p) => p.hosts),
    ['zookeeper', 'etcd', 'mesos_master', 'k8s_master', 'haproxy', 'mesos_agent'],
    'quorums first, then the apiservers and the balancer, agents last',
  );
  for (const p of plays.filter((x) =>
    ['zookeeper', 'etcd', 'mesos_master', 'k8s_master'].includes(x.hosts),
  )) {
    t.is(p.serial, 1, p.hosts);
    t.true(p.any_errors_fatal, p.hosts);
    const flush = p.tasks.findIndex((task) => task['ansible.builtin.meta'] === 'flush_handlers');
    const gate = p.tasks.findIndex((task) => String(task.name).startsWith('gate:'));
    t.true(flush > 0 && gate > flush, `${p.hosts}: the steps (restart) run, then the gate`);
    t.true(
      p.tasks.slice(gate).every((task) => (task.tags as string[] | undefined)?.includes('gate')),
      `${p.hosts}: gates are tagged`,
    );
  }
  t.is(plays.at(-1)?.serial, '25%');
  const inventory = readFileSync(join(out, 'ansible/inventory.ini'), 'utf8');
  t.regex(inventory, /^\[mesos_master\]\nk8s-master1 ansible_host=192\.168\.33\.21$/m);
});

ansibleTest('a real local apply: every file lands with its mode, and a second run changes nothing', (t) => {
  t.timeout(300_000);
  const out = renderExample('k8s-on-mesos-single-master.json');
  const root = tempDir();
  const args = [
    '-i',
    'inventory.ini',
    'site.yml',
    '-e',
    'ansible_connection=local',
    '-e',
    `ansible_python_interpreter=${process.env.K8SM_PYTHON ?? '/usr/bin/python3'}`,
    '-e',
    `k8sm_root=${root}`,
    '-e',
    'k8sm_run_steps=false',
    '-e',
    'k8sm_gates=false',
    '-e',
    'k8sm_become=false',
  ];
  const first = playbook(args, join(out, 'ansible'));
  t.is(first.status, 0, first.stdout + first.stderr);
  t.regex(first.stdout, /k8sm-master +: ok=\d+ +changed=[1-9]\d* +unreachable=0 +failed=0/);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
    files: { host: string | null; path: string; mode: string }[];
  };
  const own = manifest.files.filter((f) => f.host === 'k8sm-master');
  t.true(own.length > 10);
  for (const f of own) {
    const target = join(root, f.path);
    t.is(`0${(statSync(target).mode & 0o777).toString(8)}`, f.mode, f.path);
    t.is(readFileSync(target, 'utf8'), readFileSync(join(out, 'hosts/k8sm-master', f.path), 'utf8'), f.path);
  }
  const second = playbook(args, join(out, 'ansible'));
  t.is(second.status, 0, second.stderr);
  t.regex(second.stdout, /k8sm-master +: ok=\d+ +changed=0 +unreachable=0 +failed=0/);
  t.truthy(example('k8s-on-mesos-single-master.json'));
});
