import type { ArtifactComponent, ClusterPlan, CommandArtifact, FileArtifact, Role } from '@k8sm/spec';
import {
  ANSIBLE_STAGES,
  generatedHeader,
  KUBERNETES_HOST_CA,
  KUBERNETES_HOST_HEALTHCHECK,
  sh,
  shComment,
  shScript,
} from '@k8sm/spec';
import { type Ensemble, ensembles, ensembleVars, preflightPlay, preGate, wholeGate } from './rollout.js';
import { ansibleYaml, data, dataYaml, named, noqa, unsafe } from './unsafe.js';

/** A file of the `ansible/` directory of the output, by its path below the output root. */
export interface AnsibleFile {
  readonly path: string;
  readonly content: string;
  readonly mode: number;
}

type Task = Record<string, unknown>;

type Stage = {
  readonly name: string;
  readonly group: string;
  readonly component: ArtifactComponent;
  /** 1 for members of a quorum; the spec's batch for agents and nodes */
  readonly serial: number | string;
  readonly gate: readonly Task[];
  /** tasks before any change to the host: the rolling pre-flight gate of a quorum */
  readonly before?: readonly Task[];
  readonly vars?: Record<string, unknown>;
};

const STEPS_DIR = '/var/lib/k8sm/steps';

/** Ansible group names: no dashes (Ansible warns about them). */
export const groupOf = (role: string) => role.replaceAll('-', '_');

/**
 * The order a cluster is changed in without losing quorum (the registry's ANSIBLE_STAGES). A
 * quorum system (ZooKeeper, etcd) has two plays, of which the pre-flight play (rollout.ts) gives
 * hosts to one: bootstrap, every member at once and then a gate on the whole ensemble; or rolling,
 * one member at a time, each checked whole and able to lose one before and gated whole after. Mesos
 * masters go one at a time, checked whole first when they already run; then Marathon, the
 * apiservers and the load balancer one at a time; agents and nodes last, in batches.
 */
function stages(plan: ClusterPlan, quorums: readonly Ensemble[]): Stage[] {
  const gate = gates(plan);
  return ANSIBLE_STAGES.flatMap((s): Stage[] => {
    const base = {
      name: `Roll out ${s.name}`,
      group: groupOf(s.role),
      component: s.component,
      serial: s.serial === 'one' ? 1 : plan.rolloutBatch,
      gate: gate[s.role] ?? [],
    };
    const e = quorums.find((q) => q.group === base.group);
    if (!e) return [base];
    const vars = ensembleVars(e);
    if (!e.bootstrapAllAtOnce) return [{ ...base, before: preGate(e), vars }];
    return [
      {
        ...base,
        name: `Roll out ${e.label}: bootstrap, every member at once, then the whole ensemble`,
        group: `k8sm_${e.group}_bootstrap`,
        serial: '100%',
        gate: wholeGate(e),
        vars,
      },
      {
        ...base,
        name: `Roll out ${e.label}: rolling, one member at a time, the ensemble whole before and after`,
        group: `k8sm_${e.group}_rolling`,
        gate: wholeGate(e),
        before: preGate(e),
        vars,
      },
    ];
  });
}

/** The tasks that hold a play until the member it changed is back, by role. */
function gates(plan: ClusterPlan): Partial<Record<Role, Task[]>> {
  const retry = { retries: 60, delay: 2 };
  // the members are data in the task's vars: only the variable's name is in the command template
  const probe = (flag: string, members: string) => ({
    name: named('Gate: k8sm-probe sees the ensemble whole again'),
    'ansible.builtin.command': `{{ k8sm_probe }} ${flag} {{ k8sm_gate_members | quote }} --timeout 2`,
    vars: { k8sm_gate_members: unsafe(members) },
    delegate_to: 'localhost',
    register: 'k8sm_gate',
    until: 'k8sm_gate.rc == 0',
    changed_when: false,
    when: 'k8sm_gates | bool and k8sm_probe | length > 0',
    ...retry,
    tags: ['gate'],
  });
  const uri = (name: string, url: string, extra: Record<string, unknown> = {}) => ({
    name: named(name),
    'ansible.builtin.uri': { url, status_code: 200, ...extra },
    register: 'k8sm_gate',
    until: Array.isArray(extra.status_code)
      ? `k8sm_gate.status in ${JSON.stringify(extra.status_code)}`
      : 'k8sm_gate.status == 200',
    when: 'k8sm_gates | bool and k8sm_probe | length == 0',
    ...retry,
    tags: ['gate'],
  });
  const mesos = plan.mesos;
  const k8s = plan.kubernetes;
  return {
    'mesos-master': [
      probe('--mesos', mesos?.masterUrls.join(',') ?? ''),
      uri('Gate: the master answers', '{{ k8sm_mesos_url }}/master/health'),
    ],
    marathon: [
      probe('--marathon', plan.marathon?.urls.join(',') ?? ''),
      uri('Gate: Marathon answers', '{{ k8sm_marathon_url }}/ping'),
    ],
    'k8s-master': k8s
      ? [
          // the plan's health check (kubernetes.apiserverHealthCheck): the credentials it needs, and
          // for a TLS-only check any HTTP answer, which the authorizer may refuse
          uri('Gate: the apiserver is ready', `{{ k8sm_apiserver_url }}${k8s.apiserverHealthCheck.path}`, {
            ...(k8s.apiserverClientUrls[0]?.startsWith('https:') && k8s.flavor === 'standalone'
              ? { ca_path: KUBERNETES_HOST_CA }
              : {}),
            ...(k8s.apiserverHealthCheck.kind === 'client-certificate'
              ? { client_cert: KUBERNETES_HOST_HEALTHCHECK.cert, client_key: KUBERNETES_HOST_HEALTHCHECK.key }
              : {}),
            ...(k8s.apiserverHealthCheck.kind === 'tcp' ? { status_code: [200, 401, 403] } : {}),
          }),
        ]
      : [],
    haproxy: [
      {
        name: named('Gate: the frontend listens'),
        'ansible.builtin.wait_for': {
          host: '{{ k8sm_address }}',
          port: '{{ k8sm_haproxy_port }}',
          timeout: 120,
        },
        when: 'k8sm_gates | bool',
        tags: ['gate'],
      },
    ],
  };
}

function play(stage: Stage) {
  const c = stage.component;
  // the handler, by the name the copies notify
  const steps = named(`Run the ${c} steps`);
  return {
    name: named(stage.name),
    hosts: stage.group,
    serial: typeof stage.serial === 'string' && stage.serial !== '100%' ? unsafe(stage.serial) : stage.serial,
    // a failed host or gate stops the play before the next member goes down
    any_errors_fatal: stage.serial === 1 || stage.serial === '100%',
    max_fail_percentage: 0,
    gather_facts: false,
    become: '{{ k8sm_become }}',
    ...(stage.vars ? { vars: stage.vars } : {}),
    tasks: [
      ...(stage.before ?? []),
      {
        name: named(`Files: the ${c} directories`),
        // no mode: the steps give a directory its own (ZooKeeper's dataDir 0750, etcd's 0700), and a
        // mode here would change it back on every run
        'ansible.builtin.file': {
          path: '{{ k8sm_root }}{{ item }}',
          // ansible-lint's risky-file-permissions asks for a mode; there is none on purpose (above)
          state: noqa('directory', 'risky-file-permissions'),
        },
        loop: `{{ k8sm_dirs['${c}'] | default([]) }}`,
        tags: ['files'],
      },
      {
        name: named(`Files: the ${c} files, with the modes of manifest.json`),
        'ansible.builtin.copy': {
          src: '{{ k8sm_output }}/hosts/{{ inventory_hostname }}{{ item.path }}',
          dest: '{{ k8sm_root }}{{ item.path }}',
          mode: '{{ item.mode }}',
        },
        loop: `{{ k8sm_files['${c}'] | default([]) }}`,
        loop_control: { label: '{{ item.path }}' },
        notify: steps,
        tags: ['files'],
      },
      {
        name: named(`Files: the host's ${c} steps`),
        'ansible.builtin.copy': {
          src: `{{ k8sm_output }}/ansible/steps/{{ inventory_hostname }}/${c}.sh`,
          dest: `{{ k8sm_root }}${STEPS_DIR}/${c}.sh`,
          mode: '0700',
        },
        when: `'${c}' in k8sm_step_components`,
        notify: steps,
        tags: ['files'],
      },
      {
        name: named(`Steps: run the ${c} steps now if anything changed`),
        'ansible.builtin.meta': 'flush_handlers',
      },
      ...stage.gate,
    ],
    handlers: [
      {
        name: steps,
        // k8sm_steps_runner: bash on a real host; the testkit's service runner where systemd is not running
        'ansible.builtin.command': `{{ k8sm_steps_runner }} {{ k8sm_root }}${STEPS_DIR}/${c}.sh`,
        when: `k8sm_run_steps | bool and '${c}' in k8sm_step_components`,
      },
    ],
  };
}

/**
 * `ansible/` of the output: inventory (a group per role), group_vars with the switches,
 * host_vars with each host's files (path, mode, component) and addresses, the per-component step
 * scripts, and site.yml. Pure: from the plan and the composed artifacts.
 */
export function renderAnsible(
  plan: ClusterPlan,
  files: readonly FileArtifact[],
  commands: readonly CommandArtifact[],
): AnsibleFile[] {
  const header = generatedHeader(plan.name);
  const out: AnsibleFile[] = [];
  const groups = new Map<string, string[]>();
  for (const h of plan.hosts)
    for (const role of h.roles) groups.set(groupOf(role), [...(groups.get(groupOf(role)) ?? []), h.name]);
  // inventory.ini has no !unsafe: the addresses are in host_vars, the names pass inventoryName
  const inventory = [header];
  for (const [group, hosts] of groups) {
    inventory.push('', `[${group}]`);
    for (const h of hosts) inventory.push(inventoryName(h));
  }
  const quorums = ensembles(plan).filter((e) => groups.has(e.group));
  // the pre-flight play fills these (group_by); declared so that the empty one is no unknown pattern
  for (const e of quorums.filter((q) => q.bootstrapAllAtOnce))
    inventory.push('', `[k8sm_${e.group}_bootstrap]`, '', `[k8sm_${e.group}_rolling]`);
  out.push({ path: 'ansible/inventory.ini', content: `${inventory.join('\n')}\n`, mode: 0o644 });
  out.push({
    path: 'ansible/group_vars/all.yml',
    content: `${header}\n${ansibleYaml({
      k8sm_output: '{{ playbook_dir }}/..',
      k8sm_root: '',
      k8sm_become: true,
      k8sm_run_steps: true,
      k8sm_gates: true,
      k8sm_probe: '',
      k8sm_rollout: 'auto',
      k8sm_steps_runner: 'bash',
    })}`,
    mode: 0o644,
  });
  const masterUrl = new Map(plan.mesos?.masters.map((m) => [m.host, m.url]) ?? []);
  const marathonUrl = new Map(plan.marathon?.members.map((m) => [m.host, m.url]) ?? []);
  const k8s = plan.kubernetes;
  const apiUrls = k8s?.apiserverClientUrls ?? [];
  const apiUrl = new Map(k8s?.masters.map((m, i) => [m.host, apiUrls[i] ?? '']) ?? []);
  const haPort = new Map(plan.haproxy?.members.map((m) => [m.host, m.frontendPort]) ?? []);
  // grouped once: a filter per host would be quadratic in a 2,000-host cluster
  const filesOf = groupByHost(files);
  const commandsOf = groupByHost(commands);
  for (const h of plan.hosts) {
    const own = filesOf.get(h.name) ?? [];
    const byComponent: Record<string, { path: string; mode: string }[]> = {};
    const dirs: Record<string, string[]> = {};
    const add = <T>(map: Record<string, T[]>, key: string, value: T) => {
      const list = map[key] ?? [];
      if (!list.includes(value)) list.push(value);
      map[key] = list;
    };
    for (const f of own) {
      add(byComponent, f.component, { path: f.path, mode: `0${f.mode.toString(8)}` });
      add(dirs, f.component, f.path.slice(0, f.path.lastIndexOf('/')) || '/');
    }
    const steps = commandsOf.get(h.name) ?? [];
    const stepComponents = [...new Set(steps.map((s) => s.component))];
    for (const c of stepComponents) {
      add(dirs, c, STEPS_DIR);
      const lines = [
        sh`#!/usr/bin/env bash`,
        shComment(header),
        shComment(`# ${c} steps of ${h.name}, run by Ansible when a ${c} file changed`),
        sh`set -euo pipefail`,
        ...steps.filter((s) => s.component === c).map((s) => s.command),
      ];
      out.push({ path: `ansible/steps/${h.name}/${c}.sh`, content: shScript(lines), mode: 0o755 });
    }
    const vars = {
      ansible_host: h.address,
      k8sm_address: h.address,
      k8sm_files: byComponent,
      k8sm_dirs: dirs,
      k8sm_step_components: stepComponents,
      ...(masterUrl.has(h.name) ? { k8sm_mesos_url: masterUrl.get(h.name) } : {}),
      ...(marathonUrl.has(h.name) ? { k8sm_marathon_url: marathonUrl.get(h.name) } : {}),
      ...(apiUrl.has(h.name) ? { k8sm_apiserver_url: apiUrl.get(h.name) } : {}),
      ...(haPort.has(h.name) ? { k8sm_haproxy_port: haPort.get(h.name) } : {}),
    };
    out.push({
      path: `ansible/host_vars/${h.name}.yml`,
      content: `${header}\n${dataYaml(data(vars))}`,
      mode: 0o644,
    });
  }
  const plays = [
    ...quorums.map(preflightPlay),
    ...stages(plan, quorums)
      .filter((s) => groups.has(s.group) || /^k8sm_.*_(bootstrap|rolling)$/.test(s.group))
      .map(play),
  ];
  out.push({
    path: 'ansible/site.yml',
    content: `${header}\n${ansibleYaml(plays)}`,
    mode: 0o644,
  });
  return out;
}

/**
 * A host name as inventory.ini's first token. INI values cannot be marked unsafe and Ansible
 * templates inventory_hostname like any variable (lib/ansible/inventory/host.py: a plain str), so
 * a name must hold nothing Jinja, shlex, a comment, a range or a port could read: the spec's host
 * name grammar ensures it, this is the renderer's own guard.
 */
function inventoryName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
    throw new Error(`renderAnsible: host name ${JSON.stringify(name)} cannot be written into inventory.ini`);
  return name;
}

function groupByHost<T extends { readonly host: string | null }>(items: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    if (item.host === null) continue;
    const list = map.get(item.host);
    if (list) list.push(item);
    else map.set(item.host, [item]);
  }
  return map;
}
