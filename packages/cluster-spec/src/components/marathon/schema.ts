import * as z from 'zod';
import { flags, image, multilineText, port, runtime, text, version, zkPath } from '../../fields.js';
import { MARATHON_DEFAULTS as D } from './facts.js';

const marathonAppId = z.string().regex(/^(\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?)+$/, {
  error:
    'Marathon app ids are absolute paths of lowercase letters, digits, dots and dashes, e.g. "/web/nginx"',
});

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  error: 'environment variable names are letters, digits and _, not starting with a digit',
});

const marathonHealthCheck = z.strictObject({
  protocol: z.enum(['HTTP', 'TCP', 'COMMAND']),
  path: text().startsWith('/').optional(),
  portIndex: z.number().int().min(0).optional(),
  command: multilineText().min(1).optional(),
  gracePeriodSeconds: z.number().int().min(0).optional(),
  intervalSeconds: z.number().int().min(1).optional(),
  timeoutSeconds: z.number().int().min(1).optional(),
  maxConsecutiveFailures: z.number().int().min(0).optional(),
});

const marathonApp = z.strictObject({
  id: marathonAppId,
  cmd: multilineText().min(1).optional(),
  docker: z
    .strictObject({
      image,
      network: z.enum(['bridge', 'host']).meta({ default: D.app.network }).optional(),
      privileged: z.boolean().optional(),
      portMappings: z
        .array(
          z.strictObject({
            containerPort: z.number().int().min(0).max(65535),
            hostPort: z
              .number()
              .int()
              .min(0)
              .max(65535)
              .meta({ default: D.app.hostPort, description: '0: Marathon picks one' })
              .optional(),
            servicePort: z.number().int().min(0).max(65535).optional(),
            protocol: z.enum(['tcp', 'udp']).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  cpus: z.number().positive(),
  mem: z.number().positive().meta({ description: 'MiB' }),
  instances: z.number().int().min(0).meta({ default: D.app.instances }).optional(),
  env: z.record(envName, text()).optional(),
  healthChecks: z.array(marathonHealthCheck).optional(),
});

export const marathonSection = z.strictObject({
  version: version('1.11.24'),
  apps: z
    .array(marathonApp)
    .meta({
      description: 'Apps to deploy: written to cluster/marathon/apps/ with a deploy.sh that PUTs them',
    })
    .optional(),
  runtime: runtime(D.runtime).optional(),
  image: image.optional(),
  zkPath: zkPath(D.zkPath).optional(),
  httpPort: port(D.httpPort).optional(),
  flags: flags.optional(),
});

export const marathonHostSection = z.strictObject({ httpPort: port(), flags }).partial();

export type MarathonSpec = z.infer<typeof marathonSection>;
export type MarathonApp = z.infer<typeof marathonApp>;
