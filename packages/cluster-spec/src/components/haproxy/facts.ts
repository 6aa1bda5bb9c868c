export const HAPROXY_DEFAULTS = { runtime: 'package', frontendPort: 6443, balance: 'roundrobin' } as const;
