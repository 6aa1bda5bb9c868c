import type { ClusterPlan } from '@k8sm/spec';
import { ETCD_HOST_TLS } from '@k8sm/spec';
import { data, named, noqa, unsafe } from './unsafe.js';

type Task = Record<string, unknown>;

/**
 * A quorum system's rollout, in two modes the pre-flight play picks once per run (extra var
 * `k8sm_rollout`: `auto`, the default, `bootstrap` or `rolling`):
 * - bootstrap: no member serves yet (a fresh ensemble): every member starts at once, then the
 *   gate waits for the whole ensemble. A lone member of a new ensemble never serves (ZooKeeper
 *   answers "not currently serving requests", etcd's /health does not answer), so a
 *   one-at-a-time gate would wait on member 1 forever.
 * - rolling: some member serves: before any member is touched the ensemble must be whole (every
 *   member serving, one leader, etcd listing exactly its members) and able to lose one member;
 *   else the run stops before any change. Each member then goes alone, gated again after.
 */
export interface Ensemble {
  /** the inventory group */
  readonly group: string;
  readonly label: string;
  readonly size: number;
  readonly majority: number;
  readonly tolerates: number;
  /** the play variables its checks read: the members as data */
  readonly vars: Record<string, unknown>;
  readonly probeFlag: string;
  readonly probeMembers: string;
  /** register `k8sm_members` (and what else serving/whole read) by asking every member; with retry each waits */
  readonly ask: (retry: boolean) => Task[];
  /** a Jinja expression: how many members serve, from what ask registered */
  readonly serving: string;
  /** Jinja conditions: the ensemble is whole, from what ask registered */
  readonly whole: readonly string[];
  /** a Jinja template: what each member said, for the refusal message */
  readonly said: string;
  /** whether a fresh ensemble starts all at once (ZooKeeper, etcd) or one member at a time (Mesos) */
  readonly bootstrapAllAtOnce: boolean;
}

const NATIVE = 'k8sm_probe | length == 0';
const PROBE = 'k8sm_probe | length > 0';
const RETRY = { retries: 60, delay: 2 };
/** The names of a check: a gate after a restart (with retry), a pre-flight before any change. */
const phase = (retry: boolean) => (retry ? 'Gate' : 'Pre-flight');
/**
 * run_once on a check: one host asks and registers, every host of the batch gets its answer. That
 * holds under the linear strategy these plays run with (Ansible's default); ansible-lint's
 * run-once[task] flags every run_once whatever the strategy, and its documentation says to
 * acknowledge it with a noqa.
 */
const RUN_ONCE = noqa(true, 'run-once[task]');
/** the mode of this run for one ensemble, as a host fact */
export const modeFact = (e: Ensemble) => `k8sm_${e.group}_rollout`;

export function ensembles(plan: ClusterPlan): Ensemble[] {
  const out: Ensemble[] = [];
  const zk = plan.zookeeper;
  if (zk) {
    const results = "k8sm_members.results | map(attribute='stdout', default='')";
    out.push({
      group: 'zookeeper',
      label: 'ZooKeeper',
      ...zk.quorum,
      size: zk.quorum.members,
      vars: {
        k8sm_zookeeper_members: data(
          zk.members.map((m) => ({ address: m.clientAddress, port: m.clientPort })),
        ),
      },
      probeFlag: '--zk',
      probeMembers: zk.connectString,
      ask: (retry) => [
        {
          name: named(`${phase(retry)}: srvr on every ZooKeeper member`),
          // argv, not a shell line: the address and port are arguments of a fixed script
          'ansible.builtin.command': {
            argv: [
              'timeout',
              '5',
              'bash',
              '-c',
              'exec 3<>"/dev/tcp/$0/$1" && printf srvr >&3 && cat <&3',
              '{{ item.address }}',
              '{{ item.port }}',
            ],
          },
          loop: '{{ k8sm_zookeeper_members }}',
          loop_control: { label: '{{ item.address }}:{{ item.port }}' },
          register: 'k8sm_members',
          changed_when: false,
          failed_when: false,
          ...(retry
            ? { until: "k8sm_members.stdout is search('Mode: (leader|follower|standalone)')", ...RETRY }
            : {}),
        },
      ],
      serving: `${results} | select('search', 'Mode: (leader|follower|standalone)') | list | length`,
      whole: [
        `${results} | select('search', 'Mode: (leader|follower|standalone)') | list | length == ${zk.quorum.members}`,
        `${results} | select('search', 'Mode: (leader|standalone)') | list | length == 1`,
      ],
      said: "{% for r in k8sm_members.results %}{{ r.item.address }}:{{ r.item.port }} {{ r.stdout | default('') | regex_search('Mode: [a-z]+|not currently serving requests') or 'no answer' }}; {% endfor %}",
      bootstrapAllAtOnce: true,
    });
  }
  const etcd = plan.etcd;
  if (etcd) {
    const tls =
      etcd.clientScheme === 'https'
        ? {
            ca_path: ETCD_HOST_TLS.ca,
            client_cert: ETCD_HOST_TLS.healthcheckCert,
            client_key: ETCD_HOST_TLS.healthcheckKey,
          }
        : {};
    const ok = "selectattr('status', 'defined') | selectattr('status', 'eq', 200)";
    const healthy = `k8sm_members.results | ${ok} | map(attribute='content', default='') | select('search', '"health": *"?true') | list | length`;
    out.push({
      group: 'etcd',
      label: 'etcd',
      ...etcd.quorum,
      size: etcd.quorum.members,
      vars: {
        k8sm_etcd_members: data(etcd.clientUrls),
        k8sm_etcd_member_list: data(etcd.memberList.path),
      },
      probeFlag: '--etcd',
      probeMembers: etcd.clientUrls.join(','),
      ask: (retry) => [
        {
          name: named(`${phase(retry)}: /health on every etcd member`),
          'ansible.builtin.uri': { url: '{{ item }}/health', return_content: true, timeout: 5, ...tls },
          loop: '{{ k8sm_etcd_members }}',
          register: 'k8sm_members',
          failed_when: false,
          ...(retry
            ? {
                until: 'k8sm_members.status == 200 and k8sm_members.content is search(\'"health": *"?true\')',
                ...RETRY,
              }
            : {}),
        },
        {
          name: named(`${phase(retry)}: the members each etcd member lists`),
          'ansible.builtin.uri': {
            url: '{{ item }}{{ k8sm_etcd_member_list }}',
            method: etcd.memberList.method,
            ...(etcd.memberList.method === 'POST' ? { body: '{}', body_format: 'json' } : {}),
            timeout: 5,
            ...tls,
          },
          loop: '{{ k8sm_etcd_members }}',
          register: 'k8sm_member_lists',
          failed_when: false,
        },
      ],
      serving: healthy,
      whole: [
        `${healthy} == ${etcd.quorum.members}`,
        // a stale member in the list counts towards the majority: every member must list exactly these
        `k8sm_member_lists.results | ${ok} | map(attribute='json') | map(attribute='members') | map('length') | list == [${Array(etcd.quorum.members).fill(etcd.quorum.members).join(', ')}]`,
      ],
      said: "{% for r in k8sm_members.results %}{{ r.item }} {{ ('healthy' if r.content | default('') is search('\"health\": *\"?true') else 'not healthy') if r.status | default(-1) == 200 else 'no answer' }}; {% endfor %}{% for r in k8sm_member_lists.results %}{{ r.item }} lists {{ r.json.members | default([]) | length }} members; {% endfor %}",
      bootstrapAllAtOnce: true,
    });
  }
  const mesos = plan.mesos;
  if (mesos && mesos.masters.length > 0) {
    const up =
      "k8sm_members.results | selectattr('status', 'defined') | selectattr('status', 'eq', 200) | list | length";
    out.push({
      group: 'mesos_master',
      label: 'Mesos masters',
      ...mesos.quorum,
      size: mesos.quorum.members,
      vars: { k8sm_mesos_masters: data(mesos.masterUrls) },
      probeFlag: '--mesos',
      probeMembers: mesos.masterUrls.join(','),
      ask: () => [
        {
          name: named('Pre-flight: /master/health on every Mesos master'),
          'ansible.builtin.uri': { url: '{{ item }}/master/health', timeout: 5 },
          loop: '{{ k8sm_mesos_masters }}',
          register: 'k8sm_members',
          failed_when: false,
        },
      ],
      serving: up,
      whole: [`${up} == ${mesos.quorum.members}`],
      said: "{% for r in k8sm_members.results %}{{ r.item }} {{ 'answers' if r.status | default(-1) == 200 else 'no answer' }}; {% endfor %}",
      // the masters' own gate (one at a time, /master/health) already passes alone
      bootstrapAllAtOnce: false,
    });
  }
  return out;
}

/** k8sm-probe over the whole ensemble, as JSON; its exit code is 0 only when every member is up with a leader. */
function probeTask(e: Ensemble, retry: boolean): Task {
  return {
    name: named(`${phase(retry)}: k8sm-probe over every ${e.label} member`),
    // the members are data in the task's vars: only the variable's name is in the command template
    'ansible.builtin.command': `{{ k8sm_probe }} ${e.probeFlag} {{ k8sm_gate_members | quote }} --timeout 2 --json`,
    vars: { k8sm_gate_members: unsafe(e.probeMembers) },
    delegate_to: 'localhost',
    register: 'k8sm_probe_report',
    changed_when: false,
    failed_when: false,
    ...(retry ? { until: 'k8sm_probe_report.rc == 0', ...RETRY } : {}),
  };
}

/** The play variables every check of the ensemble reads: its members, and whether it is whole. */
export function ensembleVars(e: Ensemble): Record<string, unknown> {
  return {
    ...e.vars,
    k8sm_ensemble_whole: `{{ (k8sm_probe_report.rc == 0) if ${PROBE} else (${e.whole.map((w) => `(${w})`).join(' and ')}) }}`,
    k8sm_ensemble_serving: `{{ ((k8sm_probe_report.stdout | from_json).ensembles[0].up) if ${PROBE} else (${e.serving}) }}`,
    k8sm_ensemble_said: `{% if ${PROBE} %}{{ k8sm_probe_report.stdout | default('') }}{% else %}${e.said}{% endif %}`,
  };
}

/** Ask every member once (natively, or through k8sm-probe), each task run once per batch. */
function ask(e: Ensemble, retry: boolean, when: string, tags: string[]): Task[] {
  // it only reads, so it runs under --check too, and --check shows a refusal; the gate after a
  // restart waits for members --check never started, so it does not run there
  const how = retry
    ? { when: (w: string) => `${when} and ${w} and not ansible_check_mode` }
    : { when: (w: string) => `${when} and ${w}` };
  return [
    ...e
      .ask(retry)
      .map((t) => ({ ...t, run_once: RUN_ONCE, check_mode: false, when: how.when(NATIVE), tags })),
    { ...probeTask(e, retry), run_once: RUN_ONCE, check_mode: false, when: how.when(PROBE), tags },
  ];
}

/** The refusal: the ensemble must be whole and able to lose one member before one is touched. */
function refuse(e: Ensemble, when: string): Task {
  const lose =
    e.tolerates >= 1
      ? `a rolling restart needs all ${e.size} up so that one can go down and ${e.majority} remain`
      : `a ${e.size}-member ensemble cannot lose a member and keep its quorum`;
  return {
    name: named(`Pre-flight: ${e.label} is whole and can lose one member`),
    'ansible.builtin.assert': {
      that: ['k8sm_ensemble_whole | bool', `${e.tolerates} >= 1`],
      fail_msg: `refusing to restart a member of ${e.label}, nothing was changed: {{ k8sm_ensemble_serving }} of ${e.size} members are up ({{ k8sm_ensemble_said }}); ${lose}. ${e.tolerates >= 1 ? 'Start the members that are down, or run' : 'Run'} with -e k8sm_rollout=bootstrap to (re)start every member at once, the ensemble down meanwhile.`,
      quiet: true,
    },
    run_once: RUN_ONCE,
    when,
    tags: ['gate'],
  };
}

const gatesOn = 'k8sm_gates | bool';

/**
 * The pre-flight play of an ensemble, before any play changes anything: validate `k8sm_rollout`,
 * ask every member, pick the mode (auto: bootstrap when none serves), put each host in the group
 * of its mode, and in rolling mode refuse unless the ensemble is whole and can lose one member.
 */
export function preflightPlay(e: Ensemble): Record<string, unknown> {
  const mode = modeFact(e);
  return {
    name: named(`Pre-flight of ${e.label}, no change (bootstrap or rolling)`),
    hosts: e.group,
    gather_facts: false,
    any_errors_fatal: true,
    become: '{{ k8sm_become }}',
    vars: ensembleVars(e),
    tasks: [
      {
        name: named('Pre-flight: k8sm_rollout is auto, bootstrap or rolling'),
        'ansible.builtin.assert': {
          that: "k8sm_rollout in ['auto', 'bootstrap', 'rolling']",
          fail_msg: 'k8sm_rollout={{ k8sm_rollout }}: use auto (the default), bootstrap or rolling',
          quiet: true,
        },
        run_once: RUN_ONCE,
        tags: ['always'],
      },
      // once: a skipped task still registers, and would hide what an earlier one found
      ...ask(e, false, `k8sm_rollout != 'bootstrap' and ${gatesOn}`, ['always']),
      {
        name: named(`Pre-flight: bootstrap when no ${e.label} member is up, else rolling`),
        'ansible.builtin.set_fact': {
          [mode]: `{{ k8sm_rollout if k8sm_rollout != 'auto' else ('rolling' if not (${gatesOn}) or (k8sm_ensemble_serving | int) > 0 else 'bootstrap') }}`,
        },
        tags: ['always'],
      },
      {
        name: named(`Pre-flight: each host in the group of its ${e.label} mode`),
        'ansible.builtin.group_by': { key: `k8sm_${e.group}_{{ ${mode} }}` },
        changed_when: false,
        tags: ['always'],
      },
      refuse(e, `${mode} == 'rolling' and ${gatesOn}`),
    ],
  };
}

/** Before a member is touched in rolling mode: the same check, asked again (no retry). */
export function preGate(e: Ensemble): Task[] {
  const when = `${modeFact(e)} == 'rolling' and ${gatesOn}`;
  return [...ask(e, false, when, ['gate']), refuse(e, when)];
}

/** After the restart (each member in rolling mode, all at once in bootstrap): wait until the whole ensemble serves. */
export function wholeGate(e: Ensemble): Task[] {
  return [
    ...ask(e, true, gatesOn, ['gate']),
    {
      name: named(`Gate: every ${e.label} member is up, with a leader`),
      'ansible.builtin.assert': {
        that: ['k8sm_ensemble_whole | bool'],
        fail_msg: `${e.label} is not whole after the restart: {{ k8sm_ensemble_serving }} of ${e.size} members up ({{ k8sm_ensemble_said }})`,
        quiet: true,
      },
      run_once: RUN_ONCE,
      when: `${gatesOn} and not ansible_check_mode`,
      tags: ['gate'],
    },
  ];
}
