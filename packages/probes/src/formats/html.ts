import { daysLeft } from '../certificates.js';
import type { MemberResult, Status } from '../verdict.js';
import { ensembleLabels, type ProbeReport } from './report.js';

/** Markup already escaped: only `html` makes one, so no report value reaches the page raw. */
class Markup {
  constructor(readonly text: string) {}
}

type Value = string | number | Markup | readonly Markup[] | undefined;

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** The one escape: every interpolated value is text unless it is markup `html` made. */
function html(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const parts = value instanceof Markup ? [value] : Array.isArray(value) ? value : undefined;
    out += parts
      ? parts.map((p) => p.text).join('')
      : String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
    out += strings[i + 1] ?? '';
  });
  return new Markup(out);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

// the colour repeats what the text says; the page loads nothing and runs nothing
const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 24px; color: #1b1f24; background: #f6f7f9; }
header { margin-bottom: 20px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 6px; display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.meta { color: #57606a; margin: 0; }
section { background: #fff; border: 1px solid #d0d7de; border-left-width: 6px; border-radius: 6px; padding: 14px 16px; margin-bottom: 16px; }
section.OK { border-left-color: #1a7f37; } section.WARNING { border-left-color: #bf8700; }
section.CRITICAL { border-left-color: #cf222e; } section.UNKNOWN { border-left-color: #6e7781; }
.badge { display: inline-block; font-weight: 700; font-size: 12px; letter-spacing: .04em; padding: 2px 8px; border-radius: 10px; color: #fff; }
.badge.OK, .badge.up { background: #1a7f37; } .badge.WARNING { background: #9a6700; }
.badge.CRITICAL, .badge.down { background: #cf222e; } .badge.UNKNOWN { background: #6e7781; }
.name { font-weight: 400; color: #57606a; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; word-break: break-all; }
.summary { margin: 0 0 10px; }
dl { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 4px 16px; margin: 0 0 10px; }
dl div { background: #f6f8fa; border-radius: 4px; padding: 4px 8px; }
dt { font-size: 11px; text-transform: uppercase; color: #57606a; } dd { margin: 0; font-weight: 600; }
ul.notes { margin: 0 0 10px; padding-left: 20px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-top: 1px solid #eaeef2; vertical-align: top; }
th { font-size: 11px; text-transform: uppercase; color: #57606a; border-top: 0; }
td.member { font-family: ui-monospace, "DejaVu Sans Mono", monospace; word-break: break-all; }
td.latency, td.state { white-space: nowrap; }
.reason { font-weight: 600; } .expired { color: #cf222e; font-weight: 600; } .soon { color: #9a6700; font-weight: 600; }
`;

const badge = (status: Status) => html`<span class="badge ${status}">${status}</span>`;

/** What the member is in its ensemble: leader, a stale leader, or its own word (ZooKeeper's mode). */
function roleOf(m: MemberResult, details: Record<string, unknown>, stale: boolean): string {
  const said = typeof details.mode === 'string' ? details.mode : undefined;
  const role = m.leader ? 'leader' : stale ? 'stale leader' : (said ?? (m.result.ok ? 'member' : '—'));
  return m.term ? `${role} (${m.term.name} ${m.term.value})` : role;
}

/** The certificate's expiry and the whole days left at `generatedAt`. */
function certificateCell(m: MemberResult, generatedAt: Date): Markup {
  const cert = m.certificate;
  if (!cert) return html``;
  const notAfter = new Date(cert.notAfter);
  if (Number.isNaN(notAfter.getTime())) return html`certificate expiry unreadable: ${cert.notAfter}`;
  const days = daysLeft(cert.notAfter, generatedAt);
  const left =
    days < 0
      ? html`<span class="days expired">expired ${plural(-days, 'day')} ago</span>`
      : html`<span class="days${days < 30 ? ' soon' : ''}">${plural(days, 'day')} left</span>`;
  const who = [cert.subject && `subject ${cert.subject}`, cert.issuer && `issuer ${cert.issuer}`].filter(
    Boolean,
  );
  return html`<div>certificate until <time datetime="${notAfter.toISOString()}">${notAfter.toISOString()}</time>: ${left}${
    who.length > 0 ? html` <span class="meta">(${who.join(', ')})</span>` : ''
  }</div>`;
}

function memberRow(
  m: MemberResult,
  details: Record<string, unknown>,
  stale: boolean,
  generatedAt: Date,
): Markup {
  const r = m.result;
  const state = r.ok ? html`<span class="badge up">UP</span>` : html`<span class="badge down">DOWN</span>`;
  const latency = r.ok ? `${Math.round(r.latencyMs * 10) / 10} ms` : '—';
  const why = r.ok
    ? m.partial
      ? html`<div>${m.partial}</div>`
      : html``
    : html`<div><span class="reason">${r.reason}</span>: ${r.message}</div>`;
  return html`<tr><td class="member">${m.member}</td><td class="state">${state}</td><td class="role">${roleOf(m, details, stale)}</td><td class="latency">${latency}</td><td class="why">${why}${certificateCell(m, generatedAt)}</td></tr>`;
}

function ensembleSection(
  e: ProbeReport['ensembles'][number],
  label: { kind: string; name: string },
  generatedAt: Date,
): Markup {
  const election = e.election ?? 'quorum';
  const quorum =
    election === 'none'
      ? 'none: any member serves'
      : election === 'standbys'
        ? 'a leader, no majority'
        : `${e.majority} of ${e.total}`;
  const tolerance =
    e.tolerable < 0
      ? `none: ${plural(-e.tolerable, 'member')} short`
      : `${plural(e.tolerable, 'more failure')}`;
  const facts: [string, string][] = [
    ['up', `${e.up} of ${e.total}`],
    ['leaders', election === 'none' ? 'no election' : e.leaders.length === 0 ? 'none' : e.leaders.join(', ')],
    ['quorum (majority)', quorum],
    ['tolerates', tolerance],
  ];
  if (e.reportedSize !== undefined) facts.push(['members it reports', String(e.reportedSize)]);
  const lists: [string, readonly string[] | undefined][] = [
    ['stale leaders', e.staleLeaders],
    ['of another cluster, not counted', e.foreign],
    ['found in its own member list and probed', e.discovered],
    ['listed but not in its own member list', e.strangers],
  ];
  const notes = lists.flatMap(([what, names]) =>
    names && names.length > 0 ? [html`<li>${what}: ${names.join(', ')}</li>`] : [],
  );
  const stale = new Set(e.staleLeaders ?? []);
  const rows = e.members.map((m, i) => memberRow(m, e.details[i] ?? {}, stale.has(m.member), generatedAt));
  return html`<section class="${e.status}">
<h2>${badge(e.status)}<span class="kind">${label.kind}</span><span class="name">${label.name}</span></h2>
<p class="summary">${e.summary}</p>
<dl>${facts.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>
${notes.length > 0 ? html`<ul class="notes">${notes}</ul>` : ''}
<table><thead><tr><th>member</th><th>state</th><th>role</th><th>latency</th><th>reason / certificate</th></tr></thead>
<tbody>${rows}</tbody></table>
</section>
`;
}

/**
 * One probe run as a page that stands alone: inline CSS, no script, and a policy that lets it
 * load nothing, so it can be mailed or archived and opened offline.
 */
export function formatHtml(report: ProbeReport, generatedAt: Date): string {
  const labels = ensembleLabels(report);
  const when = generatedAt.toISOString();
  const t = report.latencyThresholds;
  const limits = [
    t?.warningMs !== undefined && `-w ${t.warningMs / 1000} s`,
    t?.criticalMs !== undefined && `-c ${t.criticalMs / 1000} s`,
  ].filter((x): x is string => typeof x === 'string');
  const sections = report.ensembles.map((e, i) =>
    ensembleSection(e, labels[i] ?? { kind: e.system, name: e.system }, generatedAt),
  );
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>k8sm-probe: ${report.status}</title>
<style>${new Markup(STYLE)}</style>
</head>
<body>
<header>
<h1>k8sm-probe: ${badge(report.status)}</h1>
<p class="meta">generated at <time datetime="${when}">${when}</time>; ${plural(report.ensembles.length, 'ensemble')}${
    limits.length > 0 ? `; latency limits ${limits.join(', ')}` : ''
  }</p>
</header>
<main>
${sections}</main>
</body>
</html>
`.text;
}
