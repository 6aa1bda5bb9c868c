/** A release number as operators write it: "3.4.6", "1.6", "2.2.1". */
export type Version = readonly [major: number, minor: number, patch: number];

export const VERSION_PATTERN = /^(\d+)\.(\d+)(?:\.(\d+))?$/;

export function parseVersion(text: string): Version {
  const m = VERSION_PATTERN.exec(text);
  if (!m) throw new TypeError(`not a release number: ${JSON.stringify(text)}`);
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** `versionAtLeast('3.5.3', '3.5')` → true. */
export function versionAtLeast(version: string, floor: string): boolean {
  return compareVersions(version, floor) >= 0;
}
