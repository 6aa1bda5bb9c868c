import * as z from 'zod';
import { duration, image, ipv4, keyName, port, runtime, text, version } from '../../fields.js';
import { HAPROXY_DEFAULTS as D } from './facts.js';

export const haproxySection = z.strictObject({
  version: version('2.6'),
  runtime: runtime(D.runtime).optional(),
  image: image.optional(),
  frontendPort: port(D.frontendPort).optional(),
  balance: z
    .enum(['roundrobin', 'static-rr', 'leastconn', 'first', 'source', 'random'])
    .meta({ default: D.balance })
    .optional(),
  stats: z
    .strictObject({
      port: port(),
      address: ipv4.meta({ default: D.stats.address }).optional(),
      user: keyName().meta({ description: 'User name of the stats page (stats auth)' }),
      password: z
        .union(
          [
            z.strictObject({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/) }),
            z.strictObject({ file: text().min(1) }),
          ],
          {
            error:
              'give the stats password as {"env": "NAME"} (an environment variable of the HAProxy service) or {"file": "path"} (a file beside the spec, never a literal password)',
          },
        )
        .meta({ description: 'Where the stats password comes from; never written into the spec' }),
    })
    .optional(),
  checkInterval: duration
    .meta({
      default: D.checkInterval,
      description: 'Health-check interval of every backend server (a server is DOWN after 3 failures)',
    })
    .optional(),
  runtimeApi: z
    .boolean()
    .meta({
      default: D.runtimeApi,
      description: 'Open the runtime API on /run/haproxy/admin.sock (mode 600, package runtime)',
    })
    .optional(),
  template: text()
    .min(1)
    .meta({
      description:
        'Your own Mustache template for haproxy.cfg, relative to the spec file; the rendered result is checked like the built-in one',
    })
    .optional(),
});

export const haproxyHostSection = z.strictObject({ frontendPort: port() }).partial();

export type HaproxySpec = z.infer<typeof haproxySection>;
