import * as z from 'zod';
import { isIPv4Address, parseCidr } from './net.js';
import { VERSION_PATTERN } from './version.js';

/** The field schemas every component section is built from. */

export type Runtime = 'package' | 'docker';

export const runtime = (fallback: Runtime) =>
  z.enum(['package', 'docker']).meta({
    description:
      '`package`: files in the Debian/RPM package layout plus service units; `docker`: one `docker run` per container, configured as the image expects',
    default: fallback,
  });

export const version = (example: string) =>
  z
    .string()
    .regex(VERSION_PATTERN, { error: `write a release number like "${example}"` })
    .meta({ description: `The release you run (files and flags differ by version), e.g. "${example}"` });

export const port = (fallback?: number) => {
  const p = z.number().int().min(1).max(65535);
  return fallback === undefined ? p : p.meta({ default: fallback });
};

// A path reaches shell lines (install -d, chown, docker -v a:a), zoo.cfg and flag files: only
// characters none of those give a meaning to. A `:` would split docker's -v; `{{` is Jinja.
const PATH_SEGMENT = '[A-Za-z0-9._@+-]*';
/** Absolute, no `.`/`..` segment, only [A-Za-z0-9._@+-] between slashes (doubled or trailing `/` allowed). */
export const PATH_PATTERN = new RegExp(`^(?!.*(?:^|/)\\.\\.?(?:/|$))(?:/${PATH_SEGMENT})+$`);

/** Why a string is not a path k8sm writes into scripts and config files, as the finding says it. */
function pathProblem(text: string): string {
  if (!text.startsWith('/')) return 'write an absolute path, starting with /';
  if (/(?:^|\/)\.\.?(?:\/|$)/.test(text))
    return 'a path may not hold "." or ".." segments: write the resolved path';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\s\u0000-\u001f\u007f]/.test(text))
    return 'a path may not hold spaces, newlines or other control characters';
  const bad = [...text].find((c) => !/[A-Za-z0-9._@+/-]/.test(c)) ?? '';
  return `${JSON.stringify(bad)} is not allowed in a path: use letters, digits and . _ - + @ between slashes`;
}

/** `/var/lib/zk/` and `/data//zk` mean `/var/lib/zk` and `/data/zk`: written once, normalised. */
const normalisePath = (text: string) => text.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');

export const absolutePath = (fallback?: string) => {
  const p = z
    .string()
    .regex(PATH_PATTERN, { error: (issue) => pathProblem(String(issue.input)) })
    .overwrite(normalisePath);
  return fallback === undefined ? p : p.meta({ default: fallback });
};

export const ipv4 = z.string().refine(isIPv4Address, {
  error: (i) =>
    `${JSON.stringify(i.input)} is not an IPv4 address: write four numbers 0–255 joined by dots, e.g. 10.16.40.1`,
});

export const cidr = z.string().refine((t) => parseCidr(t) !== undefined, {
  error: (i) =>
    `${JSON.stringify(i.input)} is not an IPv4 CIDR range: write address/prefix, e.g. 10.96.0.0/12`,
});

// The reference grammar of distribution/reference (reference.go, v0.5.0):
// name [":" tag] ["@" digest], name := [domain "/"] path-component ["/" path-component]*
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
/** A Docker image reference, e.g. `mesoscloud/zookeeper:3.4.6` or `registry:5000/x/y@sha256:…`. */
export const IMAGE_PATTERN = new RegExp(
  `^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`,
);

export const image = z
  .string()
  .regex(IMAGE_PATTERN, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a Docker image reference: write [registry/]name[:tag][@digest], lower-case name, e.g. mesoscloud/zookeeper:3.4.6`,
  })
  .meta({ description: 'Container image for the docker runtime' });

const flagValue = z.union([z.string(), z.number(), z.boolean()]);

export const duration = z
  .string()
  .regex(/^\d+(\.\d+)?(ms|s|m|h)$/, { error: 'write a duration like 15s, 1m or 500ms' });

export const zkPath = (fallback: string) =>
  z
    .string()
    .regex(/^\/[A-Za-z0-9_./-]*$/)
    .meta({ default: fallback });

export const flags = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'flag names are lower_snake_case, without --' }),
    flagValue,
  )
  .meta({
    description: 'Extra flags, by name without dashes; true/false become bare or negated flags',
  });

export const kubeFlags = z
  .record(
    z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'Kubernetes flag names are kebab-case, without --' }),
    flagValue,
  )
  .meta({ description: 'Extra flags, by name without dashes; true/false become --flag=true/false' });
