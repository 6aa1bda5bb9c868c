import { SpecTooLargeError } from './errors.js';
import { parseJsonSpec } from './source-json.js';
import { parseYamlSpec } from './source-yaml.js';
import { SPEC_LIMITS, type SpecSource } from './spec-text.js';

export { type Position, SPEC_LIMITS, type SpecPath, type SpecSource } from './spec-text.js';

export function specFormat(file: string, text: string): 'json' | 'yaml' {
  if (/\.json$/i.test(file)) return 'json';
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  return text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{')
    ? 'json'
    : 'yaml';
}

/**
 * A spec's text (at most SPEC_LIMITS.bytes; a leading byte-order mark, as some editors write, is
 * dropped) as JSON or YAML, by the file's extension or else its first character.
 */
export function parseSpecText(text: string, file: string): SpecSource {
  // a UTF-16 code unit is at least one UTF-8 byte: the length bounds the bytes from below
  if (text.length > SPEC_LIMITS.bytes) throw new SpecTooLargeError(file, SPEC_LIMITS.bytes);
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return specFormat(file, body) === 'json' ? parseJsonSpec(body, file) : parseYamlSpec(body, file);
}
