import { MARATHON_DEFAULTS } from './facts.js';
import type { MarathonApp } from './schema.js';

const D = MARATHON_DEFAULTS.app;
type Docker = NonNullable<MarathonApp['docker']>;
type PortMapping = NonNullable<Docker['portMappings']>[number];
type HealthCheck = NonNullable<MarathonApp['healthChecks']>[number];

/** A spec app with Marathon's defaults applied: what the app file says. */
export interface PlannedMarathonApp extends Omit<MarathonApp, 'instances' | 'docker' | 'healthChecks'> {
  readonly instances: number;
  readonly docker?: Omit<Docker, 'network' | 'portMappings'> & {
    readonly network: NonNullable<Docker['network']>;
    readonly portMappings: readonly (PortMapping & {
      readonly hostPort: number;
      readonly protocol: NonNullable<PortMapping['protocol']>;
    })[];
  };
  /** HTTP and TCP checks carry their portIndex, HTTP checks their path */
  readonly healthChecks?: readonly HealthCheck[];
}

export function planMarathonApp(app: MarathonApp): PlannedMarathonApp {
  const { docker, healthChecks, ...rest } = app;
  return {
    ...rest,
    instances: app.instances ?? D.instances,
    ...(docker === undefined
      ? {}
      : {
          docker: {
            ...docker,
            network: docker.network ?? D.network,
            portMappings: (docker.portMappings ?? []).map((p) => ({
              ...p,
              hostPort: p.hostPort ?? D.hostPort,
              protocol: p.protocol ?? D.protocol,
            })),
          },
        }),
    ...(healthChecks === undefined
      ? {}
      : {
          healthChecks: healthChecks.map((c) =>
            c.protocol === 'COMMAND'
              ? c
              : {
                  ...c,
                  portIndex: c.portIndex ?? D.healthCheck.portIndex,
                  ...(c.protocol === 'HTTP' ? { path: c.path ?? D.healthCheck.path } : {}),
                },
          ),
        }),
  };
}
