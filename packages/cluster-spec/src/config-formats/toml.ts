import { refuseControl } from './refuse.js';

/**
 * A TOML basic string (toml.io v1.0.0, "String"): `"` and `\` escaped, so the value cannot end the
 * string early; a control character throws ConfigValueError (TOML would need an escape for it, and
 * no value k8sm writes there may hold one).
 */
export function tomlString(file: string, key: string, value: string): string {
  refuseControl({ file, key }, value);
  return `"${value.replaceAll(/["\\]/g, '\\$&')}"`;
}
