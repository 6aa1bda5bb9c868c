import * as z from 'zod';
import {
  absolutePath,
  flags,
  image,
  keyName,
  mesosPairValue,
  port,
  runtime,
  text,
  version,
  zkPath,
} from '../../fields.js';
import { MESOS_DEFAULTS as D } from './facts.js';

const mesosDuration = z.string().regex(/^\d+(\.\d+)?(ns|us|ms|secs|mins|hrs|days|weeks)$/, {
  error:
    'write a Mesos duration: a number and one of ns, us, ms, secs, mins, hrs, days, weeks (e.g. "5mins")',
});

const mesosAgentTunables = {
  port: port(D.agent.port),
  workDir: absolutePath(D.agent.workDir),
  containerizers: z
    .array(z.enum(['docker', 'mesos']))
    .min(1)
    .meta({ default: D.agent.containerizers }),
  isolation: z
    .array(
      z.string().regex(/^[a-z0-9_]+(\/[a-z0-9_]+)?$/, {
        error: 'write a Mesos isolator such as cgroups/cpu or filesystem/linux',
      }),
    )
    .meta({ description: 'e.g. ["cgroups/cpu", "cgroups/mem"]' }),
  attributes: z.record(keyName(), mesosPairValue()),
  resources: z.record(keyName(), mesosPairValue()),
  flags,
};

const mesosAgentSection = z
  .strictObject({
    ...mesosAgentTunables,
    executorRegistrationTimeout: mesosDuration,
    switchUser: z.boolean().meta({ default: true, description: 'false writes ?no-switch_user' }),
    dockerDaemonArgs: z.array(text()).meta({
      description:
        'DOCKER_DAEMON_ARGS of the docker-in-docker agent, e.g. ["--insecure-registry", "10.0.0.5:5000"]',
    }),
    image,
  })
  .partial();

const mesosMasterTunables = {
  port: port(D.port),
  workDir: absolutePath(D.workDir),
  logDir: absolutePath(D.logDir),
};

export const mesosSection = z.strictObject({
  version: version('1.11.0'),
  runtime: runtime(D.runtime).optional(),
  image: image.optional(),
  zkPath: zkPath(D.zkPath).optional(),
  externalZookeeper: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/, {
      error:
        'write a ZooKeeper connect string: host:port pairs joined by commas, e.g. "10.1.0.1:2181,10.1.0.2:2181"',
    })
    .meta({
      description:
        'Connect string of a ZooKeeper ensemble k8sm does not manage (host:port,…); instead of hosts with the zookeeper role',
    })
    .optional(),
  cluster: text().min(1).optional(),
  quorum: z
    .number()
    .int()
    .min(1)
    .meta({ description: 'Replicated-log quorum; default and minimum: a majority of the mesos-master hosts' })
    .optional(),
  ...z.strictObject(mesosMasterTunables).partial().shape,
  master: z.strictObject({ flags }).partial().optional(),
  agent: mesosAgentSection.optional(),
});

export const mesosHostSection = z
  .strictObject({
    ...mesosMasterTunables,
    master: z.strictObject({ flags }).partial(),
    agent: z.strictObject(mesosAgentTunables).partial(),
  })
  .partial();

export type MesosSpec = z.infer<typeof mesosSection>;
