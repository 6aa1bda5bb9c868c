import { yamlBlock } from '@k8sm/spec';
import { Scalar, type ScalarTag, stringify } from 'yaml';

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

/**
 * A value written with `# noqa: <rule>` after it, on its own line: the ansible-lint rule is
 * acknowledged for the task that holds it (ansible-lint reads a noqa comment anywhere in a task).
 * Only for a rule that is wrong for this playbook; the reason is at each call.
 */
export class Noqa {
  constructor(
    readonly value: boolean | string,
    readonly rule: string,
  ) {}
}

export const noqa = (value: boolean | string, rule: string) => new Noqa(value, rule);

const noqaTag: ScalarTag = {
  tag: 'k8sm:noqa',
  // default: the node gets the tag of its value (bool, str), never this one
  default: true,
  identify: (value) => value instanceof Noqa,
  createNode: (_schema, value) => {
    const node = new Scalar((value as Noqa).value);
    node.comment = ` noqa: ${(value as Noqa).rule}`;
    return node;
  },
  resolve: (text) => text,
};

/**
 * A play, task or handler name. Ansible templates names, so a name is our own text, never a value
 * from the spec, with no Jinja in it; and it starts with an uppercase letter (ansible-lint's
 * name[casing]).
 */
export function named(text: string): string {
  if (!/^[A-Z]/.test(text) || /[{}]/.test(text) || text.includes('\n'))
    throw new Error(`renderAnsible: ${JSON.stringify(text)} is no name for Ansible`);
  return text;
}

/**
 * Lines at most this long (ansible-lint's yaml[line-length] allows 160): our own long strings
 * (Jinja expressions, messages) fold at a blank, which YAML reads back as that blank. An Unsafe
 * value is never folded: its tag writes it whole (quoted()), so a long one is a long line.
 */
const LINE_WIDTH = 150;

/** YAML for Ansible: our own strings as they are (templates where we mean them), Unsafe as `!unsafe`. */
export const ansibleYaml = (value: unknown) =>
  stringify(value, {
    customTags: [unsafeTag, noqaTag],
    lineWidth: LINE_WIDTH,
    aliasDuplicateObjects: false,
  });

const dataScalar = (value: unknown): string | undefined =>
  value instanceof Unsafe
    ? `!unsafe ${quoted(value.text)}`
    : typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && !Object.is(value, -0)
      ? String(value)
      : undefined;

/**
 * `ansibleYaml(value)` of plain data (Unsafe strings, whole numbers, lists and mappings with our
 * own keys), written directly: the same bytes, checked against the yaml library by a property
 * test, without building its document (the yaml library took 1.1 s of a 10,000-host render's
 * host_vars). Anything else goes to ansibleYaml.
 */
export const dataYaml = (value: unknown): string => directYaml(value) ?? ansibleYaml(value);

/** dataYaml's own writer: undefined for what it leaves to the yaml library. */
export const directYaml = (value: unknown): string | undefined => yamlBlock(value, dataScalar);
