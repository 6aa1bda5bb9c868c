import { type ScalarTag, stringify } from 'yaml';

/**
 * A string from the spec, the plan or the artifacts, written for Ansible as `!unsafe '…'`: Ansible
 * never templates an unsafe value (ansible-core lib/ansible/template/__init__.py, Templar.template:
 * `if hasattr(variable, '__UNSAFE__'): return variable`), nor any string built from one.
 */
export class Unsafe {
  constructor(readonly text: string) {}
}

export const unsafe = (text: string) => new Unsafe(text);

/** Every string in value marked unsafe; mapping keys stay as they are (Ansible never templates keys). */
export function data(value: unknown): unknown {
  if (typeof value === 'string') return unsafe(value);
  if (Array.isArray(value)) return value.map(data);
  if (value !== null && typeof value === 'object' && !(value instanceof Unsafe))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, data(v)]));
  return value;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * One line, whatever the text: single-quoted when it is printable ASCII, else double-quoted with
 * every other character escaped, so that neither YAML folding nor a YAML 1.1 line break (NEL,
 * U+2028) that PyYAML would read differently can change the value Ansible gets.
 */
function quoted(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return `'${text.replaceAll("'", "''")}'`;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (code >= 0x20 && code <= 0x7e) out += ch;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `"${out}"`;
}

const unsafeTag: ScalarTag = {
  tag: '!unsafe',
  identify: (value) => value instanceof Unsafe,
  resolve: (text) => unsafe(text),
  stringify: (item) => quoted((item.value as Unsafe).text),
};

/** YAML for Ansible: our own strings as they are (templates where we mean them), Unsafe as `!unsafe`. */
export const ansibleYaml = (value: unknown) =>
  stringify(value, { customTags: [unsafeTag], lineWidth: 0, aliasDuplicateObjects: false });
