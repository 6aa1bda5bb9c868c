import type { Artifact, ClusterPlan } from '@k8sm/spec';
import { hostScripts, planOf, scriptInjectionProblems, type Writable, writableCopy } from '@k8sm/testkit';
import test from 'ava';
import { renderMesos } from '../src/index.js';

const spec = (runtime: string) => ({
  name: 'mesos-test',
  hosts: [
    { name: 'm1', address: '10.0.0.1', roles: ['zookeeper', 'mesos-master', 'marathon'] },
    { name: 'a1', address: '10.0.0.11', roles: ['mesos-agent'] },
  ],
  zookeeper: { version: '3.4.6' },
  mesos: {
    version: '1.4.0',
    runtime,
    cluster: 'seed',
    agent: { attributes: { rack: 'r1' }, flags: { default_role: 'seed' } },
  },
  marathon: {
    version: '1.4.0',
    runtime,
    flags: { framework_name: 'seed' },
    apps: [{ id: '/web', cmd: 'sleep 30', cpus: 0.1, mem: 32 }],
  },
});

// mesos.cluster, agent attributes, flag values and Marathon flags are free text in the spec; the
// dirs, images and the app id are written hostile too, past the grammar that refuses them.
const render = (runtime: string) => {
  const base = planOf(spec(runtime));
  return (payload: string) => renderWith(writableCopy(base), payload);
};

function renderWith(p: Writable<ClusterPlan>, payload: string) {
  const { mesos, marathon } = p;
  if (!mesos || !marathon) throw new Error('no mesos or marathon in the plan');
  mesos.cluster = payload;
  mesos.image = `mesosphere/mesos-master${payload}`;
  mesos.agentImage = `mesosphere/mesos-slave${payload}`;
  mesos.dockerDaemonArgs = [payload];
  for (const m of [...mesos.masters, ...mesos.agents]) {
    m.workDir = `/var/lib/mesos ${payload}`;
    m.logDir = `/var/log/mesos${payload}`;
  }
  for (const a of mesos.agents) {
    // `;` separates attributes and has no escape: the flag-file writer refuses it (config-injection.test.ts)
    a.attributes = { rack: payload.replaceAll(';', ',') };
    a.flags = { default_role: payload };
  }
  marathon.image = `mesosphere/marathon${payload}`;
  for (const m of marathon.members) m.flags = { framework_name: payload };
  marathon.apps = marathon.apps.map((app) => ({ ...app, id: `/web${payload}` }));
  return renderMesos(p);
}

const deployScript = (artifacts: readonly Artifact[]) =>
  artifacts.flatMap((a) =>
    a.kind === 'file' && a.path === '/marathon/deploy.sh' ? [{ name: 'deploy.sh', text: a.content }] : [],
  );

for (const runtime of ['package', 'docker'])
  test(`${runtime}: payloads in every Mesos and Marathon value reach the commands as words and never run`, (t) => {
    t.deepEqual(scriptInjectionProblems(render(runtime), hostScripts('m1', 'a1')), []);
  });

test('deploy.sh: a payload in an app id reaches curl as one word and never runs', (t) => {
  t.deepEqual(scriptInjectionProblems(render('package'), deployScript), []);
});
