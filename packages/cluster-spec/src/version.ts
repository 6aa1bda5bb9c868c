/** A release number as operators write it: "3.4.6", "1.6", "2.2.1", or a pre-release "3.5.3-beta". */
export type Version = readonly [major: number, minor: number, patch: number];

/** major.minor[.patch][-pre-release]: the suffix as the projects name them (3.5.3-beta, 3.4.0-rc.1). */
export const VERSION_PATTERN = /^(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*))?$/;

/** The numbers only: a pre-release compares as its release (its flags and files are that release's). */
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

// Known releases ---------------------------------------------------------------------------------

/**
 * The patch releases of one minor line: the highest patch when every patch up to it was released,
 * else the list of those that were; `'any-patch'` when the upstream tag list names only the line
 * (HAProxy tags a stable branch's patch releases in that branch's own repository).
 */
export type ReleaseLine = number | readonly number[] | 'any-patch';

export interface ReleaseTable {
  /** what the messages call the component: "ZooKeeper" */
  readonly component: string;
  /** by minor line: `'3.4': 14` */
  readonly lines: Readonly<Record<string, ReleaseLine>>;
  /** pre-releases by their whole name, e.g. "3.5.3-beta" */
  readonly preReleases?: readonly string[];
}

const lineOf = (table: ReleaseTable, version: string): ReleaseLine | undefined => {
  const [major, minor] = parseVersion(version);
  return table.lines[`${major}.${minor}`];
};

export function isKnownRelease(table: ReleaseTable, version: string): boolean {
  const m = VERSION_PATTERN.exec(version);
  if (!m) return false;
  if (m[4] !== undefined) return table.preReleases?.includes(version) ?? false;
  const line = lineOf(table, version);
  const patch = Number(m[3] ?? 0);
  if (line === undefined) return false;
  if (line === 'any-patch') return true;
  return typeof line === 'number' ? patch <= line : line.includes(patch);
}

/** Every release of the table, oldest first (a line whose patches are not listed counts as x.y). */
export function knownReleases(table: ReleaseTable): string[] {
  const out: string[] = [];
  for (const [line, patches] of Object.entries(table.lines)) {
    if (patches === 'any-patch') out.push(line);
    else if (typeof patches === 'number') for (let p = 0; p <= patches; p++) out.push(`${line}.${p}`);
    else for (const p of patches) out.push(`${line}.${p}`);
  }
  return out.sort(compareVersions);
}

/** The known releases just below and just above `version` (either may be missing). */
export function nearestReleases(table: ReleaseTable, version: string): { below?: string; above?: string } {
  const all = knownReleases(table);
  const above = all.find((v) => compareVersions(v, version) > 0);
  const below = all.filter((v) => compareVersions(v, version) <= 0).pop();
  return { ...(below === undefined ? {} : { below }), ...(above === undefined ? {} : { above }) };
}
