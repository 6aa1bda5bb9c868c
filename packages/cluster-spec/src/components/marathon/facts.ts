export const MARATHON_DEFAULTS = { runtime: 'package', zkPath: '/marathon', httpPort: 8080 } as const;
