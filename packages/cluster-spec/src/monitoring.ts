import * as z from 'zod';
import { duration } from './fields.js';

/**
 * Where Prometheus reaches `k8sm-probe serve`, how often it scrapes, and how early a certificate's
 * expiry is an alert. The exporter runs beside Prometheus by default: it listens on loopback.
 */
export const MONITORING_DEFAULTS = {
  exporter: '127.0.0.1:9180',
  scrapeInterval: '30s',
  certificateWarningDays: 30,
} as const;

const D = MONITORING_DEFAULTS;

export const monitoringSection = z
  .strictObject({
    exporter: z
      .string()
      .regex(/^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?):\d{1,5}$/, {
        error: 'write host:port, e.g. 127.0.0.1:9180',
      })
      .meta({
        default: D.exporter,
        description:
          'Where Prometheus reaches `k8sm-probe serve --spec <this spec>` (host:port of its --listen)',
      }),
    scrapeInterval: duration.meta({
      default: D.scrapeInterval,
      description: 'How often Prometheus scrapes the exporter (the rendered prometheus.yml)',
    }),
    certificateWarningDays: z.number().int().min(1).max(3650).meta({
      default: D.certificateWarningDays,
      description:
        'Days before a certificate expires when the rendered alert fires and k8sm-render warns about the PKI dir',
    }),
  })
  .partial()
  .meta({
    description: 'The rendered monitoring under cluster/monitoring/ (Prometheus, alert rules, dashboard)',
  });

export type MonitoringSpec = z.infer<typeof monitoringSection>;

/** The plan's monitoring slice: every value set, defaults applied. */
export interface MonitoringPlan {
  readonly exporter: string;
  readonly scrapeInterval: string;
  readonly certificateWarningDays: number;
}

export function planMonitoring(spec: MonitoringSpec | undefined): MonitoringPlan {
  return {
    exporter: spec?.exporter ?? D.exporter,
    scrapeInterval: spec?.scrapeInterval ?? D.scrapeInterval,
    certificateWarningDays: spec?.certificateWarningDays ?? D.certificateWarningDays,
  };
}
