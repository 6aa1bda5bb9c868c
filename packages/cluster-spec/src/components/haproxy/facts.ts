import type { ReleaseTable } from '../../version.js';

export const HAPROXY_DEFAULTS = {
  runtime: 'package',
  frontendPort: 6443,
  balance: 'roundrobin',
  checkInterval: '2s',
  runtimeApi: false,
  // the stats page carries the backends' state: kept off the network unless the spec opens it
  stats: { address: '127.0.0.1' },
} as const;

/** The docker runtime's image: the Docker official image, tagged by release (hub.docker.com/_/haproxy). */
export function haproxyImage(version: string): string {
  return `haproxy:${version}`;
}

// --- known releases (k8sm issue 14, fault 16) ----------------------------------------------------

/**
 * HAProxy's stable branches: the `v<x.y>.0` tags of github:haproxy/haproxy (test/upstream-tags/haproxy.txt).
 * That repository is the development branch only; each stable branch's patch releases are tagged in
 * its own repository (git.haproxy.org/git/haproxy-<x.y>.git), not available here, so any patch of a
 * known branch is accepted.
 */
export const HAPROXY_RELEASES: ReleaseTable = {
  component: 'HAProxy',
  lines: Object.fromEntries(
    [
      '1.4',
      '1.5',
      '1.6',
      '1.7',
      '1.8',
      '1.9',
      '2.0',
      '2.1',
      '2.2',
      '2.3',
      '2.4',
      '2.5',
      '2.6',
      '2.7',
      '2.8',
      '2.9',
    ]
      .concat(['3.0', '3.1', '3.2', '3.3', '3.4'])
      .map((line) => [line, 'any-patch' as const]),
  ),
};
