import type * as z from 'zod';
import type { Position, SpecPath } from './spec-text.js';
import { quote } from './text.js';

export type Severity = 'error' | 'warning';

/** One problem in a spec: where (JSON path), what, and how to fix it. */
export interface Finding {
  readonly severity: Severity;
  /** `schema` for shape errors, else the id of the semantic check (the key to waive it by) */
  readonly check: string;
  readonly path: SpecPath;
  readonly message: string;
  readonly fix?: string;
  readonly position?: Position;
}

/** `hosts[2].zookeeper.id`; the root is `(spec)`. */
export function formatPath(path: SpecPath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${quote(key)}]`;
  }
  return out === '' ? '(spec)' : out;
}

/**
 * `file:line:col: error [check] path: message` and its fix. `paint` shows the severity word (a
 * terminal's colour); the word alone by default.
 */
export function formatFinding(
  finding: Finding,
  file?: string,
  paint: (severity: Severity, text: string) => string = (_severity, text) => text,
): string {
  const where = file
    ? `${file}${finding.position ? `:${finding.position.line}:${finding.position.column}` : ''}: `
    : '';
  const tag = finding.check === 'schema' ? '' : ` [${finding.check}]`;
  const head = `${where}${paint(finding.severity, finding.severity)}${tag} ${formatPath(finding.path)}: ${finding.message}`;
  return finding.fix ? `${head}\n    fix: ${finding.fix}` : head;
}

// zod issues → findings ------------------------------------------------------------------------

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

export function findingsFromZod(issues: readonly Issue[], root: AnySchema): Finding[] {
  const out: Finding[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeysAt(root, path);
      for (const key of issue.keys) {
        const near = closest(key, allowed);
        const fix = near
          ? `did you mean "${near}"? Keys allowed here: ${allowed.join(', ')}`
          : `remove it; keys allowed here: ${allowed.join(', ')}`;
        out.push({
          severity: 'error',
          check: 'schema',
          path: [...path, key],
          message: `unknown key ${quote(key)}`,
          fix,
        });
      }
      continue;
    }
    out.push({ severity: 'error', check: 'schema', path, ...describeIssue(issue, root, path) });
  }
  return out;
}

function describeIssue(issue: Issue, root: AnySchema, path: SpecPath): { message: string; fix?: string } {
  const description = descriptionAt(root, path);
  switch (issue.code) {
    case 'invalid_type': {
      if (/received undefined$/.test(issue.message)) {
        const key = path[path.length - 1];
        return {
          message: `"${String(key)}" is required`,
          fix: description
            ? `add it: ${lowerFirst(description)}`
            : `add "${String(key)}" (a ${issue.expected})`,
        };
      }
      const received = /received (\w+)$/.exec(issue.message)?.[1];
      if (!/^Invalid input: expected/.test(issue.message)) return { message: issue.message };
      const hint = received === 'string' && issue.expected === 'number' ? ' (without quotes)' : '';
      return {
        message: `expected ${article(issue.expected)}, got ${article(received ?? 'something else')}`,
        fix: `write ${article(issue.expected)}${hint}${description ? `: ${lowerFirst(description)}` : ''}`,
      };
    }
    case 'invalid_value':
      return {
        message: issue.message.replace(/^Invalid (option|input): /, ''),
        fix: `use one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'too_small':
    case 'too_big': {
      const message = issue.message.replace(/^Too (small|big): /, '');
      return description ? { message, fix: description } : { message };
    }
    case 'invalid_key': {
      // a record key that fails its own schema: that schema's message says what to write
      const inner = issue.issues[0]?.message;
      return { message: inner ? `invalid key: ${inner}` : issue.message };
    }
    default:
      // custom messages of the schema already say what to write
      return { message: issue.message };
  }
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

function article(type: string): string {
  if (type === 'int') return 'an integer';
  if (['array', 'object', 'integer'].includes(type)) return `an ${type}`;
  if (['undefined', 'null'].includes(type)) return type;
  return `a ${type}`;
}

/** Walk a zod schema along a data path; unknown shapes end the walk. */
function schemaAt(root: AnySchema, path: SpecPath): AnySchema | undefined {
  let node: AnySchema | undefined = unwrap(root);
  for (const key of path) {
    if (!node) return undefined;
    const def = node._zod.def as unknown as Record<string, unknown>;
    if (def.type === 'object') node = unwrap((def.shape as Record<string, AnySchema>)[String(key)]);
    else if (def.type === 'array') node = unwrap(def.element as AnySchema);
    else if (def.type === 'record') node = unwrap(def.valueType as AnySchema);
    else return undefined;
  }
  return node;
}

function unwrap(schema: AnySchema | undefined): AnySchema | undefined {
  let node = schema;
  while (node) {
    const def = node._zod.def as unknown as Record<string, unknown>;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable')
      node = def.innerType as AnySchema;
    else break;
  }
  return node;
}

function allowedKeysAt(root: AnySchema, path: SpecPath): string[] {
  const node = schemaAt(root, path);
  const def = node?._zod.def as unknown as Record<string, unknown> | undefined;
  return def?.type === 'object' ? Object.keys(def.shape as object).filter((k) => k !== '$schema') : [];
}

function descriptionAt(root: AnySchema, path: SpecPath): string | undefined {
  const node = schemaAt(root, path);
  if (!node) return undefined;
  const meta = (node as { meta?: () => { description?: string } | undefined }).meta?.();
  return meta?.description;
}

/** The allowed key nearest to a typo, if it is near enough to be a likely intent. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
