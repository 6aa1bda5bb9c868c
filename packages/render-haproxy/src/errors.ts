import { K8smError } from '@k8sm/spec';
import type { ConfigProblem } from './lint.js';

/** Marathon answered, but not with the apps list the bridge reads. */
export class MarathonResponseError extends K8smError {
  static override readonly code: string = 'K8SM_MARATHON_RESPONSE';
  constructor(message: string) {
    super(MarathonResponseError.code, message);
    this.name = 'MarathonResponseError';
  }
}

/** The rendered or the spec's own haproxy.cfg has problems HAProxy would refuse or misapply. */
export class HaproxyConfigError extends K8smError {
  static override readonly code: string = 'K8SM_HAPROXY_CONFIG';
  /** the spec field or file the config came from */
  readonly source: string;
  readonly problems: readonly ConfigProblem[];
  constructor(source: string, problems: readonly ConfigProblem[]) {
    super(
      HaproxyConfigError.code,
      `${source}: ${problems.map((p) => (p.line ? `line ${p.line}: ${p.message}` : p.message)).join('; ')}`,
    );
    this.name = 'HaproxyConfigError';
    this.source = source;
    this.problems = problems;
  }
}
