import { createHash } from 'node:crypto';
import { renderAnsible } from '@k8sm/render-ansible';
import {
  type ArtifactComponent,
  type ClusterPlan,
  type CommandArtifact,
  type ComposedArtifacts,
  composeArtifacts,
  type FileArtifact,
  formatPath,
  generatedHeader,
  IGNORE_ALL,
  type ShellLine,
  type SpecReport,
  secretIn,
  sh,
  shComment,
  shScript,
} from '@k8sm/spec';
import { RENDERERS, type RenderInputs } from './renderers.js';

/** One file of the output directory, by its path relative to the directory. */
export interface OutputFile {
  readonly content: string;
  readonly mode: number;
}

export type OutputTree = ReadonlyMap<string, OutputFile>;

export interface RenderFilter {
  readonly only?: readonly ArtifactComponent[];
  readonly host?: string;
}

/** What manifest.json says: the spec it came from, every file with its hash, every command. */
export interface OutputManifest {
  readonly generator: string;
  readonly spec: { readonly name: string; readonly file: string | undefined; readonly sha256: string };
  readonly filter?: RenderFilter;
  readonly hosts: ClusterPlan['hosts'];
  readonly waived: readonly {
    readonly check: string;
    readonly reason: string;
    readonly findings: readonly { readonly path: string; readonly message: string }[];
  }[];
  readonly warnings: readonly { readonly check: string; readonly path: string; readonly message: string }[];
  readonly files: readonly {
    readonly host: string | null;
    readonly path: string;
    readonly output: string;
    readonly mode: string;
    readonly bytes: number;
    /** absent for a secret (mode 0600): a hash would let guesses be tested offline */
    readonly sha256?: string;
    readonly secret?: true;
    readonly component: ArtifactComponent;
  }[];
  readonly commands: readonly {
    readonly host: string;
    readonly order: number;
    readonly component: ArtifactComponent;
    readonly command: ShellLine;
  }[];
  readonly scripts: readonly { readonly host: string; readonly output: string; readonly sha256: string }[];
}

export interface RenderedOutput {
  /** every file of the output directory, by path, sorted: what the one writer writes */
  readonly tree: OutputTree;
  readonly artifacts: ComposedArtifacts;
  readonly hosts: readonly string[];
  /** manifest.json, as the tree holds it in text */
  readonly manifest: OutputManifest;
  /** the files that hold key material or a credential (by mode or content): never printed or committed */
  readonly secretPaths: readonly string[];
}

/**
 * The ownership marker: only k8sm-render writes it, and a non-empty `-o` without it is never
 * replaced (any tool may write a `manifest.json`). It names the spec, so that a render of another
 * spec is not written over this one by mistake.
 */
export const OUTPUT_MARKER = '.k8sm-output.json';
export const OUTPUT_FORMAT = 1;
export const outputMarker = (spec: string, filter: RenderFilter = {}) =>
  `${JSON.stringify({ generator: 'k8sm-render', format: OUTPUT_FORMAT, spec, ...(isPartial(filter) ? { filter } : {}) })}\n`;

/** `--only` or `--host` given: the output holds a part of the cluster. */
export const isPartial = (filter: RenderFilter) => filter.only !== undefined || filter.host !== undefined;

/** One spelling of a filter, for comparing the filter an output was rendered with to another. */
export const filterKey = (filter: RenderFilter | undefined) =>
  JSON.stringify({ only: filter?.only ? [...filter.only].sort() : null, host: filter?.host ?? null });

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const octal = (mode: number) => `0${mode.toString(8)}`;

/** Where an artifact lands in the output directory. */
export function outputPath(file: FileArtifact): string {
  return file.host === null ? `cluster${file.path}` : `hosts/${file.host}${file.path}`;
}

export function hostScript(plan: ClusterPlan, host: string, commands: readonly CommandArtifact[]): string {
  const address = plan.hosts.find((h) => h.name === host)?.address ?? '';
  const lines: ShellLine[] = [
    sh`#!/usr/bin/env bash`,
    shComment(generatedHeader(plan.name)),
    shComment(`# host ${host} (${address}): run as root on that host, after copying hosts/${host}/ to /`),
    sh`set -euo pipefail`,
    sh``,
  ];
  let section = '';
  for (const c of commands) {
    if (c.component !== section) {
      if (section) lines.push(sh``);
      lines.push(shComment(`# ${c.component}`));
    }
    section = c.component;
    lines.push(c.command);
  }
  return shScript(lines);
}

/**
 * Everything `k8sm-render` writes, in memory: pure, so the same spec gives the same bytes and
 * `--check` can compare without writing.
 */
export function renderOutput(
  report: SpecReport & { plan: ClusterPlan },
  specBytes: string,
  specFile: string,
  /** k8sm-render's version, for manifest.json's generator; undefined: the library rendered it */
  version: string | undefined,
  filter: RenderFilter,
  inputs: RenderInputs = { pki: {} },
): RenderedOutput {
  const { plan } = report;
  const all = composeArtifacts(RENDERERS.map((r) => r.render(plan, inputs)));
  const keep = (a: { component: ArtifactComponent; host: string | null }) =>
    (filter.only === undefined || a.component === 'k8sm' || filter.only.includes(a.component)) &&
    (filter.host === undefined || a.host === filter.host);
  const artifacts: ComposedArtifacts = {
    files: all.files.filter(keep),
    commands: all.commands.filter(keep),
  };
  const hosts = plan.hosts.map((h) => h.name).filter((h) => filter.host === undefined || h === filter.host);

  const tree = new Map<string, OutputFile>();
  for (const file of artifacts.files) tree.set(outputPath(file), { content: file.content, mode: file.mode });
  const commandsOf = new Map<string, CommandArtifact[]>();
  for (const c of artifacts.commands) commandsOf.set(c.host, [...(commandsOf.get(c.host) ?? []), c]);
  // a partial render writes no empty script for a host the filter leaves without commands
  const scripted = isPartial(filter) ? hosts.filter((h) => commandsOf.has(h)) : hosts;
  const scripts = scripted.map((host) => {
    const content = hostScript(plan, host, commandsOf.get(host) ?? []);
    const path = `scripts/${host}.sh`;
    tree.set(path, { content, mode: 0o755 });
    return { host, output: path, sha256: sha256(content) };
  });

  // content repeated on many hosts (the pod route table, the CA bundle) is measured and hashed
  // once: a string key costs V8 one hash, kept on the string, against a SHA-256 per copy
  const digests = new Map<string, { bytes: number; sha256: string }>();
  const digest = (content: string) => {
    const known = digests.get(content);
    if (known) return known;
    const d = { bytes: Buffer.byteLength(content), sha256: sha256(content) };
    digests.set(content, d);
    return d;
  };
  const manifest: OutputManifest = {
    generator: version === undefined ? '@k8sm/render-cluster' : `k8sm-render ${version}`,
    spec: { name: plan.name, file: specFile.split(/[\\/]/).pop(), sha256: sha256(specBytes) },
    ...(isPartial(filter) ? { filter: { ...filter } } : {}),
    hosts: plan.hosts,
    waived: report.waived.map((w) => ({
      check: w.check,
      reason: w.reason,
      findings: w.findings.map((f) => ({ path: formatPath(f.path), message: f.message })),
    })),
    warnings: report.findings.map((f) => ({ check: f.check, path: formatPath(f.path), message: f.message })),
    files: artifacts.files.map((f) => ({
      host: f.host,
      path: f.path,
      output: outputPath(f),
      mode: octal(f.mode),
      bytes: digest(f.content).bytes,
      // a hash of a password would let anyone holding the manifest test guesses offline
      ...((f.mode & 0o077) === 0 ? { secret: true } : { sha256: digest(f.content).sha256 }),
      component: f.component,
    })),
    commands: artifacts.commands.map((c) => ({
      host: c.host,
      order: c.order,
      component: c.component,
      command: c.command,
    })),
    scripts,
  };
  tree.set(OUTPUT_MARKER, { content: outputMarker(plan.name, filter), mode: 0o644 });
  tree.set('manifest.json', { content: `${JSON.stringify(manifest, null, 2)}\n`, mode: 0o644 });
  // The Ansible hand-off covers the whole cluster: not written for a filtered render.
  if (!isPartial(filter))
    for (const f of renderAnsible(plan, all.files, all.commands))
      tree.set(f.path, { content: f.content, mode: f.mode });
  // key material in the output: `git add -A` in a work tree holding it must not stage it
  // each distinct content is searched once: the route table repeated on every node is one search
  const secretByMode = new Map<number, Map<string, boolean>>();
  const secret = (f: OutputFile) => {
    let byContent = secretByMode.get(f.mode);
    if (!byContent) {
      byContent = new Map();
      secretByMode.set(f.mode, byContent);
    }
    const known = byContent.get(f.content);
    if (known !== undefined) return known;
    const found = secretIn(f) !== undefined;
    byContent.set(f.content, found);
    return found;
  };
  const secretPaths = [...tree].filter(([, f]) => secret(f)).map(([path]) => path);
  if (secretPaths.length > 0) tree.set('.gitignore', { content: IGNORE_ALL, mode: 0o644 });
  return {
    tree: new Map([...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    artifacts,
    hosts,
    manifest,
    secretPaths,
  };
}
