/** Why a probe failed, as DESIGN.md's probing contract names the reasons. */
export type ProbeFailureReason =
  | 'refused'
  | 'timeout'
  | 'protocol'
  | 'tls'
  | 'http-status'
  | 'not-whitelisted'
  | 'not-serving'
  | 'unauthorized';

/** What every probe returns: never a bare boolean. */
export type ProbeResult<T> =
  | ({ readonly ok: true; readonly latencyMs: number } & T)
  | { readonly ok: false; readonly reason: ProbeFailureReason; readonly message: string };

export { describeQuorum, type Quorum, quorum } from '@k8sm/spec';
