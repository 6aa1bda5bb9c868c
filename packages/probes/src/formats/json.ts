import type { ProbeReport } from './report.js';

/** The whole report, each member with its details when up and its reason when down. */
export function formatJson(report: ProbeReport): string {
  return JSON.stringify(
    {
      status: report.status,
      ensembles: report.ensembles.map((e) => ({
        system: e.system,
        status: e.status,
        up: e.up,
        total: e.total,
        leaders: e.leaders,
        majority: e.majority,
        tolerable: e.tolerable,
        summary: e.summary,
        members: e.members.map((m, i) => ({
          member: m.member,
          ok: m.result.ok,
          leader: m.leader,
          ...(m.result.ok
            ? { latencyMs: Math.round(m.result.latencyMs * 100) / 100, ...e.details[i] }
            : { reason: m.result.reason, message: m.result.message }),
        })),
      })),
    },
    null,
    2,
  );
}
