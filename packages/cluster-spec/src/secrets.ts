/** A URL's password masked wherever it appears in text: `http://u:***@host`. */
export const redactUrl = (text: string): string =>
  // the pattern needs both literals: most text (a route table, a unit) skips the pattern's scan
  text.includes('://') && text.includes('@')
    ? text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*):[^@/\s]*@/gi, '$1:***@')
    : text;

/**
 * What counts as a secret in text k8sm prints or writes: each rule finds one kind and masks it in
 * place. A file is secret by its content whatever its mode, as a git checkout or a `tar` without
 * `-p` leaves a kubeconfig 0644.
 */
export interface SecretRule {
  readonly name: string;
  readonly mask: (text: string) => string;
}

const MASK = '(masked)';

/**
 * A rule from a pattern whose first group is kept and whose rest is the secret. `needs` is a
 * cheap test that every text the pattern matches passes (a literal the pattern cannot match
 * without): the search of every file of a 10,000-host render then scans most files once, fast.
 */
const byPattern = (name: string, needs: RegExp, pattern: RegExp): SecretRule => ({
  name,
  mask: (text) => (needs.test(text) ? text.replace(pattern, `$1${MASK}`) : text),
});

// YAML or JSON keys, quoted or not: `token: …`, `"password": "…"`; `initial-cluster-token` is an id, not a credential
const field = (keys: string) =>
  new RegExp(`((?:^|[\\s{,])["']?(?:${keys})["']?[ \\t]*[:=][ \\t]*)(?![,}]|$)[^\\n]*`, 'gim');

export const SECRET_RULES: readonly SecretRule[] = [
  byPattern(
    'a PEM private key',
    /PRIVATE KEY-----/,
    /(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  ),
  byPattern(
    'a kubeconfig credential',
    // each key holds one of these
    /client-key-data|token|secret|passw/i,
    field('client-key-data|token|id-token|refresh-token|client-secret|password|passwd'),
  ),
  // a `${VAR}` password is HAProxy's environment lookup, not the password
  byPattern(
    'an HAProxy password',
    /auth|insecure-password/i,
    /(\bstats\s+auth\s+"?[^\s:"]+:|\binsecure-password\s+)(?!\$\{\w+\}"?(?:\s|$))[^\s"]+/gi,
  ),
  { name: 'a password in a URL', mask: redactUrl },
];

/** Text as it may be printed: every secret the rules find is masked. */
export function maskSecrets(text: string): string {
  return SECRET_RULES.reduce((masked, rule) => rule.mask(masked), text);
}

/**
 * Why a file must not be printed, or undefined: a mode only its owner may read (a key, as the
 * renderers write them), or content one of the rules finds a secret in.
 */
export function secretIn(file: { readonly content: string; readonly mode: number }): string | undefined {
  if ((file.mode & 0o077) === 0) return `mode 0${file.mode.toString(8)}`;
  return SECRET_RULES.find((rule) => rule.mask(file.content) !== file.content)?.name;
}

/**
 * A `.gitignore` that ignores every file of its directory, itself included: written into a PKI
 * dir and into an output that holds key material, so that `git add -A` stages no key.
 */
export const IGNORE_ALL = '# written by k8sm: private keys live here; never commit this directory\n*\n';
