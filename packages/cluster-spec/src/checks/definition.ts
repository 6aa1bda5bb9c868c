import type { Severity } from '../findings.js';
import type { Members } from '../members.js';
import type { ClusterSpec } from '../schema.js';
import type { SpecPath } from '../source.js';

/** Reports one finding of the running check: its id and severity come from the definition. */
export type Report = (path: SpecPath, message: string, fix?: string) => void;

export interface CheckContext {
  readonly spec: ClusterSpec;
  readonly members: Members;
  readonly report: Report;
}

/**
 * One semantic check, by the id a spec uses to waive it. A check that guards something that
 * cannot work at all (a minority quorum, an id the daemon rejects) cannot be waived.
 */
export interface CheckDefinition<Id extends string = string> {
  readonly id: Id;
  readonly severity: Severity;
  readonly waivable: boolean;
  /** one line on what the check guards: the README's check table and the refused-waiver message */
  readonly about: string;
  readonly run: (context: CheckContext) => void;
}

/** Keeps the id's literal type, so that `CheckId` can be derived from the registry. */
export const defineCheck = <const Id extends string>(check: CheckDefinition<Id>): CheckDefinition<Id> =>
  check;
