import { readFile } from 'node:fs/promises';
import { UsageError } from './errors.js';

export interface NumberRange {
  readonly min: number;
  readonly max: number;
  /** whole numbers only (counts) */
  readonly whole?: boolean;
  /** what the number counts, for the message: "seconds", "members" */
  readonly unit?: string;
}

/**
 * The one number parser of the command line: `--timeout 2`, `--watch 0.5s`, `--concurrency 64`,
 * `quorum 5`. A value outside the range names the flag and the range. Seconds may end in `s`.
 */
export function parseNumber(flag: string, text: string, range: NumberRange): number {
  const n = Number(range.unit === 'seconds' ? text.replace(/s$/, '') : text);
  const whole = range.whole === true;
  if (
    text.trim() === '' ||
    !Number.isFinite(n) ||
    n < range.min ||
    n > range.max ||
    (whole && !Number.isInteger(n))
  )
    throw new UsageError(
      `${flag} ${text || "''"}: give a ${whole ? 'whole number' : 'number'}${range.unit ? ` of ${range.unit}` : ''} from ${range.min} to ${range.max}`,
    );
  return n;
}

/** Seconds a flag gives, in milliseconds; `fallback` seconds when the flag is absent. */
export function secondsFlag(
  flag: string,
  text: string | undefined,
  fallback: number,
  range: Omit<NumberRange, 'unit' | 'whole'>,
): number {
  return (text === undefined ? fallback : parseNumber(flag, text, { ...range, unit: 'seconds' })) * 1000;
}

/** A timeout per request: long enough for a loaded link, short enough for setTimeout. */
export const TIMEOUT_SECONDS = { min: 0.05, max: 600 } as const;
/** A watch interval: from a tenth of a second to a day. */
export const WATCH_SECONDS = { min: 0.1, max: 86_400 } as const;

/**
 * The one URL check of the command line: every member of `--etcd`, `--marathon`, … needs its
 * scheme (the seed guides' `a:4001,b:4001` lists are the bug this stops).
 */
export function httpUrl(flag: string, value: string, example: string): string {
  if (!/^https?:\/\/[^/\s]+/.test(value) || !URL.canParse(value))
    throw new UsageError(`${flag} ${value}: write a URL with its scheme, e.g. ${example}`);
  return value;
}

/** Comma-separated values of a repeatable flag: one group per occurrence, empty items dropped. */
export const groupsOf = (values: readonly string[] | undefined): string[][] =>
  (values ?? []).map((v) => v.split(',').filter(Boolean));

/** `--cacert`/`--cert`/`--key`/`--insecure`, read once for every command that speaks TLS. */
export async function tlsFlags(values: {
  readonly cacert?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly insecure?: boolean | undefined;
}): Promise<{ ca?: string; cert?: string; key?: string; insecure?: true }> {
  const [ca, cert, key] = await Promise.all([
    readPem('cacert', values.cacert),
    readPem('cert', values.cert),
    readPem('key', values.key),
  ]);
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--cert and --key go together');
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
    ...(values.insecure ? { insecure: true as const } : {}),
  };
}

async function readPem(flag: string, file: string | undefined): Promise<string | undefined> {
  if (file === undefined) return undefined;
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

/** How k8sm-probe and its exporter reach members: TLS, HAProxy stats and apiserver credentials. */
export const MEMBER_ACCESS_OPTIONS = {
  cacert: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  insecure: { type: 'boolean' },
  'stats-user': { type: 'string' },
  'stats-password-env': { type: 'string' },
  'token-env': { type: 'string' },
} as const;

/** The credentials of MEMBER_ACCESS_OPTIONS, read from the variables they name (never from a flag). */
export function memberCredentials(values: {
  readonly 'stats-user'?: string | undefined;
  readonly 'stats-password-env'?: string | undefined;
  readonly 'token-env'?: string | undefined;
}): { statsUser?: string; statsPassword?: string; apiserverToken?: string } {
  const passwordEnv = values['stats-password-env'];
  return {
    ...(values['stats-user'] ? { statsUser: values['stats-user'] } : {}),
    ...(passwordEnv ? { statsPassword: process.env[passwordEnv] ?? '' } : {}),
    ...(values['token-env'] ? { apiserverToken: process.env[values['token-env']] ?? '' } : {}),
  };
}
