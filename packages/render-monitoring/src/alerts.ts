import type { MonitoringPlan } from '@k8sm/spec';

/** One alert rule over the metrics of `k8sm-probe serve` (packages/probes/src/formats/prometheus.ts). */
export interface AlertRule {
  readonly alert: string;
  readonly severity: 'critical' | 'warning';
  /** how long the condition holds before it fires: one failed scrape is not a page */
  readonly for: string;
  readonly expr: (m: MonitoringPlan) => string;
  readonly summary: string;
  readonly description: string;
}

/** Systems where one member leads: no leader there is an outage, two a split brain. */
const LEADING = 'system=~"zookeeper|etcd|mesos|marathon"';

/** Every alert k8sm renders, in the order of alerts.yml and of the docs table. */
export const ALERT_RULES: readonly AlertRule[] = [
  {
    alert: 'K8smExporterDown',
    severity: 'critical',
    for: '2m',
    expr: () => 'up{job="k8sm"} == 0 or absent(up{job="k8sm"})',
    summary: 'k8sm-probe serve does not answer Prometheus',
    description:
      'No k8sm alert below can fire while the exporter is down: start `k8sm-probe serve --spec <spec>` where monitoring.exporter says.',
  },
  {
    alert: 'K8smQuorumLost',
    severity: 'critical',
    for: '1m',
    expr: () => 'k8sm_ensemble_tolerable_failures < 0',
    summary: '{{ $labels.system }} ensemble {{ $labels.ensemble }} has lost quorum',
    description:
      '{{ $labels.system }} {{ $labels.ensemble }} has fewer members up than it needs to serve ({{ $value }} tolerable failures): bring members back before anything else.',
  },
  {
    alert: 'K8smNoFailureTolerated',
    severity: 'warning',
    for: '5m',
    expr: () => 'k8sm_ensemble_tolerable_failures == 0 and on (system, ensemble) k8sm_ensemble_members > 1',
    summary: '{{ $labels.system }} ensemble {{ $labels.ensemble }} tolerates no more failures',
    description:
      'One more member down and {{ $labels.system }} {{ $labels.ensemble }} stops serving: do not restart or upgrade any member now.',
  },
  {
    alert: 'K8smMemberDown',
    severity: 'warning',
    for: '2m',
    expr: () => 'k8sm_member_up == 0',
    summary: '{{ $labels.system }} member {{ $labels.member }} is down',
    description:
      '{{ $labels.member }} of {{ $labels.system }} {{ $labels.ensemble }} does not answer its probe or does not serve: `k8sm-probe --json` gives the reason.',
  },
  {
    alert: 'K8smNoLeader',
    severity: 'critical',
    for: '1m',
    expr: () =>
      `k8sm_ensemble_leaders{${LEADING}} == 0 and on (system, ensemble) k8sm_ensemble_members_up > 0`,
    summary: '{{ $labels.system }} ensemble {{ $labels.ensemble }} has no leader',
    description:
      'Members of {{ $labels.system }} {{ $labels.ensemble }} answer, but none leads: an election that does not end, or a leader this host cannot reach.',
  },
  {
    alert: 'K8smSplitBrain',
    severity: 'critical',
    for: '1m',
    expr: () => `k8sm_ensemble_leaders{${LEADING}} > 1`,
    summary: '{{ $labels.system }} ensemble {{ $labels.ensemble }} has {{ $value }} leaders',
    description:
      'More than one member of {{ $labels.system }} {{ $labels.ensemble }} says it leads in the same election: the ensembles have split.',
  },
  {
    alert: 'K8smMembershipDiffersFromSpec',
    severity: 'warning',
    for: '10m',
    expr: () =>
      'k8sm_ensemble_members_discovered > 0 or k8sm_ensemble_members_strangers > 0 or k8sm_ensemble_members_foreign > 0',
    summary: '{{ $labels.system }} ensemble {{ $labels.ensemble }} is not the ensemble the spec describes',
    description:
      'Its members list members the spec lacks, or do not list members it has, or answer for another cluster: render and apply the spec, or fix the spec.',
  },
  {
    alert: 'K8smCertificateExpiresSoon',
    severity: 'warning',
    for: '1h',
    expr: (m) =>
      `k8sm_member_certificate_not_after_seconds - time() < ${m.certificateWarningDays} * 86400 and k8sm_member_certificate_not_after_seconds - time() > 0`,
    summary: 'the certificate of {{ $labels.member }} expires within {{ humanizeDuration $value }}',
    description:
      'Renew it with `k8sm-render pki <spec> --check-expiration` to list every certificate, then re-issue the leaves.',
  },
  {
    alert: 'K8smCertificateExpired',
    severity: 'critical',
    for: '5m',
    expr: () => 'k8sm_member_certificate_not_after_seconds - time() <= 0',
    summary: 'the certificate of {{ $labels.member }} has expired',
    description: 'Clients that verify it refuse {{ $labels.member }}: re-issue its certificate now.',
  },
];
