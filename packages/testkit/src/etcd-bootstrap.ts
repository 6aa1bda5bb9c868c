/**
 * What etcd checks before a member bootstraps, modelled from its source (github:etcd-io/etcd):
 * - 2.2.1 (75f8282e) etcdserver/config.go: VerifyBootstrap → verifyLocalMember(strict), checkDuplicateURL
 * - 3.1.0 (8ba2897a) and 3.4.23 (c8b78319) etcdserver/config.go, 3.5.17 (507c0de8) server/config/config.go:
 *   VerifyBootstrap → hasLocalMember, advertiseMatchesCluster, checkDuplicateURL; VerifyJoinExisting
 *   (initial-cluster-state=existing) → hasLocalMember, checkDuplicateURL
 * - pkg/types/urlsmap.go parse: `name=url` pairs split at ',' and the first '=', grouped by name;
 *   pkg/types/urls.go NewURLs: scheme http|https|unix|unixs, `host:port`, no path.
 * advertiseMatchesCluster compares the sorted advertised peer URLs with the sorted URLs under the
 * member's name (netutil.URLStringsEqual: equal length, then equal URLs, resolving host names only
 * when they differ); k8sm writes IP addresses, so the model compares the URLs themselves.
 */

/** The options etcd reads, by long name (`initial-cluster`, …), from flags or ETCD_* variables. */
export type EtcdOptions = Readonly<Record<string, string>>;

/** Long option names from command-line words: `-name=x` (2.x) or `--name=x` (3.x); Go's flag package takes both. */
export function etcdOptionsFromFlags(words: readonly string[]): EtcdOptions {
  const options: Record<string, string> = {};
  for (const word of words) {
    const m = /^--?([a-z0-9-]+)=(.*)$/s.exec(word);
    if (m?.[1] !== undefined) options[m[1]] = m[2] ?? '';
  }
  return options;
}

/** Long option names from ETCD_* variables (pkg/flags SetFlagsFromEnv: ETCD_ + upper case, '-' → '_'). */
export function etcdOptionsFromEnv(env: Readonly<Record<string, string>>): EtcdOptions {
  const options: Record<string, string> = {};
  for (const [key, value] of Object.entries(env))
    if (key.startsWith('ETCD_')) options[key.slice(5).toLowerCase().replaceAll('_', '-')] = value;
  return options;
}

/** pkg/types/urlsmap.go parse + NewURLsMap: the URLs of each name, in the order given. */
export function parseInitialCluster(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const pair of text.split(',')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const url = eq < 0 ? '' : pair.slice(eq + 1);
    map.set(name, [...(map.get(name) ?? []), url]);
  }
  return map;
}

/** pkg/types/urls.go NewURLs: the reason a URL is refused, or undefined. */
export function urlProblem(text: string): string | undefined {
  const m = /^(\w+):\/\/([^/?#]*)(.*)$/.exec(text.trim());
  if (!m) return `cannot parse URL: ${text}`;
  if (!['http', 'https', 'unix', 'unixs'].includes(m[1] ?? ''))
    return `URL scheme must be http, https, unix, or unixs: ${text}`;
  if (!/^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):\d*$/.test(m[2] ?? ''))
    return `URL address does not have the form "host:port": ${text}`;
  if (m[3] !== '') return `URL must not contain a path: ${text}`;
  return undefined;
}

const list = (text: string | undefined) => (text ?? '').split(',').filter((u) => u !== '');

/**
 * The error etcd exits with before bootstrapping this member, or undefined when it would start.
 * Only what k8sm renders is modelled: every option named explicitly (etcd's own defaults, such as
 * `http://localhost:2380`, are reported as missing), no discovery service.
 */
export function etcdBootstrapError(options: EtcdOptions): string | undefined {
  for (const key of ['name', 'initial-advertise-peer-urls', 'initial-cluster'])
    if (options[key] === undefined) return `--${key} is not given: etcd would fall back to its default`;
  const name = options.name ?? '';
  const advertised = list(options['initial-advertise-peer-urls']);
  const cluster = parseInitialCluster(options['initial-cluster'] ?? '');
  for (const url of [...advertised, ...[...cluster.values()].flat()]) {
    const problem = urlProblem(url);
    if (problem) return problem;
  }
  const own = cluster.get(name);
  if (own === undefined) return `couldn't find local name "${name}" in the initial cluster configuration`;
  if ((options['initial-cluster-state'] ?? 'new') === 'new') {
    const a = [...advertised].sort();
    const b = [...own].sort();
    // advertiseMatchesCluster reports URLs under the name first, then advertised ones.
    const clusterOnly = b.filter((url) => !a.includes(url));
    if (clusterOnly.length > 0)
      return `--initial-cluster has ${clusterOnly.map((u) => `${name}=${u}`).join(',')} but missing from --initial-advertise-peer-urls=${a.join(',')}`;
    const advertisedOnly = a.filter((url) => !b.includes(url));
    if (advertisedOnly.length > 0)
      return `--initial-advertise-peer-urls has ${advertisedOnly.join(',')} but missing from --initial-cluster=${a.map((u) => `${name}=${u}`).join(',')}`;
    if (a.length !== b.length) return `failed to resolve ${a.join(',')} to match --initial-cluster`;
  }
  const all = [...cluster.values()].flat();
  if (new Set(all).size !== all.length)
    return `initial cluster ${options['initial-cluster']} has duplicate url`;
  return undefined;
}
