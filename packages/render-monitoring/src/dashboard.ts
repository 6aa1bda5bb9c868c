import type { ClusterPlan } from '@k8sm/spec';

/** A panel's query: a PromQL expression and the legend Grafana draws for each series. */
interface Query {
  readonly expr: string;
  readonly legend: string;
}

interface PanelSpec {
  readonly title: string;
  readonly type: 'stat' | 'timeseries' | 'table';
  readonly description: string;
  readonly queries: readonly Query[];
  readonly unit?: string;
  /** grid width of 24 */
  readonly width: number;
  readonly height: number;
  /** value → colour, for stat panels over a Nagios status */
  readonly statusColours?: true;
}

const SEL = 'system=~"$system"';

/** The panels, top to bottom: every query reads a metric `k8sm-probe serve` emits. */
export const PANELS: readonly PanelSpec[] = [
  {
    title: 'Ensemble status',
    type: 'stat',
    description: 'Each ensemble verdict: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.',
    queries: [{ expr: `k8sm_ensemble_status{${SEL}}`, legend: '{{system}} {{ensemble}}' }],
    width: 24,
    height: 5,
    statusColours: true,
  },
  {
    title: 'Failures tolerated',
    type: 'timeseries',
    description: 'Members that may still fail before the ensemble stops serving; below 0, quorum is lost.',
    queries: [{ expr: `k8sm_ensemble_tolerable_failures{${SEL}}`, legend: '{{system}} {{ensemble}}' }],
    width: 12,
    height: 8,
  },
  {
    title: 'Members up / members / quorum',
    type: 'timeseries',
    description: 'Members that serve, members counted, and the members the ensemble needs.',
    queries: [
      { expr: `k8sm_ensemble_members_up{${SEL}}`, legend: 'up {{system}} {{ensemble}}' },
      { expr: `k8sm_ensemble_members{${SEL}}`, legend: 'members {{system}} {{ensemble}}' },
      { expr: `k8sm_ensemble_quorum{${SEL}}`, legend: 'quorum {{system}} {{ensemble}}' },
    ],
    width: 12,
    height: 8,
  },
  {
    title: 'Leaders',
    type: 'timeseries',
    description: 'Members leading each ensemble: 1 is healthy, 0 is no leader, more is a split brain.',
    queries: [{ expr: `k8sm_ensemble_leaders{${SEL}}`, legend: '{{system}} {{ensemble}}' }],
    width: 12,
    height: 8,
  },
  {
    title: 'Elections (term)',
    type: 'timeseries',
    description: "ZooKeeper's zxid epoch and etcd's raft term per member: a step is an election.",
    queries: [{ expr: `k8sm_member_election_term{${SEL}}`, legend: '{{member}} {{term}}' }],
    width: 12,
    height: 8,
  },
  {
    title: 'Members',
    type: 'table',
    description: 'Each member: up, and the role it has now.',
    queries: [
      { expr: `k8sm_member_up{${SEL}}`, legend: 'up' },
      { expr: `k8sm_member_role{${SEL}} == 1`, legend: '{{role}}' },
    ],
    width: 12,
    height: 10,
  },
  {
    title: 'Probe latency',
    type: 'timeseries',
    description: "Each member's whole probe, every request included.",
    queries: [{ expr: `k8sm_member_latency_seconds{${SEL}}`, legend: '{{member}}' }],
    unit: 's',
    width: 12,
    height: 10,
  },
  {
    title: 'Certificate days left',
    type: 'stat',
    description: 'Days until the certificate each HTTPS member presents expires.',
    queries: [
      {
        expr: `(k8sm_member_certificate_not_after_seconds{${SEL}} - time()) / 86400`,
        legend: '{{member}}',
      },
    ],
    unit: 'd',
    width: 12,
    height: 6,
  },
  {
    title: 'Membership against the spec',
    type: 'timeseries',
    description:
      "Members the ensemble's own list adds (discovered), members of the spec it does not list (strangers), members of another cluster (foreign).",
    queries: [
      { expr: `k8sm_ensemble_members_discovered{${SEL}}`, legend: 'discovered {{ensemble}}' },
      { expr: `k8sm_ensemble_members_strangers{${SEL}}`, legend: 'strangers {{ensemble}}' },
      { expr: `k8sm_ensemble_members_foreign{${SEL}}`, legend: 'foreign {{ensemble}}' },
    ],
    width: 12,
    height: 6,
  },
  {
    title: 'Exporter',
    type: 'timeseries',
    description: 'How long a probe run of the exporter takes, and the age of the answer served.',
    queries: [
      { expr: 'k8sm_probe_duration_seconds', legend: 'probe run' },
      { expr: 'k8sm_probe_age_seconds', legend: 'answer age' },
    ],
    unit: 's',
    width: 24,
    height: 6,
  },
];

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's own variable syntax, filled by Grafana
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

const STATUS_MAPPINGS = [
  {
    type: 'value',
    options: {
      '0': { text: 'OK', color: 'green', index: 0 },
      '1': { text: 'WARNING', color: 'yellow', index: 1 },
      '2': { text: 'CRITICAL', color: 'red', index: 2 },
      '3': { text: 'UNKNOWN', color: 'purple', index: 3 },
    },
  },
];

/** Grafana's dashboard JSON model (schemaVersion 39), laid out on its 24-column grid. */
export function grafanaDashboard(plan: ClusterPlan): Record<string, unknown> {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const panels = PANELS.map((p, i) => {
    if (x + p.width > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { x, y, w: p.width, h: p.height };
    x += p.width;
    rowHeight = Math.max(rowHeight, p.height);
    return {
      id: i + 1,
      type: p.type,
      title: p.title,
      description: p.description,
      datasource: DATASOURCE,
      gridPos,
      targets: p.queries.map((q, j) => ({
        refId: String.fromCharCode(65 + j),
        datasource: DATASOURCE,
        expr: q.expr,
        legendFormat: q.legend,
        ...(p.type === 'table' ? { instant: true, format: 'table' } : {}),
      })),
      fieldConfig: {
        defaults: {
          ...(p.unit ? { unit: p.unit } : {}),
          ...(p.statusColours ? { mappings: STATUS_MAPPINGS, color: { mode: 'thresholds' } } : {}),
          ...(p.statusColours
            ? {
                thresholds: {
                  mode: 'absolute',
                  steps: [
                    { color: 'green', value: null },
                    { color: 'yellow', value: 1 },
                    { color: 'red', value: 2 },
                    { color: 'purple', value: 3 },
                  ],
                },
              }
            : {}),
        },
        overrides: [],
      },
      options: {},
    };
  });
  return {
    title: `k8sm ${plan.name}`,
    uid: `k8sm-${plan.name}`.slice(0, 40),
    description: `Ensembles, leaders, quorum and certificates of cluster ${plan.name}, from k8sm-probe serve`,
    tags: ['k8sm', plan.name],
    schemaVersion: 39,
    version: 1,
    editable: true,
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    templating: {
      list: [
        { name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' },
        {
          name: 'system',
          type: 'query',
          label: 'System',
          datasource: DATASOURCE,
          query: { query: 'label_values(k8sm_ensemble_status, system)', refId: 'system' },
          definition: 'label_values(k8sm_ensemble_status, system)',
          includeAll: true,
          multi: true,
          allValue: '.*',
          current: { text: 'All', value: '$__all' },
          refresh: 2,
        },
      ],
    },
    panels,
  };
}
