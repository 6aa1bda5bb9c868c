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
