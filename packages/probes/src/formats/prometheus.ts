import { type ProbeReport, STATUS_CODE } from './report.js';

/** A label value, escaped as the text exposition format requires. */
export const label = (v: string) => v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');

interface Family {
  readonly name: string;
  readonly help: string;
  readonly samples: (report: ProbeReport) => string[];
}

const system = (e: ProbeReport['ensembles'][number]) => `system="${label(e.system)}"`;
const perMember =
  (value: (m: ProbeReport['ensembles'][number]['members'][number]) => number) => (r: ProbeReport) =>
    r.ensembles.flatMap((e) =>
      e.members.map((m) => `{${system(e)},member="${label(m.member)}"} ${value(m)}`),
    );

/** The metrics, each a gauge; every family's lines stay together, as the exposition format requires. */
const FAMILIES: readonly Family[] = [
  {
    name: 'k8sm_member_up',
    help: '1 when the member answered its probe.',
    samples: perMember((m) => (m.result.ok ? 1 : 0)),
  },
  {
    name: 'k8sm_member_leader',
    help: '1 on the member that leads its ensemble.',
    samples: perMember((m) => (m.leader ? 1 : 0)),
  },
  {
    name: 'k8sm_ensemble_status',
    help: '0 OK, 1 WARNING, 2 CRITICAL.',
    samples: (r) => r.ensembles.map((e) => `{${system(e)}} ${STATUS_CODE[e.status]}`),
  },
  {
    name: 'k8sm_ensemble_tolerable_failures',
    help: 'Members that may still fail before quorum is lost.',
    samples: (r) => r.ensembles.map((e) => `{${system(e)}} ${e.tolerable}`),
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
