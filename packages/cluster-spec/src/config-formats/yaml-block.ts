// A direct writer of the block YAML the yaml library writes for plain data. At 10,000 hosts the
// library's document model was a quarter of a render (a kubeconfig and the Ansible vars of every
// host); this writes the same bytes for the data those files hold and declines anything else,
// which the caller then gives to the yaml library. The property tests of its callers
// (render-k8s-manifests, render-ansible) hold the two byte-equal for any data.

/** A scalar's text as the caller writes it, or undefined for one it leaves to the yaml library. */
export type YamlScalar = (value: unknown) => string | undefined;

// Mapping keys written plain: letters, digits, `_` and `-`, never a word YAML may read as a
// boolean or null, and short (YAML limits an implicit key to 1,024 characters; the library
// writes a longer one as `? key`). Anything else (a key the library would quote) declines.
const PLAIN_KEY = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;
const YAML_WORDS = /^(?:y|n|yes|no|on|off|true|false|null)$/i;

// A string the yaml library writes plain, as it is (lineWidth 0, YAML 1.2 core schema): no
// indicator first, nothing that needs quotes anywhere (no blank, `#`, quote, bracket or comma), no
// `:` last, and not a number, boolean or null of the core schema.
const PLAIN_TEXT = /^[A-Za-z0-9_./][A-Za-z0-9_./:=@+-]*$/;
const CORE_NON_STRING =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|true|True|TRUE|false|False|FALSE|null|Null|NULL|~)$/;

/** JSON-like data's scalars as the yaml library writes them, where they need no quotes. */
export const plainYamlScalar: YamlScalar = (value) => {
  if (typeof value === 'string')
    return PLAIN_TEXT.test(value) && !value.endsWith(':') && !CORE_NON_STRING.test(value) ? value : undefined;
  if (typeof value === 'number')
    return Number.isSafeInteger(value) && value >= 0 && !Object.is(value, -0) ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  return undefined;
};

/**
 * False for an object met before in the same document: the yaml library writes a repeated
 * object as an anchor and alias (aliasDuplicateObjects), so the writer declines it.
 */
function once(value: unknown, seen: Set<object>): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (seen.has(value)) return false;
  seen.add(value);
  return true;
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;

/** The lines of a block mapping at `indent`, or undefined for what the writer declines. */
function mappingLines(
  value: Record<string, unknown>,
  indent: string,
  scalar: YamlScalar,
  seen: Set<object>,
): string[] | undefined {
  const lines: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    // the yaml library leaves an undefined value out; declined rather than matched
    if (!PLAIN_KEY.test(key) || YAML_WORDS.test(key) || item === undefined) return undefined;
    const text = scalar(item);
    if (text !== undefined) lines.push(`${indent}${key}: ${text}`);
    else if (!once(item, seen)) return undefined;
    else if (Array.isArray(item) && item.length === 0) lines.push(`${indent}${key}: []`);
    else if (isMapping(item) && Object.keys(item).length === 0) lines.push(`${indent}${key}: {}`);
    else {
      const nested = Array.isArray(item)
        ? sequenceLines(item, `${indent}  `, scalar, seen)
        : isMapping(item)
          ? mappingLines(item, `${indent}  `, scalar, seen)
          : undefined;
      if (nested === undefined) return undefined;
      lines.push(`${indent}${key}:`, ...nested);
    }
  }
  return lines;
}

/** A block sequence at `indent` (the library indents it below its key) of scalars or mappings. */
function sequenceLines(
  items: readonly unknown[],
  indent: string,
  scalar: YamlScalar,
  seen: Set<object>,
): string[] | undefined {
  const lines: string[] = [];
  for (const item of items) {
    const text = scalar(item);
    if (text !== undefined) {
      lines.push(`${indent}- ${text}`);
      continue;
    }
    if (!isMapping(item) || Object.keys(item).length === 0 || !once(item, seen)) return undefined;
    const entries = mappingLines(item, `${indent}  `, scalar, seen);
    if (entries === undefined) return undefined;
    const [first = '', ...rest] = entries;
    lines.push(`${indent}- ${first.slice(indent.length + 2)}`, ...rest);
  }
  return lines;
}

/**
 * The YAML document of a non-empty mapping, written directly, or undefined when any part is
 * outside what this writer takes (the caller then asks the yaml library).
 */
export function yamlBlock(value: unknown, scalar: YamlScalar): string | undefined {
  if (!isMapping(value) || Object.keys(value).length === 0) return undefined;
  const lines = mappingLines(value, '', scalar, new Set([value]));
  return lines === undefined ? undefined : `${lines.join('\n')}\n`;
}
