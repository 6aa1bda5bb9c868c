import { type ProbeReport, STATUS_CODE } from './report.js';

const label = (v: string) => v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');

/** Prometheus text exposition format. */
export function formatPrometheus(report: ProbeReport): string {
  const out = [
    '# HELP k8sm_member_up 1 when the member answered its probe.',
    '# TYPE k8sm_member_up gauge',
    '# HELP k8sm_member_leader 1 on the member that leads its ensemble.',
    '# TYPE k8sm_member_leader gauge',
    '# HELP k8sm_ensemble_status 0 OK, 1 WARNING, 2 CRITICAL.',
    '# TYPE k8sm_ensemble_status gauge',
    '# HELP k8sm_ensemble_tolerable_failures Members that may still fail before quorum is lost.',
    '# TYPE k8sm_ensemble_tolerable_failures gauge',
  ];
  for (const e of report.ensembles) {
    const sys = `system="${label(e.system)}"`;
    for (const m of e.members) {
      const l = `{${sys},member="${label(m.member)}"}`;
      out.push(`k8sm_member_up${l} ${m.result.ok ? 1 : 0}`, `k8sm_member_leader${l} ${m.leader ? 1 : 0}`);
    }
    out.push(
      `k8sm_ensemble_status{${sys}} ${STATUS_CODE[e.status]}`,
      `k8sm_ensemble_tolerable_failures{${sys}} ${e.tolerable}`,
    );
  }
  return `${out.join('\n')}\n`;
}
