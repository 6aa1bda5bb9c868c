import type { ProbeFailure } from './result.js';
import type { EnsembleVerdict, MemberResult } from './verdict.js';

/**
 * Failures that say the probe could not ask, not that the member is down: its TLS handshake or
 * its credentials were refused. On a healthy cluster a missing CA or client certificate made
 * every member fail, and that read "0/3 up: quorum lost", CRITICAL.
 */
const credentialFailure = (m: MemberResult): ProbeFailure | undefined =>
  !m.result.ok && (m.result.reason === 'tls' || m.result.reason === 'unauthorized') ? m.result : undefined;

/** What was refused, for the summary. */
const REFUSED: Partial<Record<ProbeFailure['reason'], string>> = {
  tls: "the probe's TLS handshake",
  unauthorized: "the probe's credentials",
};

/** The fix for one refused handshake or request, from what node's TLS stack or the server said. */
export function credentialFix(failure: ProbeFailure): string {
  const text = failure.message;
  if (failure.reason === 'unauthorized')
    return 'pass a client certificate the server accepts (--cert <file> --key <file>), or a token with --token-env <VAR>';
  if (/UNABLE_TO_VERIFY|SELF_SIGNED|UNABLE_TO_GET_ISSUER|unknown ca|CERT_UNTRUSTED/i.test(text))
    return "pass the CA that signed the members' certificates with --cacert <file> (or --insecure, named on purpose, to skip verification)";
  if (/ALTNAME|Hostname\/IP does not match/i.test(text))
    return "the member's certificate does not name the address probed: probe it by a name or address in its certificate";
  if (/CERT_HAS_EXPIRED|expired/i.test(text))
    return "the member's certificate has expired: renew it (k8sm-render pki)";
  return 'the members ask for a client certificate: pass --cert <file> --key <file> (with --cacert <file> for their CA)';
}

/**
 * An ensemble whose every member refused the probe's TLS or credentials cannot be judged: UNKNOWN,
 * with the fix. Where only some did, the verdict stands and the summary says which fix they need.
 */
export function judgedWithCredentials(verdict: EnsembleVerdict): EnsembleVerdict {
  const refused = verdict.members.map(credentialFailure).filter((f) => f !== undefined);
  const first = refused[0];
  if (!first) return verdict;
  const fixes = [...new Set(refused.map(credentialFix))].join('; ');
  const what = [...new Set(refused.map((f) => REFUSED[f.reason]))].join(' and ');
  if (refused.length === verdict.members.length)
    return {
      ...verdict,
      status: 'UNKNOWN',
      summary: `cannot judge: ${refused.length}/${verdict.total} refused ${what}: ${fixes}`,
    };
  return {
    ...verdict,
    summary: `${verdict.summary}; ${refused.length} refused ${what}: ${fixes}`,
  };
}
