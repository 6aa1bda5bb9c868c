import { redactUrl } from '@k8sm/spec';
/** Why a probe failed, as DESIGN.md's probing contract names the reasons. */
export type ProbeFailureReason =
  | 'refused'
  | 'unresolved'
  | 'timeout'
  | 'protocol'
  | 'tls'
  | 'http-status'
  | 'not-whitelisted'
  | 'not-serving'
  | 'unauthorized'
  /** it answered, for another cluster than the other members' */
  | 'foreign';

export interface ProbeFailure {
  readonly ok: false;
  readonly reason: ProbeFailureReason;
  readonly message: string;
}

/** What every probe returns: never a bare boolean. */
export type ProbeResult<T> = ({ readonly ok: true; readonly latencyMs: number } & T) | ProbeFailure;

/**
 * Text as it may be printed: the password in any URL's userinfo (`http://admin:secret@lb:9000/`)
 * becomes `***`. Every failure message goes through it, and the CLI's member names.
 */
export { redactUrl };

export const fail = (reason: ProbeFailureReason, message: string): ProbeFailure => ({
  ok: false,
  reason,
  message: redactUrl(message),
});

export const timedOut = (where: string, budgetMs: number): ProbeFailure =>
  fail('timeout', `${where}: no complete answer within the ${budgetMs} ms deadline`);

/** What the failed exchange ran over, for what the error alone cannot say. */
export interface FailureContext {
  /** the exchange was TLS; `clientCert` when the probe offered a certificate */
  readonly tls?: { readonly clientCert: boolean };
}

/** A node socket / TLS / DNS error as a probe failure naming the address and the timeout. */
export function failureOf(
  error: unknown,
  where: string,
  timeoutMs: number,
  context: FailureContext = {},
): ProbeFailure {
  const e = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e?.code ?? e?.cause?.code ?? '';
  const text = `${e?.message ?? String(error)} ${e?.cause?.message ?? ''}`;
  if (code === 'ECONNREFUSED') return fail('refused', `${where}: connection refused`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return fail('unresolved', `${where}: the name does not resolve (${code})`);
  if (/TIMEOUT|ETIMEDOUT|AbortError|TimeoutError/i.test(`${code} ${e?.name ?? ''}`))
    return timedOut(where, timeoutMs);
  if (/^ERR_TLS|^ERR_SSL|CERT|EPROTO/.test(code) || /SSL|TLS|certificate|wrong version number/i.test(text))
    return fail('tls', `${where}: TLS failed (${code || text.trim()})`);
  const reset = code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET';
  // TLS 1.3 ends the handshake before the server checks the client's certificate: its refusal
  // arrives as a closed connection on the first read (measured on etcd 3.4 --client-cert-auth)
  if (reset && context.tls)
    return fail(
      'tls',
      `${where}: the server closed the connection after the TLS handshake: it refused ${
        context.tls.clientCert ? 'the client certificate given' : 'a client without a certificate'
      } (${code})`,
    );
  if (reset) return fail('protocol', `${where}: the connection was reset (${code})`);
  return fail('protocol', `${where}: ${code ? `${code}: ` : ''}${text.trim()}`);
}
