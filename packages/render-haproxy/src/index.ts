import {
  APISERVER_HEALTHCHECK_CLIENT,
  type Artifact,
  type ClusterPlan,
  type CommandArtifact,
  dockerEnvFileLine,
  enableServices,
  envFileLine,
  type FileArtifact,
  generatedHeader,
  haproxyQuotedText,
  haproxyWord,
  KUBERNETES_CA,
  pkiFile,
  reloadOrRestartService,
  reloadServiceDefinitions,
  renderTemplate,
  type ShellLine,
  sh,
  shContinued,
  shLines,
  systemdValue,
  versionAtLeast,
} from '@k8sm/spec';
import { HaproxyConfigError } from './errors.js';
import { lintHaproxyConfig } from './lint.js';
import type { HaproxyTemplateView } from './template-view.js';
import { HAPROXY_CFG } from './templates.js';

export * from './errors.js';
export { type ConfigProblem, lintHaproxyConfig } from './lint.js';
export { HAPROXY_TEMPLATE_VARIABLES, type HaproxyTemplateView } from './template-view.js';
export { HAPROXY_CFG } from './templates.js';

/** The part of the cluster plan this renderer reads; it derives nothing else. */
export type HaproxyPlanSlice = Pick<ClusterPlan, 'name' | 'haproxy'>;

export interface HaproxyInputs {
  /** the spec's own template text, when haproxy.template names one (read by the CLI) */
  readonly template?: string;
  /** PKI contents: `kubernetes/ca.crt` lets the checks verify the apiservers */
  readonly pki?: Readonly<Record<string, string>>;
  /** the stats password when it comes from a file beside the spec (read by the CLI; never printed) */
  readonly statsPassword?: string;
}

const CFG = '/etc/haproxy/haproxy.cfg';
const STATS_ENV = '/etc/haproxy/k8sm-stats.env';
const STATS_DROP_IN = '/etc/systemd/system/haproxy.service.d/k8sm-stats.conf';
const FILE_PASSWORD_VARIABLE = 'K8SM_HAPROXY_STATS_PASSWORD';

/** haproxy.cfg for every haproxy host (apiserver load balancer), its secrets and its commands. */
export function renderHaproxy(slice: HaproxyPlanSlice, inputs: HaproxyInputs = {}): Artifact[] {
  const ha = slice.haproxy;
  if (!ha || ha.apiservers.length === 0) return [];
  const docker = ha.runtime === 'docker';
  // inside the official image the config dir is /usr/local/etc/haproxy
  const confDir = docker ? '/usr/local/etc/haproxy' : '/etc/haproxy';
  const ca = ha.apiserverCa ? inputs.pki?.[`${KUBERNETES_CA}.crt`] : undefined;
  const password = ha.stats?.password;
  const variable = password && 'env' in password ? password.env : FILE_PASSWORD_VARIABLE;
  // the check below names the variable to the shell: it must be a shell identifier
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable))
    throw new HaproxyConfigError('haproxy.stats.password.env', [
      { line: 0, message: `${JSON.stringify(variable)} is not an environment variable name` },
    ]);
  // HAProxy expands an unset "${NAME}" to nothing and starts with an empty password: refuse first
  const requirePassword =
    password && 'env' in password ? requireStatsPassword(variable) : ([] as ShellLine[]);
  const tls = ha.apiservers.some((s) => s.scheme === 'https');
  const readyz = ha.kubernetesVersion !== undefined && versionAtLeast(ha.kubernetesVersion, '1.16');
  const check = ha.healthCheck;
  // the check's client certificate and key, in the one PEM file HAProxy's `crt` reads
  const clientPem =
    check?.kind === 'client-certificate'
      ? `${pkiFile(inputs.pki ?? {}, `${APISERVER_HEALTHCHECK_CLIENT}.crt`)}${pkiFile(inputs.pki ?? {}, `${APISERVER_HEALTHCHECK_CLIENT}.key`)}`
      : undefined;
  const out: Artifact[] = [];
  for (const m of ha.members) {
    const view: HaproxyTemplateView = {
      header: generatedHeader(slice.name),
      version: ha.version,
      cluster: slice.name,
      runtimeApi: ha.runtimeApi && !docker,
      socket: '/run/haproxy/admin.sock',
      frontendPort: m.frontendPort,
      balance: haproxyWord(CFG, 'balance', ha.balance),
      modernCheck: versionAtLeast(ha.version, '2.2'),
      httpCheck: check?.kind !== 'tcp',
      checkPath: check?.path ?? (tls && readyz ? '/readyz' : '/healthz'),
      checkWhy: check ? haproxyComment(check.why) : undefined,
      clientCert: clientPem === undefined ? undefined : `${confDir}/apiserver-healthcheck-client.pem`,
      checkInterval: haproxyWord(CFG, 'default-server inter', ha.checkInterval),
      tls,
      caFile: ca ? `${confDir}/kubernetes-ca.crt` : undefined,
      servers: ha.apiservers.map((s) => ({
        name: haproxyWord(CFG, 'server', s.name),
        address: haproxyWord(CFG, 'server', s.address),
        port: s.port,
      })),
      // HAProxy expands "${NAME}" in quoted strings: the password stays in the environment
      stats: ha.stats
        ? {
            address: haproxyWord(CFG, 'bind', ha.stats.address),
            port: ha.stats.port,
            // HAProxy splits user from password at the first `:`: a `:` in the user cannot be escaped
            auth: `${haproxyQuotedText(CFG, 'stats auth', ha.stats.user, ':')}:\${${variable}}`,
          }
        : undefined,
    };
    const content = renderTemplate(inputs.template ?? HAPROXY_CFG, view);
    const problems = lintHaproxyConfig(content, ha.version);
    if (problems.length > 0)
      throw new HaproxyConfigError(
        inputs.template ? (ha.template ?? 'haproxy.template') : 'the built-in haproxy.cfg template',
        problems,
      );
    const file = (path: string, text: string, mode = 0o644): FileArtifact => ({
      kind: 'file',
      host: m.host,
      path,
      mode,
      content: text,
      component: 'haproxy',
    });
    const step = (order: number, command: ShellLine): CommandArtifact => ({
      kind: 'command',
      host: m.host,
      order,
      command,
      component: 'haproxy',
    });
    out.push(file(CFG, content));
    if (ca) out.push(file('/etc/haproxy/kubernetes-ca.crt', ca));
    if (clientPem) out.push(file('/etc/haproxy/apiserver-healthcheck-client.pem', clientPem, 0o600));
    const fromFile = password && 'file' in password;
    if (fromFile) {
      if (inputs.statsPassword === undefined)
        throw new HaproxyConfigError('haproxy.stats.password.file', [
          { line: 0, message: 'the password file was not read' },
        ]);
      // docker's --env-file takes the value literally, systemd's EnvironmentFile= unquotes it
      const line = docker ? dockerEnvFileLine : envFileLine;
      out.push(file(STATS_ENV, `${line(STATS_ENV, FILE_PASSWORD_VARIABLE, inputs.statsPassword)}\n`, 0o600));
    }
    if (docker) {
      const envFlag = fromFile ? [sh`--env-file ${STATS_ENV}`] : password ? [sh`-e ${variable}`] : [];
      out.push(
        step(500, shLines([...requirePassword, sh`docker rm -f haproxy >/dev/null 2>&1 || true`])),
        step(
          501,
          shContinued([
            sh`docker run -d --name haproxy --net host --restart always`,
            sh`-v /etc/haproxy:/usr/local/etc/haproxy:ro`,
            ...envFlag,
            sh`${ha.image}`,
          ]),
        ),
      );
    } else {
      if (fromFile)
        out.push(
          file(
            STATS_DROP_IN,
            `${generatedHeader(slice.name)}\n[Service]\nEnvironmentFile=${systemdValue(STATS_DROP_IN, 'EnvironmentFile', STATS_ENV)}\n`,
          ),
        );
      out.push(
        step(500, shLines([...requirePassword, sh`haproxy -c -q -f /etc/haproxy/haproxy.cfg`])),
        step(501, reloadServiceDefinitions(m.initSystem)),
        step(502, enableServices(m.initSystem, ['haproxy'])),
        step(503, reloadOrRestartService(m.initSystem, 'haproxy')),
      );
    }
  }
  return out;
}
export {
  type BridgeApp,
  type BridgeParse,
  type BridgeSection,
  bridgeBase,
  bridgeConfig,
  bridgeSections,
  parseMarathonApps,
  parseMarathonTasksText,
  sectionName,
} from './bridge.js';

/**
 * Stop the host's script before HAProxy is (re)started when the stats password's variable is
 * unset or empty: HAProxy would expand it to nothing and serve the stats page to `user:` with no
 * password. The variable's name reaches the shell as an argument, never as script text.
 */
function requireStatsPassword(variable: string): ShellLine[] {
  return [
    sh`k8sm_require_stats_password() { if [ -z "\${!1:-}" ]; then echo "k8sm: not starting HAProxy: the stats password variable $1 (haproxy.stats.password.env) is unset or empty; export it for this script and the HAProxy service" >&2; exit 1; fi; }`,
    sh`k8sm_require_stats_password ${variable}`,
  ];
}

/** A one-line comment: the plan's own text, with nothing that would end the line. */
const haproxyComment = (text: string) => text.replace(/[\r\n]+/g, ' ');
