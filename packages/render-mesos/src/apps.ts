import {
  type Artifact,
  generatedHeader,
  type MarathonPlan,
  type PlannedMarathonApp,
  sh,
  shComment,
  shScript,
  versionAtLeast,
} from '@k8sm/spec';

/** `/web/nginx` → `web_nginx.json`: Marathon ids never contain `_`, so the name is unambiguous. */
export function marathonAppFile(id: string): string {
  return `${id.slice(1).replaceAll('/', '_')}.json`;
}

/**
 * The app definition Marathon's `/v2/apps` takes. Marathon 1.5 moved port mappings from
 * `container.docker` to `container` and the network mode to `networks`; older versions take the
 * docker-level form.
 */
export function marathonAppJson(app: PlannedMarathonApp, version: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: app.id,
    ...(app.cmd === undefined ? {} : { cmd: app.cmd }),
    cpus: app.cpus,
    mem: app.mem,
    instances: app.instances,
    ...(app.env === undefined ? {} : { env: app.env }),
  };
  if (app.healthChecks)
    body.healthChecks = app.healthChecks.map((c) => ({
      protocol: c.protocol,
      ...(c.protocol === 'COMMAND'
        ? { command: { value: c.command } }
        : { portIndex: c.portIndex, ...(c.protocol === 'HTTP' ? { path: c.path } : {}) }),
      ...(c.gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: c.gracePeriodSeconds }),
      ...(c.intervalSeconds === undefined ? {} : { intervalSeconds: c.intervalSeconds }),
      ...(c.timeoutSeconds === undefined ? {} : { timeoutSeconds: c.timeoutSeconds }),
      ...(c.maxConsecutiveFailures === undefined ? {} : { maxConsecutiveFailures: c.maxConsecutiveFailures }),
    }));
  const docker = app.docker;
  if (!docker) return body;
  const network = docker.network;
  const portMappings = docker.portMappings.map((p) => ({
    containerPort: p.containerPort,
    hostPort: p.hostPort,
    ...(p.servicePort === undefined ? {} : { servicePort: p.servicePort }),
    protocol: p.protocol,
  }));
  const image = {
    image: docker.image,
    ...(docker.privileged === undefined ? {} : { privileged: docker.privileged }),
  };
  const mapped = network === 'bridge' && portMappings.length > 0;
  if (versionAtLeast(version, '1.5'))
    return {
      ...body,
      container: { type: 'DOCKER', docker: image, ...(mapped ? { portMappings } : {}) },
      networks: [{ mode: network === 'bridge' ? 'container/bridge' : 'host' }],
    };
  return {
    ...body,
    container: {
      type: 'DOCKER',
      docker: { ...image, network: network.toUpperCase(), ...(mapped ? { portMappings } : {}) },
    },
  };
}

/** cluster/marathon/apps/<id>.json and a deploy.sh that PUTs them to the first Marathon answering /ping. */
export function renderMarathonApps(specName: string, marathon: MarathonPlan): Artifact[] {
  if (marathon.apps.length === 0) return [];
  const files: Artifact[] = marathon.apps.map((app) => ({
    kind: 'file',
    host: null,
    path: `/marathon/apps/${marathonAppFile(app.id)}`,
    mode: 0o644,
    content: `${JSON.stringify(marathonAppJson(app, marathon.version), null, 2)}\n`,
    component: 'marathon',
  }));
  const script = [
    sh`#!/usr/bin/env bash`,
    shComment(generatedHeader(specName)),
    sh`# PUT every app to the first Marathon that answers /ping (a standby proxies to the leader).`,
    sh`# MARATHON_URLS="http://a:8080 http://b:8080" overrides the list below.`,
    sh`set -euo pipefail`,
    sh`cd "$(dirname "$0")"`,
    // word by word: quotes in the default of a double-quoted ${MARATHON_URLS:-…} would stay literal
    sh`marathons=(${marathon.urls})`,
    sh`if [ -n "\${MARATHON_URLS:-}" ]; then read -r -a marathons <<< "$MARATHON_URLS"; fi`,
    sh`marathon=""`,
    sh`for url in "\${marathons[@]}"; do`,
    sh`  if curl -fsS --max-time 5 "$url/ping" >/dev/null 2>&1; then marathon=$url; break; fi`,
    sh`done`,
    sh`if [ -z "$marathon" ]; then`,
    sh`  echo "deploy: no Marathon answered /ping at \${marathons[*]} (5 s each)" >&2`,
    sh`  exit 1`,
    sh`fi`,
    sh`put() {`,
    sh`  curl -fsS --max-time 30 -X PUT -H 'Content-Type: application/json' --data-binary "@apps/$1" "$marathon/v2/apps$2" >/dev/null`,
    sh`  echo "deploy: $2 -> $marathon"`,
    sh`}`,
    ...marathon.apps.map((app) => sh`put ${marathonAppFile(app.id)} ${app.id}`),
  ];
  files.push({
    kind: 'file',
    host: null,
    path: '/marathon/deploy.sh',
    mode: 0o755,
    content: shScript(script),
    component: 'marathon',
  });
  return files;
}
