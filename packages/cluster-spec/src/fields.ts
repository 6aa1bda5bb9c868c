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

export const absolutePath = (fallback?: string) => {
  const p = z.string().regex(/^\/[^\0]*$/, { error: 'write an absolute path, starting with /' });
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

export const image = z.string().min(1).meta({ description: 'Container image for the docker runtime' });

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
