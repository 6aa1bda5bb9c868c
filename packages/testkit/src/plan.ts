import {
  type ClusterPlan,
  etcdPkiRequests,
  formatFinding,
  kubernetesPkiRequests,
  loadSpec,
  pkiFiles,
} from '@k8sm/spec';
import { exampleText } from '@k8sm/testkit-fixtures';

/** The plan of a spec (an object or its JSON/YAML text) through loadSpec; throws with the findings when it is invalid. */
export function planOf(spec: unknown, file = 'spec.json'): ClusterPlan {
  const text = typeof spec === 'string' ? spec : JSON.stringify(spec, null, 2);
  const report = loadSpec(text, file);
  if (!report.plan)
    throw new Error(`${file} has no plan:\n${report.findings.map((f) => formatFinding(f)).join('\n')}`);
  return report.plan;
}

/** The plan of one example spec. */
export const examplePlan = (name: string): ClusterPlan => planOf(exampleText(name), name);

/** Stand-in PKI contents: every file a plan's PKI requests name, holding `pem of <its path>`. */
export function fakePki(plan: ClusterPlan): Record<string, string> {
  const files = [
    ...(plan.etcd ? pkiFiles(etcdPkiRequests(plan.etcd)) : []),
    ...(plan.kubernetes ? pkiFiles(kubernetesPkiRequests(plan.kubernetes, [])) : []),
  ];
  return Object.fromEntries(files.map((f) => [f, `pem of ${f}\n`]));
}
