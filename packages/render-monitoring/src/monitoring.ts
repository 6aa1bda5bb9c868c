import {
  type ClusterPlan,
  etcdProbeCredentials,
  type FileArtifact,
  generatedHeader,
  type PkiContents,
  pkiFile,
} from '@k8sm/spec';
import { stringify } from 'yaml';
import { ALERT_RULES } from './alerts.js';
import { grafanaDashboard } from './dashboard.js';

/** cluster/monitoring/, as the output tree places cluster files. */
const DIR = '/monitoring';

/** Where etcd's client pair sits beside prometheus.yml (Prometheus resolves tls paths from the config's directory). */
const ETCD_TLS = { ca: 'tls/etcd/ca.crt', cert: 'tls/etcd/client.crt', key: 'tls/etcd/client.key' } as const;

const file = (path: string, content: string, mode = 0o644): FileArtifact => ({
  kind: 'file',
  host: null,
  path: `${DIR}/${path}`,
  mode,
  content,
  component: 'k8sm',
});

/** YAML built by the yaml library from plain data: every spec value is quoted as YAML needs. */
const yamlFile = (header: string, data: unknown) => `${header}\n${stringify(data, { lineWidth: 0 })}`;

/**
 * The alert rules (alerts.yml), over the exporter's metrics; `promtool check rules` accepts it
 * and `promtool test rules` fires each in apps/cli/test/monitoring.test.ts.
 */
export function renderAlertRules(plan: ClusterPlan): string {
  return yamlFile(generatedHeader(plan.name), {
    groups: [
      {
        name: `k8sm-${plan.name}`,
        rules: ALERT_RULES.map((r) => ({
          alert: r.alert,
          expr: r.expr(plan.monitoring),
          for: r.for,
          labels: { severity: r.severity, cluster: plan.name },
          annotations: { summary: r.summary, description: r.description },
        })),
      },
    ],
  });
}

/**
 * prometheus.yml: the exporter (`k8sm-probe serve --spec`), and the native metrics endpoints the
 * spec's versions have (etcd's /metrics on every client URL, with the client pair when TLS is on).
 */
export function renderPrometheusConfig(plan: ClusterPlan): string {
  const { monitoring, etcd } = plan;
  const etcdTls = etcd ? etcdProbeCredentials(etcd) : undefined;
  const etcdScheme = etcd?.clientScheme;
  return yamlFile(generatedHeader(plan.name), {
    global: {
      scrape_interval: monitoring.scrapeInterval,
      evaluation_interval: monitoring.scrapeInterval,
      external_labels: { cluster: plan.name },
    },
    rule_files: ['alerts.yml'],
    scrape_configs: [
      {
        job_name: 'k8sm',
        metrics_path: '/metrics',
        static_configs: [{ targets: [monitoring.exporter] }],
      },
      ...(etcd
        ? [
            {
              job_name: 'etcd',
              scheme: etcdScheme,
              ...(etcdScheme === 'https' && etcdTls
                ? {
                    tls_config: {
                      ca_file: ETCD_TLS.ca,
                      ...(etcdTls.cert ? { cert_file: ETCD_TLS.cert, key_file: ETCD_TLS.key } : {}),
                    },
                  }
                : {}),
              static_configs: [{ targets: etcd.clientUrls.map((u) => new URL(u).host) }],
            },
          ]
        : []),
    ],
  });
}

/** The etcd client pair Prometheus presents, copied from the spec's PKI dir (the key 0600). */
function etcdTlsFiles(plan: ClusterPlan, pki: PkiContents): FileArtifact[] {
  const credentials = plan.etcd ? etcdProbeCredentials(plan.etcd) : undefined;
  if (!credentials || plan.etcd?.clientScheme !== 'https') return [];
  const from = (pkiPath: string | undefined, path: string, mode: number): FileArtifact[] => {
    if (pkiPath === undefined) return [];
    return [file(path, pkiFile(pki, pkiPath), mode)];
  };
  return [
    ...from(credentials.ca, ETCD_TLS.ca, 0o644),
    ...from(credentials.cert, ETCD_TLS.cert, 0o644),
    ...from(credentials.key, ETCD_TLS.key, 0o600),
  ];
}

/** cluster/monitoring/: prometheus.yml, alerts.yml, the Grafana dashboard, and etcd's client pair. */
export function renderMonitoring(plan: ClusterPlan, pki: PkiContents = {}): FileArtifact[] {
  return [
    file('prometheus.yml', renderPrometheusConfig(plan)),
    file('alerts.yml', renderAlertRules(plan)),
    file('grafana-dashboard.json', `${JSON.stringify(grafanaDashboard(plan), null, 2)}\n`),
    ...etcdTlsFiles(plan, pki),
  ];
}
