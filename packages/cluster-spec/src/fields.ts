import * as z from 'zod';
import { isIPv4Address, parseCidr } from './net.js';
import { describeChar, firstForbidden, MULTILINE_TEXT_PATTERN, quote, TEXT_PATTERN } from './text.js';
import { VERSION_PATTERN } from './version.js';

/** The field schemas every component section is built from. */

export type Runtime = 'package' | 'docker';

const textProblem = (input: unknown, allowed: RegExp, fix: string) => {
  const value = String(input);
  const bad = firstForbidden(value, allowed) ?? '';
  return `${describeChar(bad)} at character ${[...value].indexOf(bad) + 1} is not allowed here: ${fix}`;
};

/** Free text: every string of the spec is at least this (no control, line-separator or bidi character). */
export const text = () =>
  z.string().regex(TEXT_PATTERN, {
    error: (i) =>
      textProblem(i.input, TEXT_PATTERN, 'write the value on one line, without control characters'),
  });

/**
 * The one allow-list for newline and tab: a Marathon app's `cmd` and a COMMAND health check run by
 * `sh -c` on the agent, where a multi-line script is ordinary, and k8sm writes them only JSON-encoded
 * into the app definition, never into a script or a config line.
 */
export const multilineText = () =>
  z.string().regex(MULTILINE_TEXT_PATTERN, {
    error: (i) =>
      textProblem(i.input, MULTILINE_TEXT_PATTERN, 'only newline and tab may break a command: remove it'),
  });

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
/** A cluster name: one lower-case DNS label (RFC 1123), at most 63 characters. */
export const DNS_LABEL_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** A host name: DNS labels joined by dots, at most 63 characters in all (it names hosts/<name>/ too). */
export const HOST_NAME_PATTERN = new RegExp(`^(?=.{1,63}$)${LABEL}(?:\\.${LABEL})*$`);
/** A DNS domain such as cluster.local: labels joined by dots, at most 253 characters. */
const DOMAIN_PATTERN = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);

export const hostName = () =>
  z.string().regex(HOST_NAME_PATTERN, {
    error:
      'host names are DNS names: labels of letters, digits and dashes joined by dots, each starting and ending with a letter or digit, at most 63 characters in all',
  });

export const domainName = () =>
  z.string().regex(DOMAIN_PATTERN, {
    error:
      'write a DNS domain: labels of letters, digits and dashes joined by dots (at most 63 characters each, 253 in all), e.g. cluster.local',
  });

/** A Mesos attribute or resource value: the agent reads `;` as the start of the next pair, with no escape. */
export const mesosPairValue = () =>
  z.union([
    text().regex(/^[^;]*$/, {
      error:
        'Mesos reads ";" as the start of the next attribute or resource, and has no escape for it: remove it',
    }),
    z.number(),
  ]);

/** A name that becomes a file name or a key=value key (Mesos attributes/<name>, env names): no `.`/`..`. */
export const keyName = () =>
  z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$/, {
    error:
      'write a name of letters, digits, _ . and -, starting with a letter, digit or _, at most 63 characters',
  });

export const runtime = (fallback: Runtime) =>
  z.enum(['package', 'docker']).meta({
    description:
      '`package`: files in the Debian/RPM package layout plus service units; `docker`: one `docker run` per container, configured as the image expects',
    default: fallback,
  });

export const version = (example: string) =>
  z
    .string()
    .regex(VERSION_PATTERN, {
      error: `write a release number like "${example}" (a pre-release as the project names it, e.g. "3.5.3-beta")`,
    })
    .meta({
      description: `The release you run (files and flags differ by version), e.g. "${example}"; it must be in k8sm's table of upstream releases (check "unknown-version": waive it, with a reason, for a release newer than the table)`,
    });

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
  return `${quote(bad)} is not allowed in a path: use letters, digits and . _ - + @ between slashes`;
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

export const ipv4 = z
  .string()
  .refine(isIPv4Address, {
    error: (i) =>
      `${quote(String(i.input))} is not an IPv4 address: write four numbers 0–255 joined by dots, e.g. 10.16.40.1`,
  })
  .meta({ format: 'ipv4' });

// the JSON Schema's pattern is the shape; parseCidr also checks each number's range
export const cidr = z
  .string()
  .refine((t) => parseCidr(t) !== undefined, {
    error: (i) =>
      `${quote(String(i.input))} is not an IPv4 CIDR range: write address/prefix, e.g. 10.96.0.0/12`,
  })
  .meta({ pattern: '^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$' });

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
      `${quote(String(issue.input))} is not a Docker image reference: write [registry/]name[:tag][@digest], lower-case name, e.g. mesoscloud/zookeeper:3.4.6`,
  })
  .meta({ description: 'Container image for the docker runtime' });

const flagValue = z.union([text(), z.number(), z.boolean()]);

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

/**
 * A Kubernetes flag value is one word: the kubelet init script and the standalone units pass the
 * flags in one variable (KUBELET_OPTS, KUBE_API_ARGS, …) that is split at blanks.
 */
const kubeFlagValue = z.union([
  text().regex(/^\S*$/, {
    error:
      'a Kubernetes flag value cannot hold a blank: the flags reach the binary through a variable split at blanks',
  }),
  z.number(),
  z.boolean(),
]);

export const kubeFlags = z
  .record(
    z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'Kubernetes flag names are kebab-case, without --' }),
    kubeFlagValue,
  )
  .meta({ description: 'Extra flags, by name without dashes; true/false become --flag=true/false' });
