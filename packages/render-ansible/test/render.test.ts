import type { ArtifactComponent, CommandArtifact, FileArtifact } from '@k8sm/spec';
import { sh } from '@k8sm/spec';
import { type HostIn, planOf, type SpecIn, threeMasters } from '@k8sm/testkit';
import test from 'ava';
import { parse } from 'yaml';
import { type AnsibleFile, renderAnsible } from '../src/index.js';

const component: Record<string, ArtifactComponent> = {
  zookeeper: 'zookeeper',
  'mesos-master': 'mesos',
  'mesos-agent': 'mesos',
  marathon: 'marathon',
  etcd: 'etcd',
  'k8s-master': 'kubernetes',
  'k8s-node': 'kubernetes',
  haproxy: 'haproxy',
};

/** One host of every role: quorum members on m1–m3, two agents, a node, a load balancer. */
const everyStage = (over: Record<string, unknown> = {}): SpecIn => ({
  name: 'every-stage',
  hosts: [
    ...[1, 2, 3].map((i) => ({
      name: `m${i}`,
      address: `10.1.0.${i}`,
      roles: ['zookeeper', 'mesos-master', 'marathon', 'etcd', 'k8s-master'],
    })),
    { name: 'a1', address: '10.1.1.1', roles: ['mesos-agent'] },
    { name: 'a2', address: '10.1.1.2', roles: ['mesos-agent'] },
    { name: 'n1', address: '10.1.2.1', roles: ['k8s-node'], kubernetes: { podCidr: '10.244.1.0/24' } },
    { name: 'lb', address: '10.1.3.1', roles: ['haproxy'] },
  ],
  zookeeper: { version: '3.8.4', adminServer: { enabled: false } },
  mesos: { version: '1.11.0' },
  marathon: { version: '1.11.24' },
  etcd: { version: '3.5.16' },
  kubernetes: { version: '1.30.8', flavor: 'standalone', pkiDir: 'pki', clusterCidr: '10.244.0.0/16' },
  haproxy: { version: '2.6' },
  ...over,
});

/** Appends to the list under key, creating it. */
const push = <T>(map: Record<string, T[]>, key: string, value: T) => {
  map[key] = [...(map[key] ?? []), value];
};

const componentsOf = (h: HostIn) => [...new Set(h.roles.map((r) => component[r] ?? 'k8sm'))];

/**
 * What the renderers would hand over, made up from the spec: per host and component a config
 * file, for etcd also a key (0600); steps for every component but HAProxy; one cluster-wide file.
 */
function artifactsOf(spec: SpecIn): { files: FileArtifact[]; commands: CommandArtifact[] } {
  const files: FileArtifact[] = [
    { kind: 'file', host: null, path: '/cluster.txt', mode: 0o644, content: 'x', component: 'k8sm' },
  ];
  const commands: CommandArtifact[] = [];
  for (const h of spec.hosts)
    for (const c of componentsOf(h)) {
      const file = (path: string, mode: number): FileArtifact => ({
        kind: 'file',
        host: h.name,
        path,
        mode,
        content: `${c} of ${h.name}\n`,
        component: c,
      });
      files.push(file(`/etc/${c}/${c}.conf`, 0o644));
      if (c === 'etcd') files.push(file('/etc/etcd/ssl/member.key', 0o600));
      if (c !== 'haproxy')
        for (const [order, verb] of [
          [10, 'daemon-reload'],
          [20, `restart ${c}`],
        ] as const)
          commands.push({
            kind: 'command',
            host: h.name,
            order,
            command: sh`systemctl ${verb.split(' ')}`,
            component: c,
          });
    }
  return { files, commands };
}

const render = (spec: SpecIn) => {
  const { files, commands } = artifactsOf(spec);
  return renderAnsible(planOf(spec), files, commands);
};
const fileAt = (out: AnsibleFile[], path: string): AnsibleFile => {
  const f = out.find((o) => o.path === path);
  if (!f) throw new Error(`no ${path} among ${out.map((o) => o.path).join(', ')}`);
  return f;
};
// `!unsafe` read as the plain string Ansible would hold; the tags themselves are checked in unsafe.test.ts
const yamlAt = (out: AnsibleFile[], path: string) =>
  parse(fileAt(out, path).content, { customTags: [{ tag: '!unsafe', resolve: (text: string) => text }] });

interface Task {
  name: string;
  tags?: string[];
  notify?: string;
  'ansible.builtin.meta'?: string;
  'ansible.builtin.command'?: string;
  vars?: Record<string, unknown>;
  'ansible.builtin.uri'?: Record<string, unknown>;
}
interface Play {
  name: string;
  hosts: string;
  serial: number | string;
  any_errors_fatal: boolean;
  max_fail_percentage: number;
  vars?: Record<string, unknown>;
  tasks: Task[];
  handlers: { name: string }[];
}
const playsOf = (out: AnsibleFile[]): Play[] => yamlAt(out, 'ansible/site.yml');
const isGate = (task: Task) => task.tags?.includes('gate') ?? false;

/** inventory.ini as group → its host lines. */
function inventoryOf(out: AnsibleFile[]): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  let group = '';
  for (const line of fileAt(out, 'ansible/inventory.ini').content.split('\n')) {
    const header = /^\[(.+)\]$/.exec(line)?.[1];
    if (header !== undefined) {
      group = header;
      groups[group] = [];
    } else if (line && !line.startsWith('#')) push(groups, group, line);
  }
  return groups;
}

test('inventory: one group per role, dashes as underscores, every member by name; its ansible_host in host_vars', (t) => {
  const spec = everyStage();
  const expected: Record<string, string[]> = {};
  for (const h of spec.hosts) for (const role of h.roles) push(expected, role.replaceAll('-', '_'), h.name);
  // the groups the pre-flight plays fill, declared empty
  for (const g of ['zookeeper', 'etcd'])
    for (const mode of ['bootstrap', 'rolling']) expected[`k8sm_${g}_${mode}`] = [];
  const out = render(spec);
  const inventory = inventoryOf(out);
  t.deepEqual(inventory, expected, 'no values in inventory.ini: INI cannot mark them unsafe');
  for (const h of spec.hosts) t.is(yamlAt(out, `ansible/host_vars/${h.name}.yml`).ansible_host, h.address);
  t.deepEqual(Object.keys(inventory).sort(), [
    'etcd',
    'haproxy',
    'k8s_master',
    'k8s_node',
    'k8sm_etcd_bootstrap',
    'k8sm_etcd_rolling',
    'k8sm_zookeeper_bootstrap',
    'k8sm_zookeeper_rolling',
    'marathon',
    'mesos_agent',
    'mesos_master',
    'zookeeper',
  ]);
});

test('host_vars: each host lists its own files by component with octal modes, and its address', (t) => {
  const spec = everyStage();
  const { files } = artifactsOf(spec);
  const out = render(spec);
  for (const h of spec.hosts) {
    const vars = yamlAt(out, `ansible/host_vars/${h.name}.yml`);
    t.is(vars.k8sm_address, h.address, h.name);
    const expected: Record<string, { path: string; mode: string }[]> = {};
    for (const f of files.filter((f) => f.host === h.name))
      push(expected, f.component, { path: f.path, mode: f.mode === 0o600 ? '0600' : '0644' });
    t.deepEqual(vars.k8sm_files, expected, h.name);
    t.deepEqual(Object.keys(vars.k8sm_files).sort(), componentsOf(h).sort(), h.name);
  }
  const m1 = yamlAt(out, 'ansible/host_vars/m1.yml');
  t.deepEqual(m1.k8sm_dirs.etcd, ['/etc/etcd', '/etc/etcd/ssl', '/var/lib/k8sm/steps']);
  t.deepEqual(yamlAt(out, 'ansible/host_vars/lb.yml').k8sm_dirs, { haproxy: ['/etc/haproxy'] }, 'no steps');
  t.false(
    out.some((f) => f.content.includes('/cluster.txt')),
    'a cluster-wide file belongs to no host',
  );
});

test('host_vars: the gate endpoints only on the members of each ensemble, from their addresses', (t) => {
  const out = render(everyStage());
  const m2 = yamlAt(out, 'ansible/host_vars/m2.yml');
  // ZooKeeper and etcd are asked as a whole ensemble, from the play's vars: no per-host endpoint
  t.is(m2.k8sm_zookeeper_port, undefined);
  t.is(m2.k8sm_etcd_url, undefined);
  t.is(m2.k8sm_mesos_url, 'http://10.1.0.2:5050');
  t.is(m2.k8sm_marathon_url, 'http://10.1.0.2:8080');
  t.is(m2.k8sm_apiserver_url, 'https://10.1.0.2:6443');
  t.is(m2.k8sm_haproxy_port, undefined);
  t.is(yamlAt(out, 'ansible/host_vars/lb.yml').k8sm_haproxy_port, 6443);
  const endpointKeys = (host: string) =>
    Object.keys(yamlAt(out, `ansible/host_vars/${host}.yml`)).filter((k) => /_(url|port)$/.test(k));
  t.deepEqual(endpointKeys('a1'), [], 'an agent is no member of any ensemble');
  t.deepEqual(endpointKeys('n1'), []);
});

test('host_vars: the Mesos and Marathon gate URLs are the plan members’ own, not rebuilt', (t) => {
  const spec = everyStage();
  const plan = planOf(spec);
  if (!plan.mesos || !plan.marathon) throw new Error('everyStage runs Mesos and Marathon');
  const moved = <M extends { host: string; url: string }>(members: readonly M[], url: string) =>
    members.map((m) => (m.host === 'm2' ? { ...m, url } : m));
  const { files, commands } = artifactsOf(spec);
  const out = renderAnsible(
    {
      ...plan,
      mesos: { ...plan.mesos, masters: moved(plan.mesos.masters, 'http://mesos-2.lan:5050') },
      marathon: {
        ...plan.marathon,
        members: moved(plan.marathon.members, 'http://marathon-2.lan:8080'),
      },
    },
    files,
    commands,
  );
  const m2 = yamlAt(out, 'ansible/host_vars/m2.yml');
  t.is(m2.k8sm_mesos_url, 'http://mesos-2.lan:5050');
  t.is(m2.k8sm_marathon_url, 'http://marathon-2.lan:8080');
});

test('the ZooKeeper checks ask every member where it listens: its clientPortAddress when bound to one', (t) => {
  const out = render(
    everyStage({
      zookeeper: { version: '3.8.4', adminServer: { enabled: false }, clientPortAddress: '127.0.0.1' },
      waive: { 'zookeeper-client-loopback': 'the gate runs on the member itself' },
    }),
  );
  const members = (o: AnsibleFile[]) =>
    playsOf(o).find((p) => p.hosts === 'zookeeper')?.vars?.k8sm_zookeeper_members;
  t.deepEqual(
    members(out),
    [1, 2, 3].map(() => ({ address: '127.0.0.1', port: 2181 })),
  );
  t.deepEqual(
    members(render(everyStage())),
    [1, 2, 3].map((i) => ({ address: `10.1.0.${i}`, port: 2181 })),
  );
  const srvr = playsOf(out)
    .find((p) => p.hosts === 'zookeeper')
    ?.tasks.find((task) => task.name.includes('srvr')) as Record<string, unknown> | undefined;
  t.deepEqual(
    (srvr?.['ansible.builtin.command'] as { argv: string[] } | undefined)?.argv.slice(-2),
    ['{{ item.address }}', '{{ item.port }}'],
    'the address and port are arguments of a fixed script, not spliced into it',
  );
});

test('steps: one script per host and component with that component’s commands in order, nothing else', (t) => {
  const spec = everyStage();
  const out = render(spec);
  for (const h of spec.hosts)
    for (const c of componentsOf(h)) {
      const path = `ansible/steps/${h.name}/${c}.sh`;
      if (c === 'haproxy') {
        t.false(
          out.some((f) => f.path === path),
          `${path}: no commands, no script`,
        );
        continue;
      }
      const script = fileAt(out, path);
      t.is(script.mode, 0o755, path);
      const lines = script.content.split('\n');
      t.is(lines[0], '#!/usr/bin/env bash');
      t.true(lines.includes('set -euo pipefail'), path);
      t.deepEqual(
        lines.filter((l) => l.startsWith('systemctl')),
        ['systemctl daemon-reload', `systemctl restart ${c}`],
        path,
      );
    }
  t.deepEqual(yamlAt(out, 'ansible/host_vars/m1.yml').k8sm_step_components.sort(), [
    'etcd',
    'kubernetes',
    'marathon',
    'mesos',
    'zookeeper',
  ]);
});

const QUORUM_PLAYS = [
  'zookeeper',
  'etcd',
  'mesos_master',
  'k8sm_zookeeper_bootstrap',
  'k8sm_zookeeper_rolling',
  'k8sm_etcd_bootstrap',
  'k8sm_etcd_rolling',
];

test('site.yml: pre-flight plays first, then quorum members (bootstrap all at once, or one at a time), then agents and nodes', (t) => {
  const plays = playsOf(render(everyStage()));
  t.deepEqual(
    plays.map((p) => p.hosts),
    [...QUORUM_PLAYS, 'mesos_master', 'marathon', 'k8s_master', 'haproxy', 'mesos_agent', 'k8s_node'],
  );
  const preflight = plays.slice(0, 3);
  for (const p of preflight) {
    t.regex(p.name, /^Pre-flight of .*, no change/);
    t.false(
      p.tasks.some((task) => 'ansible.builtin.copy' in task || 'ansible.builtin.file' in task),
      p.name,
    );
    t.true(p.any_errors_fatal, `${p.name}: a refusal stops the run`);
  }
  const bootstrap = plays.filter((p) => p.hosts.endsWith('_bootstrap'));
  for (const p of bootstrap) t.is(p.serial, '100%', `${p.name}: every member at once`);
  for (const p of plays.slice(3, 11).filter((x) => !bootstrap.includes(x))) t.is(p.serial, 1, p.name);
  for (const p of plays.slice(3, 11))
    t.true(p.any_errors_fatal, `${p.name}: a failed member stops the rollout`);
  for (const p of plays.slice(11)) {
    t.is(p.serial, '25%', `${p.name}: the default batch`);
    t.false(p.any_errors_fatal, p.name);
  }
  for (const p of plays.slice(3)) t.is(p.max_fail_percentage, 0, p.name);
});

test('site.yml: agents and nodes go in batches of rollout.batch', (t) => {
  const plays = playsOf(render(everyStage({ rollout: { batch: 2 } })));
  t.deepEqual(
    plays
      .filter((p) => p.serial !== 1 && p.serial !== '100%' && p.serial !== undefined)
      .map((p) => [p.hosts, p.serial]),
    [
      ['mesos_agent', 2],
      ['k8s_node', 2],
    ],
  );
});

test('site.yml: a rolling member is checked whole before any change and gated after; a bootstrap waits for all', (t) => {
  const plays = playsOf(render(everyStage())).slice(3);
  const masters = [1, 2, 3].map((i) => `10.1.0.${i}`);
  const probes: Record<string, [string, string]> = {
    zookeeper: ['--zk', masters.map((a) => `${a}:2181`).join(',')],
    etcd: ['--etcd', masters.map((a) => `http://${a}:2379`).join(',')],
    mesos_master: ['--mesos', masters.map((a) => `http://${a}:5050`).join(',')],
    marathon: ['--marathon', masters.map((a) => `http://${a}:8080`).join(',')],
  };
  const isChange = (task: Task) => task.name.startsWith('Files: ');
  for (const p of plays) {
    const flush = p.tasks.findIndex((task) => task['ansible.builtin.meta'] === 'flush_handlers');
    t.true(flush >= 0, `${p.name}: the steps run before the play moves on`);
    const gates = p.tasks.flatMap((task, i) => (isGate(task) ? [i] : []));
    if (p.serial !== 1 && p.serial !== '100%') {
      t.deepEqual(gates, [], `${p.name}: no gate between batches`);
      continue;
    }
    const firstChange = p.tasks.findIndex(isChange);
    const before = gates.filter((i) => i < firstChange);
    const after = gates.filter((i) => i > flush);
    t.true(after.length > 0, `${p.name}: gated after the restart`);
    t.true(
      gates.every((i) => i < firstChange || i > flush),
      `${p.name}: no check between the change and the restart`,
    );
    const rolling = p.hosts.endsWith('_rolling') || p.hosts === 'mesos_master';
    t.is(
      before.length > 0,
      rolling,
      `${p.name}: ${rolling ? 'checked whole before any change' : 'nothing to check before'}`,
    );
    const group = p.hosts.replace(/^k8sm_(.*)_(bootstrap|rolling)$/, '$1');
    const probe = probes[group];
    if (probe) {
      const [flag, members] = probe;
      const task = p.tasks
        .slice(flush)
        .find((task) => String(task['ansible.builtin.command']).startsWith('{{ k8sm_probe }}'));
      t.regex(
        task?.['ansible.builtin.command'] ?? '',
        new RegExp(`^\\{\\{ k8sm_probe \\}\\} ${flag} \\{\\{ k8sm_gate_members \\| quote \\}\\} --timeout 2`),
        `${p.name}: k8sm-probe ${flag}, the members by variable`,
      );
      t.is(task?.vars?.k8sm_gate_members, members, p.name);
    }
    const handlers = new Set(p.handlers.map((h) => h.name));
    for (const task of p.tasks)
      if (task.notify) t.true(handlers.has(task.notify), `${p.name}: a handler named ${task.notify}`);
  }
});

test('site.yml: the etcd checks over TLS present the health-check client certificate', (t) => {
  const urisOf = (spec: SpecIn) =>
    playsOf(render(spec))
      .find((p) => p.hosts === 'etcd')
      ?.tasks.flatMap((task) => (task['ansible.builtin.uri'] ? [task['ansible.builtin.uri']] : [])) ?? [];
  const tls = urisOf(everyStage({ etcd: { version: '3.5.16', tls: { client: true, pkiDir: 'pki' } } }));
  t.is(tls.length, 2, '/health and the member list');
  for (const uri of tls) {
    t.like(uri, { ca_path: '/etc/etcd/ssl/ca.crt' });
    t.truthy(uri.client_cert);
  }
  t.like(tls[0], { url: '{{ item }}/health' });
  t.like(tls[1], { url: '{{ item }}{{ k8sm_etcd_member_list }}', method: 'POST' });
  for (const uri of urisOf(everyStage())) t.is(uri.ca_path, undefined, 'plain http: no CA');
});

test('a spec without some components gets no play, no group and no vars for them', (t) => {
  const out = render(threeMasters());
  t.deepEqual(
    playsOf(out).map((p) => p.hosts),
    [
      'zookeeper',
      'mesos_master',
      'k8sm_zookeeper_bootstrap',
      'k8sm_zookeeper_rolling',
      'mesos_master',
      'marathon',
      'mesos_agent',
    ],
  );
  for (const p of playsOf(out)) t.true(p.tasks.length > 0, p.name);
  t.deepEqual(Object.keys(inventoryOf(out)).sort(), [
    'k8sm_zookeeper_bootstrap',
    'k8sm_zookeeper_rolling',
    'marathon',
    'mesos_agent',
    'mesos_master',
    'zookeeper',
  ]);
  const vars = yamlAt(out, 'ansible/host_vars/m1.yml');
  t.is(vars.k8sm_etcd_url, undefined);
  t.is(vars.k8sm_apiserver_url, undefined);
});

test('the same plan and artifacts give the same bytes, and the inputs are left as they were', (t) => {
  const spec = everyStage();
  const { files, commands } = artifactsOf(spec);
  const before = JSON.stringify({ files, commands });
  const first = renderAnsible(planOf(spec), Object.freeze(files), Object.freeze(commands));
  t.deepEqual(renderAnsible(planOf(spec), files, commands), first);
  t.is(JSON.stringify({ files, commands }), before);
});

test('every file carries the generated header, and group_vars holds the switches on by default', (t) => {
  const out = render(everyStage());
  for (const f of out)
    t.true(
      f.content.split('\n').some((l) => l.startsWith('# generated by k8sm from every-stage')),
      f.path,
    );
  t.like(yamlAt(out, 'ansible/group_vars/all.yml'), {
    k8sm_run_steps: true,
    k8sm_gates: true,
    k8sm_probe: '',
    k8sm_root: '',
  });
  t.deepEqual(
    out.filter((f) => f.mode !== 0o644).map((f) => f.path),
    out.filter((f) => f.path.startsWith('ansible/steps/')).map((f) => f.path),
    'only the step scripts are executable',
  );
});
