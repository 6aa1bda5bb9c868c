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

/** The roles a member of each kind of election can have: one series per role, 1 on the current one. */
const ROLES: Readonly<Record<string, readonly string[]>> = {
  quorum: ['leader', 'follower'],
  standbys: ['leader', 'standby'],
  none: ['member'],
};

const roleOf = (e: Ensemble, m: Member): string | undefined =>
  !m.result.ok ? undefined : m.leader ? 'leader' : (ROLES[e.election ?? 'quorum']?.[1] ?? 'member');

/** One series per member and role it may have; a member that is down has 0 on every role. */
const perRole = (r: ProbeReport) => {
  const labels = ensembleLabelsOf(r);
  return r.ensembles.flatMap((e, i) =>
    e.members.flatMap((m) => {
      const role = roleOf(e, m);
      return (ROLES[e.election ?? 'quorum'] ?? ['member']).map(
        (name) => `{${labels[i]},member="${label(m.member)}",role="${name}"} ${role === name ? 1 : 0}`,
      );
    }),
  );
};

/** The election term, labelled with what it counts (`zxid_epoch`, `raft_term`). */
const perTerm = (r: ProbeReport) => {
  const labels = ensembleLabelsOf(r);
  return r.ensembles.flatMap((e, i) =>
    e.members.flatMap((m) =>
      m.term && m.result.ok
        ? [
            `{${labels[i]},member="${label(m.member)}",term="${label(m.term.name.replaceAll(' ', '_'))}"} ${m.term.value}`,
          ]
        : [],
    ),
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
    name: 'k8sm_member_role',
    help: 'The role the member has now: one series per role its ensemble knows (leader and follower, leader and standby, or member), 1 on the current one; 0 on every role while it is down.',
    samples: perRole,
  },
  {
    name: 'k8sm_member_election_term',
    help: "The election the member is in: ZooKeeper's zxid epoch (term=zxid_epoch), etcd's raft term (term=raft_term); only members that answered and say it.",
    samples: perTerm,
  },
  {
    name: 'k8sm_member_certificate_not_after_seconds',
    help: "When the certificate the member presented in the probe's TLS handshake expires, in Unix seconds; only HTTPS members that answered.",
    samples: perMember((m) =>
      m.certificate ? Math.floor(new Date(m.certificate.notAfter).getTime() / 1000) : undefined,
    ),
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
    name: 'k8sm_ensemble_quorum',
    help: 'Members that must be up for the ensemble to serve: the majority of its voting members where a majority elects a leader, else 1.',
    samples: perEnsemble((e) => (e.election === undefined || e.election === 'quorum' ? e.majority : 1)),
  },
  {
    name: 'k8sm_ensemble_leaders',
    help: 'Members that lead the ensemble now (stale leaders of an older election aside): 1 is healthy where one leads, 0 is no leader, more is a split brain.',
    samples: perEnsemble((e) => e.leaders.length),
  },
  {
    name: 'k8sm_ensemble_members_discovered',
    help: "Members the ensemble's own list names that were not given (not in the spec, under --spec): probed too.",
    samples: perEnsemble((e) => e.discovered?.length ?? 0),
  },
  {
    name: 'k8sm_ensemble_members_strangers',
    help: "Members given (in the spec, under --spec) that the ensemble's own list does not name: not counted.",
    samples: perEnsemble((e) => e.strangers?.length ?? 0),
  },
  {
    name: 'k8sm_ensemble_members_foreign',
    help: 'Members given that answered for another cluster (an etcd cluster_id of their own): not counted.',
    samples: perEnsemble((e) => e.foreign?.length ?? 0),
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
