import type { Finding } from '../findings.js';
import { closest } from '../findings.js';
import type { ClusterSpec } from '../schema.js';
import { CHECKS, type CheckId } from './registry.js';

/** Waivers: apply those that are allowed, and report those that are not or match nothing. */
export interface Waiver {
  readonly check: CheckId;
  readonly reason: string;
  /** the findings the waiver silenced */
  readonly findings: readonly Finding[];
}

const isCheckId = (id: string): id is CheckId => Object.hasOwn(CHECKS, id);

export function applyWaivers(
  spec: ClusterSpec,
  findings: readonly Finding[],
): { findings: Finding[]; waived: Waiver[] } {
  const waive = spec.waive ?? {};
  const out: Finding[] = [];
  const waived = new Map<CheckId, Finding[]>();
  const ids = Object.keys(CHECKS) as CheckId[];
  for (const [check, reason] of Object.entries(waive)) {
    if (!isCheckId(check)) {
      const near = closest(check, ids);
      out.push({
        severity: 'error',
        check: 'schema',
        path: ['waive', check],
        message: `there is no check "${check}" to waive`,
        fix: `${near ? `did you mean "${near}"? ` : ''}checks that can be waived: ${ids.filter((id) => CHECKS[id].waivable).join(', ')}`,
      });
      continue;
    }
    if (!CHECKS[check].waivable) {
      out.push({
        severity: 'error',
        check: 'schema',
        path: ['waive', check],
        message: `"${check}" cannot be waived: ${CHECKS[check].about}; the result could not work`,
        fix: `fix the spec and remove waive.${check} (reason given: ${JSON.stringify(reason)})`,
      });
      continue;
    }
    waived.set(check, []);
  }
  for (const finding of findings) {
    const bucket = isCheckId(finding.check) ? waived.get(finding.check) : undefined;
    if (bucket) bucket.push(finding);
    else out.push(finding);
  }
  for (const [check, silenced] of waived)
    if (silenced.length === 0)
      out.push({
        severity: 'warning',
        check: 'schema',
        path: ['waive', check],
        message: `waiver of "${check}" matches nothing in this spec`,
        fix: `remove waive.${check}`,
      });
  return {
    findings: out,
    waived: [...waived].map(([check, silenced]) => ({
      check,
      reason: waive[check] ?? '',
      findings: silenced,
    })),
  };
}
