import { readFileSync } from 'node:fs';
import {
  type Artifact,
  type ClusterPlan,
  etcdPkiRequests,
  type FileArtifact,
  kubernetesPkiRequests,
  loadSpec,
  pkiFiles,
} from '@k8sm/spec';

export const examples = new URL('../../../../examples/', import.meta.url);

export function planOf(spec: unknown, file = 'spec.json'): ClusterPlan {
  const text = typeof spec === 'string' ? spec : JSON.stringify(spec);
  const report = loadSpec(text, file);
  if (!report.plan) throw new Error(report.findings.map((f) => `${f.check} ${f.message}`).join('\n'));
  return report.plan;
}

export const example = (name: string) => planOf(readFileSync(new URL(name, examples), 'utf8'), name);

/** Stand-in PKI contents: every file a plan's PKI requests name, holding its own path. */
export function fakePki(plan: ClusterPlan): Record<string, string> {
  const files = [
    ...(plan.etcd ? pkiFiles(etcdPkiRequests(plan.etcd)) : []),
    ...(plan.kubernetes ? pkiFiles(kubernetesPkiRequests(plan.kubernetes, [])) : []),
  ];
  return Object.fromEntries(files.map((f) => [f, `pem of ${f}\n`]));
}

export const fileOf = (out: Artifact[], host: string, path: string) =>
  out.find((a): a is FileArtifact => a.kind === 'file' && a.host === host && a.path === path);
export const contentOf = (out: Artifact[], host: string, path: string) =>
  fileOf(out, host, path)?.content ?? '';
export const commandsOf = (out: Artifact[], host: string) =>
  out.flatMap((a) => (a.kind === 'command' && a.host === host ? [a.command] : []));

/** The words of one variable of an env file written by envVariable(). */
export function envWords(content: string, name: string): string[] {
  const m = new RegExp(`^${name}="([^]*?)"$`, 'm').exec(content);
  return (m?.[1] ?? '').split(/\s*\\\n\s*/).filter(Boolean);
}
