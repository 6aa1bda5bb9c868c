import type { Artifact, ClusterPlan } from '@k8sm/spec';
import { examplePlan, fakePki } from '@k8sm/testkit';
import test from 'ava';
import { renderKubernetes } from '../src/index.js';

const texts = (out: readonly Artifact[]) =>
  out.flatMap((a) => (a.kind === 'file' ? [a.content] : [a.command])).join('\n');
const count = (text: string, needle: string) => text.split(needle).length - 1;

/** The plan with every master's local apiserver URL moved to `url`. */
function moved(plan: ClusterPlan, url: (host: string) => string): ClusterPlan {
  const k8s = plan.kubernetes;
  if (!k8s) throw new Error('the example runs Kubernetes');
  return {
    ...plan,
    kubernetes: { ...k8s, masters: k8s.masters.map((m) => ({ ...m, localApiserverUrl: url(m.host) })) },
  };
}

for (const [example, expected, minimum] of [
  ['k8s-on-mesos-ha.yaml', 'http://192.168.33.21:8888', 2],
  ['k8s-1.6-standalone-ha.yaml', 'http://127.0.0.1:8080', 2],
  ['kubernetes-1.30-ha.yaml', 'https://10.30.0.11:6443', 2],
] as const)
  test(`${example}: a master's own components reach the plan's localApiserverUrl`, (t) => {
    const plan = examplePlan(example);
    const first = plan.kubernetes?.masters[0];
    t.is(first?.localApiserverUrl, expected);
    const url = (host: string) => `https://local-${host}.test:1234`;
    const out = texts(
      renderKubernetes(moved(plan, url), fakePki(plan)).filter((a) => a.host === first?.host),
    );
    t.true(count(out, url(first?.host ?? '')) >= minimum, out);
  });
