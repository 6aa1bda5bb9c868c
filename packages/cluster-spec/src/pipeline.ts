import { applyWaivers, checkSpec, type Waiver } from './checks.js';
import { type Finding, findingsFromZod } from './findings.js';
import { resolveMembers } from './members.js';
import { buildPlan, type ClusterPlan } from './plan.js';
import { type ClusterSpec, clusterSpecSchema } from './schema.js';
import { parseSpecText, type SpecPath, type SpecSource } from './source.js';

export interface SpecReport {
  readonly source: SpecSource;
  /** every finding that was not waived, errors first, each with its position in the file */
  readonly findings: readonly Finding[];
  readonly waived: readonly Waiver[];
  /** present when the spec has no error (warnings allowed) */
  readonly spec?: ClusterSpec;
  readonly plan?: ClusterPlan;
}

/**
 * `__proto__` keys, found on the raw data: zod checks strict objects' keys with `in` and builds
 * records by assignment, so under a record a `__proto__` key would set a prototype and vanish.
 */
function protoKeyFindings(data: unknown): Finding[] {
  const found: Finding[] = [];
  const stack: [unknown, SpecPath][] = [[data, []]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [node, path] = top;
    if (node === null || typeof node !== 'object') continue;
    for (const [key, value] of Object.entries(node)) {
      const at: SpecPath = [...path, Array.isArray(node) ? Number(key) : key];
      if (key === '__proto__')
        found.push({
          severity: 'error',
          check: 'schema',
          path: at,
          message: 'unknown key "__proto__"',
          fix: 'remove it: no spec key is named __proto__',
        });
      else stack.push([value, at]);
    }
  }
  return found;
}

export const hasErrors = (findings: readonly Finding[]) => findings.some((f) => f.severity === 'error');

/**
 * The text a spec is checked as: its own, or for an object the JSON it stands for (findings carry
 * its JSON path and a position in that JSON; undefined, functions and other non-JSON values are
 * dropped as JSON drops them). manifest.json hashes this text.
 */
export const specText = (input: string | object): string =>
  typeof input === 'string' ? input : (JSON.stringify(input, null, 2) ?? 'null');

/**
 * The one place the stages are written, in order: parse → schema → members → checks → waivers →
 * plan. `input` is the spec's text (JSON or YAML), or a spec object. Syntax errors throw SpecSyntaxError; every other problem comes back as a finding, all of
 * them at once; a spec with an error gets no plan.
 */
export function loadSpec(input: string | object, file = '<spec>'): SpecReport {
  const text = specText(input);
  const source = parseSpecText(text, file);
  const locate = (f: Finding): Finding => {
    const position = source.locate(f.path);
    return position ? { ...f, position } : f;
  };
  const order = (fs: Finding[]) =>
    fs.map(locate).sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));

  const parsed = clusterSpecSchema.safeParse(source.data);
  const protoKeys = protoKeyFindings(source.data);
  if (!parsed.success || protoKeys.length > 0) {
    const isMapping = source.data !== null && typeof source.data === 'object' && !Array.isArray(source.data);
    const fromZod = parsed.success ? [] : findingsFromZod(parsed.error.issues, clusterSpecSchema);
    const seen = new Set(fromZod.map((f) => JSON.stringify(f.path)));
    const findings = isMapping
      ? [...fromZod, ...protoKeys.filter((f) => !seen.has(JSON.stringify(f.path)))]
      : [
          {
            severity: 'error' as const,
            check: 'schema',
            path: [],
            message: 'the spec must be a mapping of keys (name, hosts, …)',
            fix: 'start from `k8sm-render init`',
          },
        ];
    return { source, findings: order(findings), waived: [] };
  }
  const spec = parsed.data;
  const members = resolveMembers(spec);
  const { findings, waived } = applyWaivers(spec, checkSpec(spec, members));
  const ordered = order(findings);
  if (hasErrors(ordered)) return { source, findings: ordered, waived };
  return { source, findings: ordered, waived, spec, plan: buildPlan(spec, members) };
}
