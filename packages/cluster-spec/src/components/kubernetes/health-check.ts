import { versionAtLeast } from '../../version.js';
import { kubeLayout } from './derived-flags.js';
import type { KubernetesSpec } from './schema.js';

export type AbacRule = NonNullable<KubernetesSpec['abacPolicy']>[number];

/**
 * How HAProxy and the Ansible gate ask an apiserver whether it is healthy, decided once from the
 * version and the authorization modes:
 * - `http`: the insecure port, which has no authentication or authorization;
 * - `anonymous`: an HTTPS GET with no credentials, which the apiserver's authorizers admit;
 * - `client-certificate`: the GET presents k8sm's health-check client certificate;
 * - `tcp`: no authorizer k8sm can model admits it, so the check only opens a TLS connection.
 */
export interface ApiserverHealthCheck {
  readonly kind: 'http' | 'anonymous' | 'client-certificate' | 'tcp';
  readonly path: '/healthz' | '/readyz';
  /** one line on why, written beside the check */
  readonly why: string;
  /** the rule the plan adds to kubernetes.abacPolicy so the check may read `path` */
  readonly abacRule?: AbacRule;
}

/** The common name of the health-check client certificate: the user the apiserver sees. */
export const APISERVER_HEALTHCHECK_USER = 'k8sm:apiserver-healthcheck';

interface Subject {
  readonly user: string;
  readonly groups: readonly string[];
}
// the apiserver's anonymous identity (pkg/kubeapiserver/options/authentication.go --anonymous-auth)
const ANONYMOUS: Subject = { user: 'system:anonymous', groups: ['system:unauthenticated'] };
// an authenticated client certificate: its CN, plus the group every authenticated user gets
const CLIENT: Subject = { user: APISERVER_HEALTHCHECK_USER, groups: ['system:authenticated'] };

/**
 * Whether an ABAC policy admits a GET of the non-resource `path` by `subject`, as
 * kubernetes pkg/auth/authorizer/abac/abac.go matches: the user or the group must match (one of
 * them set; "*" matches any), a GET is read-only so any rule's verb matches, and the rule's
 * nonResourcePath must be "*", the path, or a prefix ending in "*".
 */
export function abacAllows(
  policy: readonly AbacRule[],
  subject: { readonly user: string; readonly groups: readonly string[] },
  path: string,
): boolean {
  return policy.some((rule) => {
    if (rule.user === undefined && rule.group === undefined) return false;
    if (rule.user !== undefined && rule.user !== '*' && rule.user !== subject.user) return false;
    if (rule.group !== undefined && rule.group !== '*' && !subject.groups.includes(rule.group)) return false;
    const p = rule.nonResourcePath;
    if (p === undefined) return false;
    return p === '*' || p === path || (p.endsWith('*') && path.startsWith(p.replace(/\*+$/, '')));
  });
}

/**
 * RBAC's bootstrap policy admits a GET of /healthz by everyone from 1.6 (system:discovery, bound to
 * system:authenticated and system:unauthenticated; from 1.14 system:public-info-viewer, which gains
 * /livez and /readyz with them in 1.16): kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go.
 * 1.5's system:discovery has no /healthz.
 */
export function rbacAllowsHealth(version: string, path: string): boolean {
  if (path === '/healthz') return versionAtLeast(version, '1.6');
  return versionAtLeast(version, '1.16');
}

/** Whether the apiserver admits anonymous requests: from 1.5, unless AlwaysAllow is a mode (kubernetes#38706). */
export function apiserverAnonymousAuth(version: string, modes: readonly string[]): boolean {
  // ApplyAuthorization in pkg/kubeapiserver/options/authentication.go: "AnonymousAuth is not
  // allowed with the AlwaysAllow authorizer. Resetting AnonymousAuth to false."
  return versionAtLeast(version, '1.5') && !modes.includes('AlwaysAllow');
}

/**
 * The authorization modes the apiserver runs with: the spec's, else what the layout renders
 * (the kubeadm layout writes Node,RBAC), else kube-apiserver's own default, AlwaysAllow
 * (pkg/kubeapiserver/options/authorization.go NewBuiltInAuthorizationOptions).
 */
export function apiserverAuthorizationModes(
  k8s: Pick<KubernetesSpec, 'flavor' | 'version' | 'authorization'>,
): readonly string[] {
  return k8s.authorization ?? (kubeLayout(k8s) === 'modern' ? ['Node', 'RBAC'] : ['AlwaysAllow']);
}

export function apiserverHealthCheck(
  k8s: Pick<KubernetesSpec, 'flavor' | 'version' | 'authorization' | 'abacPolicy'>,
  securePort: number,
): ApiserverHealthCheck {
  const version = k8s.version;
  const path = securePort > 0 && versionAtLeast(version, '1.16') ? '/readyz' : '/healthz';
  if (securePort === 0)
    return { kind: 'http', path, why: 'the insecure port has no authentication or authorization' };
  // k8sm renders no client CA or token file for km's apiserver: nothing authenticates or authorizes
  if (k8s.flavor === 'mesos')
    return { kind: 'anonymous', path, why: "km's apiserver has no authenticator or authorizer configured" };
  const modes = apiserverAuthorizationModes(k8s);
  const anonymous = apiserverAnonymousAuth(version, modes);
  const subject = anonymous ? ANONYMOUS : CLIENT;
  const kind = anonymous ? 'anonymous' : 'client-certificate';
  // the modes are a union in their order: the first to allow admits the request
  for (const mode of modes) {
    if (mode === 'AlwaysAllow')
      return {
        kind,
        path,
        why: 'AlwaysAllow turns anonymous requests off (kubernetes#38706): the check presents the health-check client certificate',
      };
    if (mode === 'RBAC' && rbacAllowsHealth(version, path))
      return { kind, path, why: `RBAC's bootstrap policy lets every user read ${path}` };
    if (mode === 'ABAC' && abacAllows(k8s.abacPolicy ?? [], subject, path))
      return { kind, path, why: `a rule of kubernetes.abacPolicy lets the check read ${path}` };
  }
  if (modes.includes('ABAC'))
    return {
      kind,
      path,
      why: `ABAC admits no request without a rule: k8sm adds one letting the check read ${path} and nothing else`,
      abacRule: anonymous
        ? { group: 'system:unauthenticated', nonResourcePath: path, readonly: true }
        : { user: APISERVER_HEALTHCHECK_USER, nonResourcePath: path, readonly: true },
    };
  return {
    kind: 'tcp',
    path,
    why: `no mode k8sm can model lets the check read ${path} (${modes.join(',')}): it only opens a TLS connection`,
  };
}
