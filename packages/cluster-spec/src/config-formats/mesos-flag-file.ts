import { type ConfigPlace, refuse, refuseChars, refuseControl } from './refuse.js';

// The Mesos packages' init wrapper (mesosphere/mesos-deb-packaging, mesos-init-wrapper) turns each
// regular file <dir>/<name> into the one argument `--<name>=$(cat <file>)` (command substitution
// drops every trailing newline, keeps everything else), a file `?<name>` into `--<name>`, and
// joins attributes/<key> and resources/<key> into `--attributes=<k>:<v>;<k>:<v>` (skipping empty
// files). It then runs the daemon without its syslog logger if any argument merely contains
// `--no-logger`. Mesos splits --attributes and --resources at `;` and a newline, each pair at its
// first `:` (src/common/attributes.cpp, src/common/resources.cpp).

/** A file of a flag directory: the path and the content the wrapper reads back as the value. */
export interface FlagFile {
  readonly path: string;
  readonly content: string;
}

function checkName(dir: string, name: string, what: string): void {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name))
    refuse(
      { file: dir, key: `the ${what} ${JSON.stringify(name)}` },
      'is no file name the wrapper reads back as it is (letters, digits, `_`, `.` and `-`)',
      `rename the ${what}`,
    );
}

function checkValue(at: ConfigPlace, text: string): string {
  refuseControl(at, text);
  if (text.includes('--no-logger'))
    refuse(at, 'holds "--no-logger", which makes the init wrapper start the daemon without its logger');
  return text;
}

/**
 * `<dir>/<flag>` holding the value for `--<flag>=<value>`; a boolean is the empty file `?<flag>`,
 * or `?<no><flag>` when false (`no-` for Mesos, `disable_` for Marathon before 1.5).
 */
export function flagFile(dir: string, flag: string, value: string | number | boolean, no = 'no-'): FlagFile {
  checkName(dir, flag, 'flag');
  if (typeof value === 'boolean') return { path: `${dir}/?${value ? '' : no}${flag}`, content: '' };
  const path = `${dir}/${flag}`;
  return { path, content: `${checkValue({ file: path, key: `--${flag}` }, String(value))}\n` };
}

/**
 * `attributes/<key>` or `resources/<key>` holding one value of --attributes or --resources. The
 * wrapper skips an empty file, and `;` would start another pair: both throw ConfigValueError.
 */
export function pairFile(
  dir: string,
  kind: 'attributes' | 'resources',
  key: string,
  value: string | number,
): FlagFile {
  checkName(`${dir}/${kind}`, key, kind === 'attributes' ? 'attribute' : 'resource');
  const path = `${dir}/${kind}/${key}`;
  const text = checkValue({ file: path, key: `--${kind} ${key}` }, String(value));
  const at = { file: path, key: `--${kind} ${key}` };
  refuseChars(at, text, ';', 'Mesos reads as the start of another pair');
  if (text === '') refuse(at, 'is empty, and the init wrapper skips an empty file');
  return { path, content: `${text}\n` };
}

/** `k1:v1;k2:v2`, the --attributes and --resources syntax (undefined when empty), each pair checked like pairFile. */
export function flagPairs(
  dir: string,
  kind: 'attributes' | 'resources',
  pairs: Readonly<Record<string, string | number>>,
): string | undefined {
  const entries = Object.entries(pairs);
  if (entries.length === 0) return undefined;
  return entries.map(([k, v]) => `${k}:${pairFile(dir, kind, k, v).content.slice(0, -1)}`).join(';');
}
