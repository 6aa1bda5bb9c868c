import { ShellValueError } from '@k8sm/spec';
import { examplePlan, fakePki, hostScripts, scriptInjectionProblems, writableCopy } from '@k8sm/testkit';
import test from 'ava';
import { renderKubernetes } from '../src/index.js';

// kubernetes.extraArgs values are free text in the spec: in the single-master layout they are
// words of the km command lines in the host script.
test('k8sm single master: payloads in extraArgs reach km as words and never run', (t) => {
  const base = examplePlan('k8s-on-mesos-single-master.json');
  const render = (payload: string) => {
    const p = writableCopy(base);
    if (!p.kubernetes) throw new Error('no kubernetes in the plan');
    p.kubernetes.extraArgs = {
      apiserver: { 'runtime-config': payload },
      controllerManager: { 'cluster-name': payload },
      scheduler: { 'mesos-role': payload },
    };
    return renderKubernetes(p);
  };
  t.deepEqual(scriptInjectionProblems(render, hostScripts('k8sm-master')), []);
});

// The HA layout's kubelet init script is a rendered file whose only values sit in comments.
test('k8sm HA: a line break in a value of the kubelet init script is refused, not written into a comment', (t) => {
  const p = writableCopy(examplePlan('k8s-on-mesos-ha.yaml'));
  if (!p.kubernetes) throw new Error('no kubernetes in the plan');
  p.name = 'k8sm-ha\nk8sm_pwned';
  t.throws(() => renderKubernetes(p, fakePki(p)), { instanceOf: ShellValueError });
});
