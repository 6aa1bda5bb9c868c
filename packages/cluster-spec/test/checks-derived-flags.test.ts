import { readFileSync } from 'node:fs';
import test from 'ava';
import { parse } from 'yaml';
import {
  type Finding,
  KUBE_DERIVED_FLAGS,
  type KubeComponent,
  type KubeLayout,
  MARATHON_DERIVED_FLAGS,
  MESOS_DERIVED_FLAGS,
  MESOS_WRAPPER_VARIABLES,
} from '../src/index.js';
import { find, k8s, load, paths, threeMasters } from './helpers.js';

const example = (file: string) =>
  parse(readFileSync(new URL(`../../../../examples/${file}`, import.meta.url), 'utf8')) as {
    kubernetes: Record<string, unknown>;
  };

/** A spec of each layout, with `extraArgs` for its Kubernetes components. */
const LAYOUT_SPECS: Record<KubeLayout, (extraArgs: Record<string, unknown>) => unknown> = {
  k8sm: (extraArgs) => {
    const spec = example('k8s-on-mesos-ha.yaml');
    return { ...spec, kubernetes: { ...spec.kubernetes, extraArgs } };
  },
  legacy: (extraArgs) => k8s({ version: '1.14.10', extraArgs }),
  modern: (extraArgs) => k8s({ version: '1.23.17', extraArgs }),
};

/** A derived flag given as an extra one is an error: derived-flag, or unknown-flag where it is gone. */
const refused = (findings: readonly Finding[], path: string) =>
  findings.some(
    (f) =>
      f.severity === 'error' &&
      f.path.join('.') === path &&
      (f.check === 'derived-flag' || (f.check === 'unknown-flag' && /was removed/.test(f.message))),
  );

test('every Kubernetes flag a layout derives is refused as an extra arg', (t) => {
  for (const [layout, spec] of Object.entries(LAYOUT_SPECS) as [KubeLayout, typeof LAYOUT_SPECS.k8sm][]) {
    t.deepEqual(load(spec({})).findings, [], `${layout} without extra args`);
    for (const [component, flags] of Object.entries(KUBE_DERIVED_FLAGS[layout]) as [
      KubeComponent,
      Record<string, string>,
    ][])
      for (const flag of Object.keys(flags)) {
        const { findings } = load(spec({ [component]: { [flag]: 'x' } }));
        const path = `kubernetes.extraArgs.${component}.${flag}`;
        t.true(refused(findings, path), `${layout}: ${path} → ${findings.map((f) => f.check)}`);
      }
  }
});

test('every Mesos and Marathon flag k8sm derives is refused as an extra flag, cluster-wide and per host', (t) => {
  const cases: [string, Record<string, unknown>, string][] = [
    ...Object.keys(MESOS_DERIVED_FLAGS.master).flatMap((f): [string, Record<string, unknown>, string][] => [
      [f, { mesos: { version: '1.11.0', master: { flags: { [f]: 'x' } } } }, `mesos.master.flags.${f}`],
    ]),
    ...Object.keys(MESOS_DERIVED_FLAGS.agent).map((f): [string, Record<string, unknown>, string] => [
      f,
      { mesos: { version: '1.11.0', agent: { flags: { [f]: 'x' } } } },
      `mesos.agent.flags.${f}`,
    ]),
    ...Object.keys(MARATHON_DERIVED_FLAGS).map((f): [string, Record<string, unknown>, string] => [
      f,
      { marathon: { version: '1.11.24', flags: { [f]: 'x' } } },
      `marathon.flags.${f}`,
    ]),
  ];
  for (const [flag, over, path] of cases)
    t.true(paths(load(threeMasters(over)), 'derived-flag').includes(path), `${path} (--${flag}) is refused`);
  const perHost = threeMasters();
  const agent = perHost.hosts[3];
  if (agent) agent.mesos = { agent: { flags: { resources: 'cpus:4' } } };
  t.deepEqual(paths(load(perHost), 'derived-flag'), ['hosts.3.mesos.agent.flags.resources']);
});

test('issue 14: a flag the Mesos init wrapper already passes is refused at its path, naming the variable', (t) => {
  for (const kind of ['master', 'agent'] as const)
    for (const [flag, { file, variable }] of Object.entries(MESOS_WRAPPER_VARIABLES[kind])) {
      t.true(Object.hasOwn(MESOS_DERIVED_FLAGS[kind], flag), `${kind} --${flag} is derived, so refused`);
      const spec = threeMasters({ mesos: { version: '0.24.1', [kind]: { flags: { [flag]: 'x' } } } });
      const found = find(load(spec), 'derived-flag');
      t.deepEqual(
        found.map((f) => f.path.join('.')),
        [`mesos.${kind}.flags.${flag}`],
      );
      t.true(found[0]?.message.includes(`from ${variable} in ${file}`), found[0]?.message);
      const perHost = threeMasters({ mesos: { version: '1.4.1' } });
      const host = perHost.hosts[kind === 'master' ? 0 : 3];
      if (host) host.mesos = { [kind]: { flags: { [flag]: 'x' } } };
      t.deepEqual(paths(load(perHost), 'derived-flag'), [
        `hosts.${kind === 'master' ? 0 : 3}.mesos.${kind}.flags.${flag}`,
      ]);
    }
});

test('the drift of issue 12: --tls-cert-file as an extra apiserver arg is refused at its path', (t) => {
  const report = load(k8s({ version: '1.16.15', extraArgs: { apiserver: { 'tls-cert-file': '/x.crt' } } }));
  t.deepEqual(paths(report, 'derived-flag'), ['kubernetes.extraArgs.apiserver.tls-cert-file']);
  t.is(report.plan, undefined);
  t.regex(
    find(report, 'derived-flag')[0]?.message ?? '',
    /--tls-cert-file is derived by k8sm \(from the PKI that `k8sm-render pki` creates\)/,
  );
});

test('a flag k8sm derives in one layout only stays free in the others', (t) => {
  // km's apiserver runs the mesos cloud provider; a standalone apiserver may name its own
  t.deepEqual(
    paths(load(LAYOUT_SPECS.modern({ apiserver: { 'cloud-provider': 'external' } })), 'derived-flag'),
    [],
  );
  t.deepEqual(paths(load(LAYOUT_SPECS.k8sm({ apiserver: { 'cloud-provider': 'x' } })), 'derived-flag'), [
    'kubernetes.extraArgs.apiserver.cloud-provider',
  ]);
  // what k8sm fixes without a spec key says so, and says only to remove it
  const v = load(LAYOUT_SPECS.k8sm({ scheduler: { v: 4 } })).findings.find((f) => f.check === 'derived-flag');
  t.is(v?.message, "--v is set by k8sm (the guide's log level); an extra arg would give it twice");
  t.is(v?.fix, 'remove v from the extra args');
});
