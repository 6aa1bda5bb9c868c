import { refuseControl } from './refuse.js';

// gcfg (gopkg.in/gcfg.v1, github.com/go-gcfg/gcfg), the INI dialect Kubernetes' cloud providers
// read: read.go unquote() toggles quoting at every `"` and knows the escapes `\\`, `\"`, `\n`,
// `\t`; scanner/scanner.go starts a comment at `;` or `#` outside quotes and trims unquoted
// whitespace at both ends.

/**
 * The right-hand side of `name = value` in a gcfg file: as it is when plainly safe, else one
 * quoted string with `\` and `"` escaped. A control character throws ConfigValueError.
 */
export function gcfgValue(file: string, key: string, value: string | number | boolean): string {
  const text = refuseControl({ file, key }, String(value));
  if (/^[A-Za-z0-9_.,:/@%+*?&-]+$/.test(text)) return text;
  return `"${text.replaceAll(/["\\]/g, '\\$&')}"`;
}
