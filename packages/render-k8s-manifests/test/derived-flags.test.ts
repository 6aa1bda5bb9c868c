import {
  type Artifact,
  type ClusterPlan,
  DuplicateFlagError,
  KUBE_DERIVED_FLAGS,
  type KubeComponent,
  kubeLayout,
} from '@k8sm/spec';
import { envWords, exampleNames, examplePlan, fakePki } from '@k8sm/testkit';
import test from 'ava';
import { parse } from 'yaml';
import { renderKubernetes } from '../src/index.js';

const BY_BINARY: Record<string, KubeComponent> = {
  'kube-apiserver': 'apiserver',
  'kube-controller-manager': 'controllerManager',
  'kube-scheduler': 'scheduler',
  apiserver: 'apiserver',
  'controller-manager': 'controllerManager',
  scheduler: 'scheduler',
};
const BY_VARIABLE: Record<string, KubeComponent> = {
  KUBE_API_ARGS: 'apiserver',
  KUBE_CONTROLLER_MANAGER_ARGS: 'controllerManager',
  KUBE_SCHEDULER_ARGS: 'scheduler',
  KUBELET_ARGS: 'kubelet',
  KUBELET_OPTS: 'kubelet',
  KUBE_PROXY_ARGS: 'proxy',
};

/** Every `--flag=` in the rendered output, read back from manifests, env files and km commands. */
function renderedFlags(out: readonly Artifact[]): [KubeComponent, string][] {
  const found: [KubeComponent, string][] = [];
  const add = (component: KubeComponent | undefined, words: readonly string[]) => {
    if (!component) return;
    for (const word of words) {
      const name = /^'?--([a-z0-9-]+)=/.exec(word)?.[1];
      if (name) found.push([component, name]);
    }
  };
  for (const a of out) {
    if (a.kind === 'command') {
      const km = /^nohup km (\S+) (.*) >/.exec(a.command);
      if (km) add(BY_BINARY[km[1] ?? ''], (km[2] ?? '').split(' '));
      continue;
    }
    if (a.path.endsWith('.yaml') && a.content.includes('kind: Pod')) {
      const pod = parse(a.content) as { spec: { containers: { command: string[] }[] } };
      for (const { command } of pod.spec.containers) {
        const [binary = '', sub = ''] = command;
        if (binary.endsWith('/km')) add(BY_BINARY[sub], command.slice(2));
        else add(BY_BINARY[binary], command.slice(1));
      }
    }
    for (const [variable, component] of Object.entries(BY_VARIABLE))
      if (a.content.includes(`${variable}="`)) add(component, envWords(a.content, variable));
  }
  return found;
}

const kubernetesExamples = exampleNames().filter((name) => examplePlan(name).kubernetes);
const render = (plan: ClusterPlan) => renderKubernetes(plan, fakePki(plan));

test('every flag an example renders is an extra arg or in KUBE_DERIVED_FLAGS for its layout', (t) => {
  t.true(kubernetesExamples.length >= 4);
  const layouts = new Set<string>();
  for (const name of kubernetesExamples) {
    const plan = examplePlan(name);
    const k8s = plan.kubernetes;
    if (!k8s) continue;
    const layout = kubeLayout(k8s);
    layouts.add(layout);
    const flags = renderedFlags(render(plan));
    const components = new Set(flags.map(([component]) => component));
    // the reading-back above found the command lines (km's single-master guide runs no kubelet)
    t.true(components.has('apiserver') && components.has('scheduler'), `${name}: ${[...components]}`);
    for (const [component, flag] of flags) {
      if (Object.hasOwn(k8s.extraArgs[component] ?? {}, flag)) continue;
      const declared: Readonly<Record<string, string>> = KUBE_DERIVED_FLAGS[layout][component];
      t.true(Object.hasOwn(declared, flag), `${name}: ${layout} ${component} renders --${flag}`);
    }
  }
  t.deepEqual([...layouts].sort(), ['k8sm', 'legacy', 'modern']);
});

test('an extra arg that repeats a derived flag throws DuplicateFlagError naming the flag and its path', (t) => {
  // the drift of issue 12: past the checks (which now refuse it), --tls-cert-file was rendered twice
  const plan = examplePlan('k8s-1.6-standalone-ha.yaml');
  const k8s = plan.kubernetes;
  if (!k8s) return t.fail();
  const bypassed = {
    ...plan,
    kubernetes: { ...k8s, extraArgs: { apiserver: { 'tls-cert-file': '/x.crt' } } },
  };
  const error = t.throws(() => render(bypassed), { instanceOf: DuplicateFlagError });
  t.is(error?.flag, 'tls-cert-file');
  t.is(error?.path, 'kubernetes.extraArgs.apiserver.tls-cert-file');
  t.regex(error?.message ?? '', /--tls-cert-file would be given twice to apiserver on kube-controller01/);
  // an extra arg k8sm does not derive is appended once
  const fine = { ...plan, kubernetes: { ...k8s, extraArgs: { apiserver: { 'audit-log-path': '/a.log' } } } };
  t.notThrows(() => render(fine));
});
