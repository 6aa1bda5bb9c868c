import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'ava';
import { parse } from 'yaml';
import { hostNames, payload, renderHostile } from './hostile.js';

// Debian's ansible-core evaluates what renderAnsible wrote for a plan and artifacts full of Jinja
// (installed by the test command; under CI a missing ansible-playbook fails instead of skipping).
const has = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).status === 0;
const ansibleTest = has || process.env.CI === 'true' ? test.serial : test.skip;

const made: string[] = [];
test.after.always(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8sm-ansible-'));
  made.push(dir);
  return dir;
};

/** Every file below dir, by its path from dir. */
function filesBelow(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesBelow(dir, `${rel}/${e.name}`) : [`${rel}/${e.name}`],
  );
}

/** The output tree the CLI would write: ansible/ and each host's files under hosts/<host>/. */
function writeOutput(markers: string) {
  const out = tempDir();
  const rendered = renderHostile(markers);
  for (const f of rendered.out) {
    mkdirSync(dirname(join(out, f.path)), { recursive: true });
    writeFileSync(join(out, f.path), f.content, { mode: f.mode });
  }
  for (const f of rendered.files) {
    const target = join(out, 'hosts', f.host ?? '', f.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.content, { mode: f.mode });
  }
  return { dir: join(out, 'ansible'), ...rendered };
}

function ansible(bin: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(bin, args, {
    cwd,
    encoding: 'utf8',
    timeout: 240_000,
    env: {
      ...process.env,
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_LOCALHOST_WARNING: 'false',
      ANSIBLE_HOST_KEY_CHECKING: 'false',
      ANSIBLE_RETRY_FILES_ENABLED: 'false',
      ...env,
    },
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}${r.error ?? ''}`, stdout: r.stdout };
}

const local = [
  '-c',
  'local',
  '-e',
  `ansible_python_interpreter=${process.env.K8SM_PYTHON ?? '/usr/bin/python3'}`,
];

/** A fresh output with its marker dir, a target root and a k8sm-probe stand-in that logs its arguments. */
function prepared() {
  const markers = tempDir();
  const root = tempDir();
  const probeDir = tempDir();
  const probe = join(probeDir, 'k8sm-probe');
  // as k8sm-probe answers with --json (packages/probes/src/formats/report.ts): a whole ensemble
  writeFileSync(
    probe,
    `#!/bin/sh\nprintf '%s\\n' "$*" >> '${probeDir}/log'\ncase " $* " in *' --json '*) echo '{"status":"OK","ensembles":[{"up":1}]}' ;; esac\n`,
  );
  chmodSync(probe, 0o755);
  const playbook = (extra: string[]) =>
    ansible(
      'ansible-playbook',
      [
        '-i',
        'inventory.ini',
        'site.yml',
        ...local,
        '-e',
        `k8sm_root=${root}`,
        '-e',
        'k8sm_become=false',
        '-e',
        `k8sm_probe=${probe}`,
        // the hostile plan's ensembles have one member each: no rolling restart keeps a
        // 1-member quorum, so the pre-flight would refuse; bootstrap restarts them at once
        '-e',
        'k8sm_rollout=bootstrap',
        ...extra,
      ],
      dir,
    );
  const { dir, files } = writeOutput(markers);
  return { markers, root, dir, files, playbook, probeLog: join(probeDir, 'log') };
}

ansibleTest('--syntax-check and --check evaluate none of the Jinja the plan and the artifacts carry', (t) => {
  t.true(has, 'ansible-playbook is missing: the test command installs ansible-core');
  const { markers, root, dir, playbook } = prepared();
  const syntax = ansible('ansible-playbook', ['--syntax-check', '-i', 'inventory.ini', 'site.yml'], dir);
  t.is(syntax.status, 0, syntax.output);
  t.deepEqual(readdirSync(markers), [], '--syntax-check ran a lookup');
  const check = playbook(['--check']);
  t.is(check.status, 0, check.output);
  t.deepEqual(readdirSync(markers), [], '--check ran a lookup');
  t.notRegex(check.output, /[<|]49[|>]/, 'a {{ 7*7 }} was printed evaluated');
  t.deepEqual(readdirSync(root), [], '--check writes nothing');
});

ansibleTest(
  'an apply with gates and steps evaluates none of it: files land at their literal paths with their bytes',
  (t) => {
    const { markers, root, files, playbook, probeLog } = prepared();
    const apply = playbook([]);
    t.is(apply.status, 0, apply.output);
    t.deepEqual(readdirSync(markers), [], 'a lookup ran');
    t.notRegex(apply.output, /[<|]49[|>]/, 'a {{ 7*7 }} was printed evaluated');
    for (const h of hostNames)
      t.regex(apply.output, new RegExp(`${h} +: ok=\\d+ +changed=[1-9]\\d* +unreachable=0 +failed=0`), h);

    // one machine plays every host: each host's own files, each host's step script and what it wrote
    const component = (h: string) => (h.startsWith('m') ? 'zookeeper' : h === 'a1' ? 'mesos' : 'kubernetes');
    const scripts = hostNames.map((h) => `/var/lib/k8sm/steps/${component(h)}.sh`);
    t.deepEqual(
      filesBelow(root).sort(),
      [...files.map((f) => f.path), ...scripts, ...scripts.map((s) => `${s}.ran`)].sort(),
    );
    for (const f of files) {
      t.is(readFileSync(join(root, f.path), 'utf8'), f.content, f.path);
      t.is(statSync(join(root, f.path)).mode & 0o777, f.mode, f.path);
    }
    for (const h of hostNames)
      t.is(
        readFileSync(join(root, `/var/lib/k8sm/steps/${component(h)}.sh.ran`), 'utf8'),
        `${payload(markers, `step-${h}`)}\n`,
        h,
      );

    // each gate handed k8sm-probe the members as one literal argument
    // (the quorums' whole-ensemble gates ask for JSON, for the count of members up)
    const probed = readFileSync(probeLog, 'utf8').trimEnd().split('\n');
    t.deepEqual(
      [...new Set(probed)].sort(),
      [
        ['--zk', 'zk-connect', ' --json'],
        ['--etcd', 'etcd-urls', ' --json'],
        ['--mesos', 'mesos-urls', ''],
        ['--marathon', 'marathon-urls', ''],
      ]
        .map(([flag, field, json]) => `${flag} ${payload(markers, field ?? '')} --timeout 2${json}`)
        .sort(),
    );
  },
);

ansibleTest('ansible-inventory and debug show every host var as the literal string', (t) => {
  t.timeout(300_000);
  const markers = tempDir();
  const { dir } = writeOutput(markers);
  const list = ansible('ansible-inventory', ['-i', 'inventory.ini', '--list'], dir);
  t.is(list.status, 0, list.output);
  const hostvars = (
    JSON.parse(list.stdout) as { _meta: { hostvars: Record<string, Record<string, unknown>> } }
  )._meta.hostvars;
  // ansible-inventory shows an unsafe value as such
  t.deepEqual(hostvars.m1?.ansible_host, { __ansible_unsafe: payload(markers, 'address-m1') });
  t.deepEqual(hostvars.m1?.k8sm_mesos_url, { __ansible_unsafe: payload(markers, 'mesos-url-m1') });
  // debug templates what it prints: the values must come back as written, on every host
  const names = ['ansible_host', 'k8sm_address', 'k8sm_files', 'k8sm_mesos_url', 'k8sm_apiserver_url'];
  const expression = `{${names.map((n) => `'${n}': ${n} | default(None)`).join(', ')}}`;
  const debug = ansible(
    'ansible',
    [
      'all',
      '-i',
      'inventory.ini',
      ...local,
      '-m',
      'ansible.builtin.debug',
      '-a',
      JSON.stringify({ var: expression }),
    ],
    dir,
    {
      ANSIBLE_LOAD_CALLBACK_PLUGINS: '1',
      ANSIBLE_STDOUT_CALLBACK: 'oneline',
    },
  );
  t.is(debug.status, 0, debug.output);
  t.deepEqual(readdirSync(markers), [], 'debug ran a lookup');
  // oneline: `<host> | SUCCESS => <result as JSON>`
  const shown: Record<string, Record<string, unknown>> = {};
  for (const [, host, result] of debug.stdout.matchAll(/^(\S+) \| SUCCESS => (.*)$/gm))
    shown[host ?? ''] = JSON.parse(result ?? '{}');
  for (const h of hostNames) {
    const own = parse(readFileSync(join(dir, `host_vars/${h}.yml`), 'utf8'), {
      customTags: [{ tag: '!unsafe', resolve: (text: string) => text }],
    });
    t.deepEqual(shown?.[h]?.[expression], Object.fromEntries(names.map((n) => [n, own[n] ?? null])), h);
  }
  t.is(
    (shown?.m1?.[expression] as Record<string, unknown>)?.k8sm_mesos_url,
    payload(markers, 'mesos-url-m1'),
  );
});
