import type { Artifact, FileArtifact } from '@k8sm/spec';

/** One host's file at one path, or undefined. */
export const fileOf = (out: readonly Artifact[], host: string, path: string): FileArtifact | undefined =>
  out.find((a): a is FileArtifact => a.kind === 'file' && a.host === host && a.path === path);

/** The content of one host's file, '' when there is none. */
export const contentOf = (out: readonly Artifact[], host: string, path: string): string =>
  fileOf(out, host, path)?.content ?? '';

/** One host's files as path → content. */
export const filesOf = (out: readonly Artifact[], host: string): Record<string, string> =>
  Object.fromEntries(out.flatMap((a) => (a.kind === 'file' && a.host === host ? [[a.path, a.content]] : [])));

/** One host's commands, in the order the renderer gave them. */
export const commandsOf = (out: readonly Artifact[], host: string): string[] =>
  out.flatMap((a) => (a.kind === 'command' && a.host === host ? [a.command] : []));

/** The words of one variable of an env file written by envVariable(). */
export function envWords(content: string, name: string): string[] {
  const m = new RegExp(`^${name}="([^]*?)"$`, 'm').exec(content);
  return (m?.[1] ?? '').split(/\s*\\\n\s*/).filter(Boolean);
}
