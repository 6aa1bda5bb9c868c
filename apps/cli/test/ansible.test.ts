import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { parse } from 'yaml';
import {
  example,
  examples,
  removeTempDirs,
  render,
  renderableExample,
  tempDir,
  writeSpec,
} from './helpers.js';

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

const readUnsafe = { customTags: [{ tag: '!unsafe', resolve: (text: string) => text }] };

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

test('pre-flight first; quorum members all at once (bootstrap) or one at a time (rolling), each restart followed by its gate; agents in batches', (t) => {
  const out = renderExample('k8s-on-mesos-ha.yaml');
  const plays = parse(readFileSync(join(out, 'ansible/site.yml'), 'utf8'), readUnsafe) as {
    hosts: string;
    serial: number | string;
    any_errors_fatal: boolean;
    tasks: Record<string, unknown>[];
  }[];
  t.deepEqual(
    plays.map((p) => p.hosts),
    [
      // the pre-flight plays, no change
      ...['zookeeper', 'etcd', 'mesos_master'],
      // each quorum's bootstrap and rolling play: the pre-flight gives its hosts to one
      ...['zookeeper', 'etcd'].flatMap((g) => [`k8sm_${g}_bootstrap`, `k8sm_${g}_rolling`]),
      ...['mesos_master', 'k8s_master', 'haproxy', 'mesos_agent'],
    ],
    'the pre-flight plays, then quorums first, then the apiservers and the balancer, agents last',
  );
  for (const p of plays.slice(3, 10)) {
    t.is(p.serial, p.hosts.endsWith('_bootstrap') ? '100%' : 1, p.hosts);
    t.true(p.any_errors_fatal, p.hosts);
    const flush = p.tasks.findIndex((task) => task['ansible.builtin.meta'] === 'flush_handlers');
    const gate = p.tasks.findIndex((task) => String(task.name).startsWith('Gate:'));
    t.true(flush > 0 && gate > flush, `${p.hosts}: the steps (restart) run, then the gate`);
    t.true(
      p.tasks.slice(gate).every((task) => (task.tags as string[] | undefined)?.includes('gate')),
      `${p.hosts}: gates are tagged`,
    );
  }
  t.is(plays.at(-1)?.serial, '25%');
  const inventory = readFileSync(join(out, 'ansible/inventory.ini'), 'utf8');
  t.regex(inventory, /^\[mesos_master\]\nk8s-master1\nk8s-master2\nk8s-master3$/m);
  t.regex(
    readFileSync(join(out, 'ansible/host_vars/k8s-master1.yml'), 'utf8'),
    /^ansible_host: !unsafe '192\.168\.33\.21'$/m,
    'the address is data in host_vars: INI values cannot be marked unsafe',
  );
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

// Issue 13: a spec full of Jinja, from a shipped example, through the CLI and the real ansible-playbook.
// Each payload, if evaluated, touches a marker, prints 49 or x, or swallows a comment.
const jinja = (markers: string) =>
  `<{{ 7*7 }}|{% if true %}x{% endif %}|{# c #}|{{ lookup('pipe', 'touch ${markers}/evaluated') }}>`;
// The same without a blank, for Kubernetes flag values (one word each: the grammar refuses a blank).
const jinjaWord = '<{{7*7}}|{%if(true)%}x{%endif%}|{#c#}>';

/** Every string field the spec grammar admits braces in, by its JSON path, with the value it gets. */
const jinjaFields = (p: string): [string, unknown][] => [
  ['description', p],
  ['mesos.cluster', p],
  ['mesos.agent.attributes', { rack: p }],
  ['mesos.agent.flags', { default_role: p }],
  ['mesos.agent.isolation', [p]],
  ['etcd.token', p],
  ['haproxy.stats.user', p],
  ['kubernetes.extraArgs', { apiserver: { 'event-ttl': jinjaWord } }],
  ['kubernetes.clusterDomain', p],
  ['kubernetes.docker', { storageDriver: p }],
  ['marathon.apps[0].cmd', p],
  ['marathon.apps[0].env', { GREETING: p }],
  ['marathon.apps[0].healthChecks', [{ protocol: 'COMMAND', command: p }]],
  ['marathon.apps[0].docker', { image: p }],
  ['waive', { 'no-redundancy': p }],
];

function setAt(spec: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split(/\.|\[(\d+)\]\.?/).filter((k) => k !== undefined && k !== '');
  let node = spec;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1) ?? ''] = value;
}

/**
 * k8s-on-mesos-ha.yaml on three loopback hosts (every quorum role on one master, so each play runs
 * once), Mesos from packages (its flag files carry the payloads) and Marathon added, with a payload
 * in every field above. A field the grammar refuses, at its own path, is left out: refused is the
 * other safe outcome (issue 13's matrix); a refusal anywhere else fails the test.
 */
function renderJinjaSpec(t: { log: (...v: unknown[]) => void }) {
  const cwd = tempDir();
  const markers = tempDir();
  const base = parse(readFileSync(example('k8s-on-mesos-ha.yaml'), 'utf8')) as Record<string, unknown>;
  base.hosts = [
    {
      name: 'k8s-master1',
      address: '127.0.91.1',
      roles: ['zookeeper', 'etcd', 'mesos-master', 'k8s-master', 'marathon'],
    },
    { name: 'mesos-agent1', address: '127.0.91.2', roles: ['mesos-agent'] },
    { name: 'k8s-lb', address: '127.0.91.3', roles: ['haproxy'] },
  ];
  setAt(base, 'kubernetes.scheduler', { hosts: ['k8s-master1'] });
  setAt(base, 'mesos.runtime', 'package');
  // the section stays whole when a payload field of it is refused and left out
  setAt(base, 'marathon', { version: '0.15.0', apps: [{ id: '/web', cmd: 'sleep 30', cpus: 0.1, mem: 32 }] });
  let fields = jinjaFields(jinja(markers));
  for (let attempt = 0; ; attempt++) {
    const spec = structuredClone(base);
    for (const [path, value] of fields) setAt(spec, path, value);
    const file = writeSpec(cwd, 'spec.json', spec);
    const r = render([file, '-o', 'out'], cwd);
    if (r.code === 0) return { out: join(cwd, 'out'), markers, fields: fields.map(([path]) => path) };
    const refused = [...r.stderr.matchAll(/^\S+: error (\S+): /gm)].map((m) => m[1] ?? '');
    const under = (path: string) => (f: string) =>
      f === path || f.startsWith(`${path}.`) || f.startsWith(`${path}[`);
    const outside = refused.filter((f) => !fields.some(([path]) => under(path)(f)));
    if (attempt > 0 || refused.length === 0 || outside.length > 0)
      throw new Error(`the Jinja spec was refused outside its payload fields:\n${r.stderr}`);
    const left = fields.filter(([path]) => refused.some(under(path)));
    t.log(`refused at their own path, left out: ${left.map(([path]) => path).join(', ')}`);
    fields = fields.filter((f) => !left.includes(f));
  }
}

/** Every file below dir, by its path from dir. */
const filesBelow = (dir: string, rel = ''): string[] =>
  readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesBelow(dir, `${rel}/${e.name}`) : [`${rel}/${e.name}`],
  );

ansibleTest(
  'a spec full of Jinja: ansible-playbook copies every payload as its bytes and evaluates none',
  (t) => {
    t.timeout(300_000);
    const { out, markers, fields } = renderJinjaSpec(t);
    t.true(fields.length > 0);
    const ansible = join(out, 'ansible');
    const root = tempDir();
    const hosts = readdirSync(join(out, 'hosts'));
    const payload = jinja(markers);

    const syntax = playbook(['--syntax-check', '-i', 'inventory.ini', 'site.yml'], ansible);
    t.is(syntax.status, 0, syntax.stdout + syntax.stderr);
    const apply = playbook(
      [
        '-i',
        'inventory.ini',
        'site.yml',
        '-c',
        'local',
        '-e',
        `ansible_python_interpreter=${process.env.K8SM_PYTHON ?? '/usr/bin/python3'}`,
        // one machine plays every host: each gets its own root
        '-e',
        `k8sm_root=${root}/{{ inventory_hostname }}`,
        '-e',
        'k8sm_become=false',
        '-e',
        'k8sm_gates=false',
        '-e',
        'k8sm_run_steps=false',
      ],
      ansible,
    );
    t.is(apply.status, 0, apply.stdout + apply.stderr);
    t.false(existsSync(join(markers, 'evaluated')), 'a lookup ran on the control node');
    t.notRegex(apply.stdout + apply.stderr, /<49\|/, 'a {{ 7*7 }} was evaluated');

    // every host file and step script landed as rendered; the payloads are in them, byte for byte
    let carrying = 0;
    for (const h of hosts) {
      const rendered = [
        ...filesBelow(join(out, 'hosts', h)).map((p) => [join(out, 'hosts', h, p), p]),
        ...(existsSync(join(ansible, 'steps', h)) ? readdirSync(join(ansible, 'steps', h)) : []).map((s) => [
          join(ansible, 'steps', h, s),
          `/var/lib/k8sm/steps/${s}`,
        ]),
      ];
      t.deepEqual(filesBelow(join(root, h)).sort(), rendered.map(([, p]) => p).sort(), h);
      for (const [from, path] of rendered) {
        const bytes = readFileSync(from ?? '', 'utf8');
        t.is(readFileSync(join(root, h, path ?? ''), 'utf8'), bytes, `${h}${path}`);
        if (bytes.includes(payload) || bytes.includes(jinjaWord)) carrying++;
      }
    }
    // at least mesos.cluster, the rack attribute, the default_role flag and the apiserver's flag
    t.true(carrying >= 4, `${carrying} copied files carry a payload`);

    // the inventory as Ansible reads it: every host var from the spec is unsafe
    const list = spawnSync('ansible-inventory', ['-i', 'inventory.ini', '--list'], {
      cwd: ansible,
      encoding: 'utf8',
    });
    t.is(list.status, 0, list.stderr);
    const hostvars = (
      JSON.parse(list.stdout) as { _meta: { hostvars: Record<string, Record<string, unknown>> } }
    )._meta.hostvars;
    t.deepEqual(hostvars['mesos-agent1']?.ansible_host, { __ansible_unsafe: '127.0.91.2' });
    t.deepEqual(hostvars['k8s-master1']?.k8sm_mesos_url, { __ansible_unsafe: 'http://127.0.91.1:5050' });
  },
);
