import { haproxyWord } from '@k8sm/spec';
import { MarathonResponseError } from './errors.js';
import { lintHaproxyConfig } from './lint.js';

/** What the bridge needs of a Marathon app, from `/v2/apps?embed=apps.tasks` or `/v2/tasks`. */
export interface BridgeApp {
  readonly id: string;
  readonly servicePorts: readonly number[];
  readonly tasks: readonly { readonly host: string; readonly ports: readonly number[] }[];
}

export interface BridgeParse {
  readonly apps: readonly BridgeApp[];
  /** apps skipped, tasks left out, and why */
  readonly notes: readonly string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const numbers = (v: unknown): number[] =>
  Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x)) : [];

/**
 * Service ports by Marathon version: `container.portMappings` (1.5+, bridge networking),
 * `container.docker.portMappings` (before 1.5), `portDefinitions` (host networking, 0.16+), or
 * the old `ports` list.
 */
function servicePortsOf(app: Json): number[] {
  const container = isObject(app.container) ? app.container : undefined;
  const docker = container && isObject(container.docker) ? container.docker : undefined;
  const mappings = Array.isArray(container?.portMappings)
    ? container.portMappings
    : Array.isArray(docker?.portMappings)
      ? docker.portMappings
      : undefined;
  if (mappings)
    return mappings.flatMap((m) =>
      isObject(m) && Number.isInteger(m.servicePort) ? [m.servicePort as number] : [],
    );
  if (Array.isArray(app.portDefinitions))
    return app.portDefinitions.flatMap((p) =>
      isObject(p) && Number.isInteger(p.port) ? [p.port as number] : [],
    );
  return numbers(app.ports);
}

type Networking = 'host' | 'container/bridge' | 'container';

/**
 * How an app's tasks are reached, as marathon-lb decides (utils.py get_app_networking_mode): an
 * `ipAddress` (IP-per-task, before 1.5) or docker network USER is `container`, docker BRIDGE is
 * `container/bridge`, and from 1.5 the mode of its `networks`; else `host`.
 */
function networkingOf(app: Json): Networking {
  let mode: Networking = 'host';
  if (isObject(app.ipAddress)) mode = 'container';
  const container = isObject(app.container) ? app.container : undefined;
  const network = container && isObject(container.docker) ? container.docker.network : undefined;
  if (network === 'USER') mode = 'container';
  else if (network === 'BRIDGE') mode = 'container/bridge';
  for (const n of Array.isArray(app.networks) ? app.networks : [])
    if (isObject(n)) mode = n.mode === 'host' || n.mode === 'container/bridge' ? n.mode : 'container';
  return mode;
}

/**
 * Where a task serves (utils.py get_task_ip, get_app_task_ports): an IP-per-task (`container`)
 * task on its own address, `ipAddresses[0]`, at the app's `ipAddress.discovery` port numbers or
 * its port mappings' container ports; any other on its host at its host ports. Undefined when the
 * task has no address yet.
 */
function endpointOfTask(app: Json, task: Json, mode: Networking): BridgeApp['tasks'][number] | undefined {
  if (mode !== 'container')
    return typeof task.host === 'string' ? { host: task.host, ports: numbers(task.ports) } : undefined;
  const first = Array.isArray(task.ipAddresses) ? task.ipAddresses[0] : undefined;
  const address = isObject(first) && typeof first.ipAddress === 'string' ? first.ipAddress : '';
  if (address === '') return undefined;
  const discovery =
    isObject(app.ipAddress) && isObject(app.ipAddress.discovery) ? app.ipAddress.discovery : undefined;
  const discovered = Array.isArray(discovery?.ports)
    ? discovery.ports.flatMap((p) => (isObject(p) && Number.isInteger(p.number) ? [p.number as number] : []))
    : [];
  const container = isObject(app.container) ? app.container : undefined;
  const docker = container && isObject(container.docker) ? container.docker : undefined;
  const mappings =
    Array.isArray(docker?.portMappings) && docker.portMappings.length > 0
      ? docker.portMappings
      : container?.portMappings;
  const mapped = Array.isArray(mappings)
    ? mappings.flatMap((m) =>
        isObject(m) && Number.isInteger(m.containerPort) ? [m.containerPort as number] : [],
      )
    : [];
  return { host: address, ports: discovered.length > 0 ? discovered : mapped };
}

/** `/v2/apps?embed=apps.tasks` JSON: running tasks whose health checks (if any) all pass. */
export function parseMarathonApps(body: string): BridgeParse {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MarathonResponseError(`not JSON: ${JSON.stringify(body.slice(0, 60))}`);
  }
  if (!isObject(json) || !Array.isArray(json.apps))
    throw new MarathonResponseError('JSON without an "apps" list: is this Marathon\'s /v2/apps?');
  const notes: string[] = [];
  const apps: BridgeApp[] = [];
  for (const app of json.apps) {
    if (!isObject(app) || typeof app.id !== 'string') continue;
    const servicePorts = servicePortsOf(app).filter((p) => p > 0);
    if (servicePorts.length === 0) {
      notes.push(`${app.id}: no service port, skipped`);
      continue;
    }
    const checked = Array.isArray(app.healthChecks) && app.healthChecks.length > 0;
    const mode = networkingOf(app);
    const tasks: BridgeApp['tasks'][number][] = [];
    for (const task of Array.isArray(app.tasks) ? app.tasks : []) {
      if (!isObject(task)) continue;
      if (typeof task.state === 'string' && task.state !== 'TASK_RUNNING') continue;
      const where =
        typeof task.host === 'string' ? task.host : typeof task.id === 'string' ? task.id : 'a task';
      const results = Array.isArray(task.healthCheckResults) ? task.healthCheckResults : [];
      if (checked && (results.length === 0 || results.some((r) => !isObject(r) || r.alive !== true))) {
        notes.push(`${app.id}: task on ${where} is not healthy, left out`);
        continue;
      }
      const endpoint = endpointOfTask(app, task, mode);
      if (!endpoint) {
        notes.push(`${app.id}: task on ${where} has no IP address of its own yet (IP-per-task), left out`);
        continue;
      }
      tasks.push(endpoint);
    }
    apps.push({ id: app.id, servicePorts, tasks });
  }
  return { apps, notes };
}

/** The pre-1.11 `/v2/tasks` text/plain: `<app id> <service port> <host:port> …` per line. */
export function parseMarathonTasksText(body: string): BridgeParse {
  const byApp = new Map<string, { servicePorts: number[]; tasks: Map<string, number[]> }>();
  for (const line of body.split('\n')) {
    const [id, port, ...endpoints] = line.trim().split(/\s+/);
    if (!id || !port || !/^\d+$/.test(port)) continue;
    const app = byApp.get(id) ?? { servicePorts: [], tasks: new Map<string, number[]>() };
    byApp.set(id, app);
    const index = app.servicePorts.push(Number(port)) - 1;
    for (const e of endpoints) {
      const [host, p] = e.split(':');
      if (!host || !p) continue;
      const ports = app.tasks.get(host) ?? [];
      ports[index] = Number(p);
      app.tasks.set(host, ports);
    }
  }
  return {
    apps: [...byApp].map(([id, a]) => ({
      id,
      servicePorts: a.servicePorts,
      tasks: [...a.tasks].map(([host, ports]) => ({ host, ports })),
    })),
    notes: [],
  };
}

/** Named in a ConfigValueError from a bridge listener. */
const BRIDGE_CFG = 'the bridge haproxy.cfg';

/** `/web/nginx` → `web_nginx`: HAProxy section names without slashes. */
export const sectionName = (id: string) => id.replace(/^\/+/, '').replaceAll(/[^A-Za-z0-9_.-]/g, '_');

export interface BridgeSection {
  readonly app: string;
  readonly servicePort: number;
  readonly text: string;
}

/**
 * One `listen` per app service port: tcp, leastconn, a server per task (stable name host_port).
 * A service port that two apps claim gets one listener, never two binds of one port (HAProxy
 * would start both and the kernel would spread connections over two apps): the app whose id sorts
 * first keeps it, the others' listeners on it are left out with a note in `conflicts`.
 */
export function bridgeSections(apps: readonly BridgeApp[], conflicts: string[] = []): BridgeSection[] {
  const out: BridgeSection[] = [];
  const owner = new Map<number, string>();
  for (const app of [...apps].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
    app.servicePorts.forEach((servicePort, i) => {
      const first = owner.get(servicePort);
      if (first !== undefined) {
        conflicts.push(
          `service port ${servicePort} is claimed by ${first} and ${app.id}: ${first} (first by id) keeps it, ${app.id}'s listener is left out; give ${app.id} another service port`,
        );
        return;
      }
      owner.set(servicePort, app.id);
      // task hosts come from Marathon's answer: written through the haproxy.cfg word writer like spec values
      const servers = app.tasks
        .flatMap((t) => (t.ports[i] ? [[t.host, t.ports[i]] as const] : []))
        .sort(([a, p], [b, q]) => (`${a}:${p}` < `${b}:${q}` ? -1 : `${a}:${p}` > `${b}:${q}` ? 1 : 0))
        .map(
          ([host, port]) =>
            `    server ${haproxyWord(BRIDGE_CFG, 'server', `${host}:${port}`.replace(':', '_'))} ${haproxyWord(BRIDGE_CFG, 'server', host)}:${port} check`,
        );
      out.push({
        app: app.id,
        servicePort,
        text: [
          `listen ${sectionName(app.id)}-${servicePort}`,
          `    bind *:${servicePort}`,
          '    mode tcp',
          '    option tcplog',
          '    balance leastconn',
          ...servers,
          '',
        ].join('\n'),
      });
    });
  return out;
}

/** The fixed part of a bridge config: global and defaults with real timeouts. */
export function bridgeBase(header: string, marathonUrls: readonly string[]): string {
  return [
    header,
    `# HAProxy listeners for the apps of Marathon ${marathonUrls.join(', ')}`,
    '',
    'global',
    '    log /dev/log local0',
    '    maxconn 4096',
    '',
    'defaults',
    '    log global',
    '    mode tcp',
    '    option dontlognull',
    '    retries 3',
    '    timeout connect 5s',
    '    timeout client 1m',
    '    timeout server 1m',
    '    timeout check 5s',
    '',
    '',
  ].join('\n');
}

export function bridgeConfig(
  header: string,
  marathonUrls: readonly string[],
  sections: readonly BridgeSection[],
): string {
  const text = bridgeBase(header, marathonUrls) + sections.map((s) => s.text).join('\n');
  const problems = lintHaproxyConfig(text, '2.6');
  if (problems.length > 0)
    throw new Error(`bridge config lint: ${problems.map((p) => p.message).join('; ')}`);
  return text;
}
