import {
  type Artifact,
  DuplicateFlagError,
  MARATHON_DERIVED_FLAGS,
  MESOS_DERIVED_FLAGS,
  type MesosPlan,
} from '@k8sm/spec';
import { exampleNames, examplePlan } from '@k8sm/testkit';
import test from 'ava';
import { renderMesos } from '../src/index.js';

type Binary = 'master' | 'agent' | 'marathon';
const DIRS: Record<string, Binary> = {
  '/etc/mesos-master': 'master',
  '/etc/mesos-slave': 'agent',
  '/etc/marathon/conf': 'marathon',
};
const CONTAINERS: Record<string, [Binary, string]> = {
  'mesos-master': ['master', 'MESOS_'],
  'mesos-slave': ['agent', 'MESOS_'],
  marathon: ['marathon', 'MARATHON_'],
};

/** Every flag in the rendered output: flag files, /etc/default/marathon and the containers' -e variables. */
function renderedFlags(out: readonly Artifact[]): [string, Binary, string][] {
  const found: [string, Binary, string][] = [];
  for (const a of out) {
    if (a.kind === 'file') {
      const dir = a.path.slice(0, a.path.lastIndexOf('/'));
      const base = a.path.slice(dir.length + 1).replace(/^\?(no-|disable_)?/, '');
      const binary = DIRS[dir];
      if (binary) found.push([a.host ?? '', binary, base]);
      // the init wrapper joins these dirs into --attributes and --resources
      if (/^\/etc\/mesos-slave\/(attributes|resources)$/.test(dir))
        found.push([a.host ?? '', 'agent', dir.slice('/etc/mesos-slave/'.length)]);
      if (a.path === '/etc/default/marathon')
        for (const [, name] of a.content.matchAll(/^MARATHON_(?:DISABLE_)?([A-Z_]+)=/gm))
          found.push([a.host ?? '', 'marathon', (name ?? '').toLowerCase()]);
    } else {
      const container = /--name (\S+)/.exec(a.command)?.[1] ?? '';
      const [binary, prefix] = CONTAINERS[container] ?? [];
      if (!binary || !prefix) continue;
      for (const [, name] of a.command.matchAll(new RegExp(`-e ${prefix}([A-Z_]+)=`, 'g')))
        found.push([a.host, binary, (name ?? '').toLowerCase()]);
    }
  }
  return found;
}

const extras = (plan: ReturnType<typeof examplePlan>, host: string, binary: Binary) => {
  const mesos: MesosPlan | undefined = plan.mesos;
  const member =
    binary === 'master'
      ? mesos?.masters.find((m) => m.host === host)
      : binary === 'agent'
        ? mesos?.agents.find((m) => m.host === host)
        : plan.marathon?.members.find((m) => m.host === host);
  return member?.flags ?? {};
};

const DECLARED: Record<Binary, Readonly<Record<string, string>>> = {
  master: MESOS_DERIVED_FLAGS.master,
  agent: MESOS_DERIVED_FLAGS.agent,
  marathon: MARATHON_DERIVED_FLAGS,
};

test('every flag an example renders is an extra flag or in MESOS_/MARATHON_DERIVED_FLAGS', (t) => {
  const seen = new Set<string>();
  for (const name of exampleNames()) {
    const plan = examplePlan(name);
    if (!plan.mesos) continue;
    for (const [host, binary, flag] of renderedFlags(renderMesos(plan))) {
      seen.add(`${binary === 'marathon' ? plan.marathon?.runtime : plan.mesos.runtime} ${binary}`);
      if (Object.hasOwn(extras(plan, host, binary), flag)) continue;
      t.true(Object.hasOwn(DECLARED[binary], flag), `${name}: ${binary} on ${host} renders --${flag}`);
    }
  }
  // both runtimes, every binary (no example runs Marathon in docker): the reading-back found the flags
  t.deepEqual([...seen].sort(), [
    'docker agent',
    'docker master',
    'package agent',
    'package marathon',
    'package master',
  ]);
});

test('an extra flag that repeats a derived one throws DuplicateFlagError, in both runtimes', (t) => {
  for (const name of ['mesosphere-3-masters.json', 'k8s-on-mesos-ha.yaml']) {
    const plan = examplePlan(name);
    const mesos = plan.mesos;
    if (!mesos) return t.fail();
    const [first, ...rest] = mesos.masters;
    if (!first) return t.fail();
    const bypassed = { ...plan, mesos: { ...mesos, masters: [{ ...first, flags: { quorum: 1 } }, ...rest] } };
    const error = t.throws(() => renderMesos(bypassed), { instanceOf: DuplicateFlagError });
    t.is(error?.flag, 'quorum');
    t.regex(
      error?.message ?? '',
      new RegExp(`--quorum would be given twice to mesos-master on ${first.host}`),
    );
  }
});
