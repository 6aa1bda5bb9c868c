import { ensembleLabels, type ProbeReport, STATUS_CODE } from './report.js';

/** A label value, escaped as the text exposition format requires. */
export const label = (v: string) => v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');

interface Family {
  readonly name: string;
  readonly help: string;
  readonly samples: (report: ProbeReport) => string[];
}

type Ensemble = ProbeReport['ensembles'][number];
type Member = Ensemble['members'][number];

/** `system` and `ensemble` labels of each ensemble, unique over the report. */
const ensembleLabelsOf = (r: ProbeReport) =>
  ensembleLabels(r).map(({ kind, name }) => `system="${label(kind)}",ensemble="${label(name)}"`);

const perEnsemble = (value: (e: Ensemble) => number) => (r: ProbeReport) => {
  const labels = ensembleLabelsOf(r);
  return r.ensembles.map((e, i) => `{${labels[i]}} ${value(e)}`);
};

/** One sample per member; `undefined` leaves the member out (a latency of a member that did not answer). */
const perMember = (value: (m: Member) => number | undefined) => (r: ProbeReport) => {
  const labels = ensembleLabelsOf(r);
  return r.ensembles.flatMap((e, i) =>
    e.members.flatMap((m) => {
      const v = value(m);
      return v === undefined ? [] : [`{${labels[i]},member="${label(m.member)}"} ${v}`];
    }),
  );
};

/** The metrics, each a gauge; every family's lines stay together, as the exposition format requires. */
const FAMILIES: readonly Family[] = [
  {
    name: 'k8sm_member_up',
    help: '1 when the member answered its probe within the deadline and serves, 0 when it did not (its reason is in --json).',
    samples: perMember((m) => (m.result.ok ? 1 : 0)),
  },
  {
    name: 'k8sm_member_leader',
    help: '1 on the member that leads its ensemble (ZooKeeper, etcd, Mesos masters, Marathon), else 0.',
    samples: perMember((m) => (m.leader ? 1 : 0)),
  },
  {
    name: 'k8sm_member_latency_seconds',
    help: 'Time the member took to answer its whole probe, every request included; only members that answered.',
    samples: perMember((m) => (m.result.ok ? Math.round(m.result.latencyMs * 1000) / 1e6 : undefined)),
  },
  {
    name: 'k8sm_ensemble_status',
    help: 'The ensemble verdict as its Nagios code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.',
    samples: perEnsemble((e) => STATUS_CODE[e.status]),
  },
  {
    name: 'k8sm_ensemble_members',
    help: 'Members the ensemble counts: its voting membership as its members list it, else the members given.',
    samples: perEnsemble((e) => e.total),
  },
  {
    name: 'k8sm_ensemble_members_up',
    help: 'Members of the ensemble that answered and serve.',
    samples: perEnsemble((e) => e.up),
  },
  {
    name: 'k8sm_ensemble_tolerable_failures',
    help: 'Members that may still fail before the ensemble stops serving: before quorum is lost where a majority elects a leader, before no member is left otherwise; negative when already lost.',
    samples: perEnsemble((e) => e.tolerable),
  },
];
/** Prometheus text exposition format (version 0.0.4). */
export function formatPrometheus(report: ProbeReport): string {
  const out = FAMILIES.flatMap((f) => [
    `# HELP ${f.name} ${f.help}`,
    `# TYPE ${f.name} gauge`,
    ...f.samples(report).map((s) => `${f.name}${s}`),
  ]);
  return `${out.join('\n')}\n`;
}
