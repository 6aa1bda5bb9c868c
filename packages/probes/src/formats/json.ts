import type { ProbeReport } from './report.js';

/**
 * The whole report as an object, each member with its details when up and its reason when down.
 * A member's `leader` is always a boolean; what it names as its leader is `leaderId` (etcd's
 * member id in hex, as etcdctl prints it; Marathon's host:port).
 */
function reportObject(report: ProbeReport) {
  return {
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
      ...(e.reportedSize === undefined ? {} : { reportedSize: e.reportedSize }),
      // members set apart or found, each list only when it has one
      ...(e.discovered ? { discovered: e.discovered } : {}),
      ...(e.strangers ? { strangers: e.strangers } : {}),
      ...(e.foreign ? { foreign: e.foreign } : {}),
      ...(e.staleLeaders ? { staleLeaders: e.staleLeaders } : {}),
      members: e.members.map((m, i) => ({
        member: m.member,
        ok: m.result.ok,
        ...(m.result.ok
          ? { latencyMs: Math.round(m.result.latencyMs * 100) / 100, ...e.details[i] }
          : { reason: m.result.reason, message: m.result.message }),
        leader: m.leader,
        ...(m.certificate ? { certificate: m.certificate } : {}),
      })),
    })),
  };
}

/** The whole report, indented, for one run. */
export const formatJson = (report: ProbeReport): string => JSON.stringify(reportObject(report), null, 2);

/**
 * One line of NDJSON for `--watch --json`: the report with the time of its round inside, so a
 * stream of rounds parses line by line (`jq -c`, a log shipper).
 */
export const formatJsonLine = (report: ProbeReport, time: Date): string =>
  JSON.stringify({ time: time.toISOString(), ...reportObject(report) });
