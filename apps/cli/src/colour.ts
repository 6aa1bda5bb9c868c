import type { Status } from '@k8sm/probes';
import type { Severity } from '@k8sm/spec';

type Colour = 'red' | 'green' | 'yellow' | 'magenta';
const SGR: Readonly<Record<Colour, number>> = { red: 31, green: 32, yellow: 33, magenta: 35 };

/** `text` in that colour, back to the terminal's own colour after it. */
export const paint = (colour: Colour, text: string): string => `\u001b[${SGR[colour]}m${text}\u001b[39m`;

/**
 * Whether what goes to `stream` is coloured: only on a terminal, and never when NO_COLOR is set
 * to anything but the empty string (https://no-color.org). FORCE_COLOR (1, or any value but 0
 * and false) colours a stream that is not a terminal, for tests and pagers; NO_COLOR still wins.
 * Machine formats (--json, --prometheus, --nagios) are never coloured: their callers do not ask.
 */
export function colourOn(
  stream: { readonly isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return stream.isTTY === true;
}

const SEVERITY: Readonly<Record<Severity, Colour>> = { error: 'red', warning: 'yellow' };

/** formatFinding's paint for stderr: error red, warning yellow; undefined when stderr is not coloured. */
export const severityPaint = (): ((severity: Severity, text: string) => string) | undefined =>
  colourOn(process.stderr) ? (severity, text) => paint(SEVERITY[severity], text) : undefined;

const STATUS: Readonly<Record<Status, Colour>> = {
  OK: 'green',
  WARNING: 'yellow',
  CRITICAL: 'red',
  UNKNOWN: 'magenta',
};

/** The probe table's paint for stdout: OK green, WARNING yellow, CRITICAL red, UNKNOWN magenta. */
export const statusPaint = (): ((status: Status, text: string) => string) | undefined =>
  colourOn(process.stdout) ? (status, text) => paint(STATUS[status], text) : undefined;
