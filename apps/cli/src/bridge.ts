import { spawnSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { closeHttpAgents, type HttpOptions, httpRequest, redactUrl } from '@k8sm/probes';
import {
  type BridgeParse,
  type BridgeSection,
  bridgeBase,
  bridgeConfig,
  bridgeSections,
  MarathonResponseError,
  parseMarathonApps,
  parseMarathonTasksText,
} from '@k8sm/render-haproxy';
import { HaproxyApplyError, MarathonUnreachableError } from './errors.js';

export interface BridgeOptions {
  readonly marathon: readonly string[];
  readonly output: string;
  readonly apply: boolean;
  readonly reload: string;
  readonly haproxy: string;
  /** per request */
  readonly timeoutMs: number;
  /** attempts per Marathon URL */
  readonly attempts: number;
  /** whether a task host resolves; node's dns.lookup unless a test injects its own */
  readonly resolves?: (host: string) => Promise<boolean>;
  /** TLS material and Marathon's basic-auth header, as the probes send them */
  readonly http?: Pick<HttpOptions, 'tls' | 'headers'>;
}

export interface BridgeRun {
  readonly source: string;
  readonly listeners: number;
  readonly apps: number;
  readonly changed: boolean;
  readonly dropped: readonly string[];
  readonly notes: readonly string[];
  readonly reloaded: boolean;
}

const lookupResolves = (host: string) =>
  lookup(host).then(
    () => true,
    () => false,
  );

/**
 * A task whose host does not resolve loses only its own server, as marathon-lb does
 * (utils.py get_task_ip: "Could not resolve ip for host %s, ignoring"); HAProxy would refuse the
 * whole listen otherwise.
 */
async function resolvableApps(
  apps: BridgeParse['apps'],
  resolves: (host: string) => Promise<boolean>,
  notes: string[],
): Promise<BridgeParse['apps']> {
  const hosts = [...new Set(apps.flatMap((a) => a.tasks.map((t) => t.host)))];
  const ok = new Map(await Promise.all(hosts.map(async (h) => [h, await resolves(h)] as const)));
  return apps.map((app) => ({
    ...app,
    tasks: app.tasks.filter((t) => {
      if (ok.get(t.host)) return true;
      notes.push(`app ${app.id}: task host ${t.host} does not resolve: server dropped`);
      return false;
    }),
  }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Marathon's answer may be large (every app with its tasks), but not without bound. */
const MAX_MARATHON_BYTES = 64 << 20;

/**
 * GET through the probes' HTTP client (TLS material, credentials, a bounded body, one timeout
 * for the whole exchange); a refused or unanswered request is a reason, not an exception.
 */
async function get(
  url: string,
  accept: string,
  options: BridgeOptions,
): Promise<{ status: number; type: string; body: string } | string> {
  const r = await httpRequest(url, {
    ...options.http,
    timeoutMs: options.timeoutMs,
    accept,
    maxBytes: MAX_MARATHON_BYTES,
  });
  if (r.ok) return { status: r.status, type: r.headers['content-type'] ?? '', body: r.body };
  if (r.reason === 'timeout') return `no answer within ${options.timeoutMs} ms`;
  // the message names the request; the caller names the Marathon
  return redactUrl(r.message.replace(/^(?:GET|POST) \S+: /, ''));
}

/**
 * Apps and tasks from the first Marathon that answers: `/v2/apps?embed=apps.tasks` (JSON), or
 * the text/plain `/v2/tasks` of Marathon before 1.11 when the JSON endpoint is not there.
 * Each URL gets `attempts` tries with a growing pause on connection errors and 5xx.
 */
export async function fetchMarathonApps(options: BridgeOptions): Promise<BridgeParse & { source: string }> {
  try {
    return await firstMarathonApps(options);
  } finally {
    // no pooled connection may keep a single run, or a --watch between passes, waiting
    await closeHttpAgents();
  }
}

async function firstMarathonApps(options: BridgeOptions): Promise<BridgeParse & { source: string }> {
  const reasons: string[] = [];
  for (const base of options.marathon) {
    const root = base.replace(/\/+$/, '');
    for (let attempt = 1; attempt <= options.attempts; attempt++) {
      const r = await get(`${root}/v2/apps?embed=apps.tasks`, 'application/json', options);
      let reason: string;
      if (typeof r === 'string') reason = r;
      else if (r.status === 200) {
        try {
          return { ...parseMarathonApps(r.body), source: root };
        } catch (error) {
          if (!(error instanceof MarathonResponseError)) throw error;
          reasons.push(`${root}: ${error.message}`);
          break;
        }
      } else if (r.status === 404 || r.status === 406) {
        const t = await get(`${root}/v2/tasks`, 'text/plain', options);
        if (typeof t !== 'string' && t.status === 200 && t.type.startsWith('text/plain'))
          return { ...parseMarathonTasksText(t.body), source: `${root} (/v2/tasks)` };
        reasons.push(
          `${root}: /v2/apps answered ${r.status} and /v2/tasks ${typeof t === 'string' ? t : t.status}`,
        );
        break;
      } else reason = `HTTP ${r.status}`;
      if (typeof r !== 'string' && r.status < 500) {
        reasons.push(`${root}: HTTP ${r.status}`);
        break;
      }
      if (attempt === options.attempts) reasons.push(`${root}: ${reason} (after ${attempt} attempts)`);
      else await sleep(200 * 2 ** (attempt - 1));
    }
  }
  throw new MarathonUnreachableError(
    `no Marathon answered with its apps; the previous config is kept\n${reasons.map((r) => `  ${r}`).join('\n')}`,
  );
}

function validate(haproxy: string, file: string): { ok: boolean; output: string } {
  const r = spawnSync(haproxy, ['-c', '-f', file], { encoding: 'utf8', timeout: 10_000 });
  if (r.error)
    throw new HaproxyApplyError(
      `cannot run ${haproxy}: ${r.error.message} — install haproxy or pass --haproxy <path>`,
    );
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

/** HAProxy's ALERT lines (shown since -c runs without -q), else all it said. */
function haproxyReasons(output: string): string {
  const alerts = output.split('\n').filter((l) => l.includes('ALERT'));
  return (alerts.length > 0 ? alerts.join('; ') : output) || 'haproxy -c refused it without a reason';
}

/** One bridge pass: fetch, render, and with --apply validate, swap atomically and reload on change. */
export async function bridgeOnce(options: BridgeOptions, version: string): Promise<BridgeRun> {
  const fetched = await fetchMarathonApps(options);
  const header = `# generated by k8sm-render ${version} bridge — rewritten on every run, do not edit`;
  const notes = [...fetched.notes];
  const apps = await resolvableApps(fetched.apps, options.resolves ?? lookupResolves, notes);
  // a service port two apps claim: the first by id keeps it, the other listener is dropped
  const dropped: string[] = [];
  let sections: BridgeSection[] = bridgeSections(apps, dropped);
  const temp = join(dirname(options.output), `.${Date.now()}-${process.pid}.k8sm-bridge.cfg`);
  try {
    if (options.apply) {
      writeFileSync(temp, bridgeConfig(header, fetched.source.split(' '), sections));
      if (!validate(options.haproxy, temp).ok) {
        // find the sections HAProxy refuses, one by one, and apply the rest
        const keep: BridgeSection[] = [];
        for (const s of sections) {
          writeFileSync(temp, bridgeBase(header, [fetched.source]) + s.text);
          const check = validate(options.haproxy, temp);
          if (check.ok) keep.push(s);
          else dropped.push(`${s.app} (service port ${s.servicePort}): ${haproxyReasons(check.output)}`);
        }
        sections = keep;
      }
    }
    const text = bridgeConfig(header, [fetched.source], sections);
    let previous: string | undefined;
    try {
      previous = readFileSync(options.output, 'utf8');
    } catch {
      previous = undefined;
    }
    const changed = previous !== text;
    let reloaded = false;
    if (changed) {
      writeFileSync(temp, text);
      if (options.apply) {
        const check = validate(options.haproxy, temp);
        if (!check.ok)
          throw new HaproxyApplyError(
            `the new config does not validate; the previous one is kept:\n${check.output}`,
          );
      }
      renameSync(temp, options.output);
      if (options.apply) {
        const r = spawnSync('sh', ['-c', options.reload], { encoding: 'utf8', timeout: 30_000 });
        if (r.status !== 0)
          throw new HaproxyApplyError(
            `the config was written but the reload failed (${options.reload}): ${`${r.stdout}${r.stderr}`.trim()}`,
          );
        reloaded = true;
      }
    }
    return {
      source: fetched.source,
      listeners: sections.length,
      apps: new Set(sections.map((s) => s.app)).size,
      changed,
      dropped,
      notes,
      reloaded,
    };
  } finally {
    rmSync(temp, { force: true });
  }
}
