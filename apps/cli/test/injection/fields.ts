// The free-text fields of the spec, found by walking the JSON Schema generated from the zod schema
// (not a hand list), and how to put a value into each of them in a base spec.
import { COMPONENT_OF_ROLE, COMPONENTS, specJsonSchema } from '@k8sm/spec';

/** A property name, `[]` (an array's items), `<value>` (a map's values) or `<key>` (a map's keys). */
export type Segment = string;

export interface SpecField {
  /** e.g. `hosts[].zookeeper.dataDir`, `mesos.agent.attributes.<key>` */
  readonly template: string;
  readonly segments: readonly Segment[];
  readonly schemaDefault?: string;
  /** one of several shapes (anyOf): its siblings are left out when it is set */
  readonly alternative?: boolean;
}

export interface SkippedField {
  readonly template: string;
  readonly why: string;
}

type Node = Record<string, unknown>;
const isNode = (n: unknown): n is Node => n !== null && typeof n === 'object' && !Array.isArray(n);

export const templateOf = (segments: readonly Segment[]): string =>
  segments.reduce((out, s) => (s === '[]' ? `${out}[]` : out === '' ? s : `${out}.${s}`), '');

/** Every string leaf and free-form map key of the schema; strings with an enum or const are skipped (listed). */
export function stringFields(schema: Node = specJsonSchema()): {
  fields: SpecField[];
  skipped: SkippedField[];
} {
  const fields = new Map<string, SpecField>();
  const skipped = new Map<string, SkippedField>();
  const walk = (n: unknown, at: readonly Segment[], alternative = false) => {
    if (!isNode(n)) return;
    for (const k of ['anyOf', 'oneOf'] as const)
      if (Array.isArray(n[k])) for (const v of n[k] as unknown[]) walk(v, at, true);
    if (Array.isArray(n.allOf)) for (const v of n.allOf as unknown[]) walk(v, at);
    if (isNode(n.properties))
      for (const [k, v] of Object.entries(n.properties))
        walk(v, [...at, k], alternative && n.type === 'object');
    if (isNode(n.additionalProperties)) {
      const keys = isNode(n.propertyNames) ? n.propertyNames : { type: 'string' };
      walk(keys, [...at, '<key>']);
      walk(n.additionalProperties, [...at, '<value>']);
    }
    if (n.items !== undefined) walk(n.items, [...at, '[]']);
    const types = Array.isArray(n.type) ? n.type : [n.type];
    if (!types.includes('string')) return;
    const template = templateOf(at);
    if (n.enum !== undefined || n.const !== undefined) skipped.set(template, { template, why: 'enum/const' });
    else
      fields.set(template, {
        template,
        segments: at,
        ...(typeof n.default === 'string' ? { schemaDefault: n.default } : {}),
        ...(alternative ? { alternative } : {}),
      });
  };
  walk(schema, []);
  return { fields: [...fields.values()], skipped: [...skipped.values()] };
}

/** The component a field belongs to: `zookeeper.dataDir` and `hosts[].zookeeper.dataDir` are ZooKeeper's. */
export function componentOf(field: SpecField): string | undefined {
  const [a, b, c] = field.segments;
  const name = a === 'hosts' && b === '[]' ? c : a;
  return (COMPONENTS as readonly string[]).includes(name ?? '') ? name : undefined;
}

/** The values a component's `runtime` field takes, from the schema; [] when it has none. */
export function runtimesOf(component: string, schema: Node = specJsonSchema()): string[] {
  const props = (schema.properties as Node)[component];
  const runtime = isNode(props) && isNode(props.properties) ? props.properties.runtime : undefined;
  return isNode(runtime) && Array.isArray(runtime.enum) ? (runtime.enum as string[]) : [];
}

// What a field needs besides a value: an element of an empty array, a key of an empty map. Keyed
// by the template of the container. A new array or map without an entry here cannot be placed, and
// the matrix test says so.
const ARRAY_SEEDS: Record<string, unknown> = {
  'marathon.apps': { id: '/web', cmd: 'python3 -m http.server 8000', instances: 1, cpus: 0.1, mem: 64 },
  'marathon.apps[].healthChecks': { protocol: 'HTTP', path: '/health' },
  'marathon.apps[].docker.portMappings': { containerPort: 80 },
  'kubernetes.abacPolicy': { user: 'admin', namespace: '*', resource: '*', apiGroup: '*' },
};
const MAP_KEYS: Record<string, string> = {
  'hosts[].mesos.master.flags': 'registry_fetch_timeout',
  'hosts[].mesos.agent.flags': 'gc_delay',
  'hosts[].mesos.agent.attributes': 'rack',
  'hosts[].mesos.agent.resources': 'cpus',
  'hosts[].marathon.flags': 'task_launch_timeout',
  'mesos.master.flags': 'registry_fetch_timeout',
  'mesos.agent.flags': 'gc_delay',
  'mesos.agent.attributes': 'rack',
  'mesos.agent.resources': 'cpus',
  'marathon.flags': 'task_launch_timeout',
  'marathon.apps[].env': 'GREETING',
  'kubernetes.extraArgs.apiserver': 'audit-log-path',
  'kubernetes.extraArgs.controllerManager': 'node-monitor-period',
  'kubernetes.extraArgs.scheduler': 'log-dir',
  'kubernetes.extraArgs.kubelet': 'root-dir',
  'kubernetes.extraArgs.proxy': 'log-dir',
  waive: 'no-redundancy',
};
/** A plausible value for a field the bases leave out and the schema gives no default for. */
const PLAUSIBLE: Record<string, string> = {
  description: 'a demo cluster',
  $schema: './k8sm-spec.schema.json',
  hostNetwork: '10.16.40.0/24',
  'hosts[].zookeeper.dataLogDir': '/var/lib/zookeeper-log',
  'hosts[].zookeeper.clientPortAddress': '10.16.40.1',
  'hosts[].zookeeper.adminServer.address': '10.16.40.1',
  'hosts[].mesos.workDir': '/var/lib/mesos',
  'hosts[].mesos.logDir': '/var/log/mesos',
  'hosts[].mesos.agent.workDir': '/var/lib/mesos-agent',
  'hosts[].mesos.agent.isolation[]': 'cgroups/cpu',
  'hosts[].mesos.master.flags.<value>': '10secs',
  'hosts[].mesos.agent.flags.<value>': '2days',
  'hosts[].mesos.agent.attributes.<value>': 'r1',
  'hosts[].mesos.agent.resources.<value>': '4',
  'hosts[].marathon.flags.<value>': '300000',
  'hosts[].etcd.dataDir': '/var/lib/etcd',
  'hosts[].kubernetes.podCidr': '10.0.9.0/24',
  'zookeeper.image': 'mesoscloud/zookeeper:3.4.6-ubuntu-14.04',
  'zookeeper.dataLogDir': '/var/lib/zookeeper-log',
  'zookeeper.clientPortAddress': '0.0.0.0',
  'zookeeper.adminServer.address': '127.0.0.1',
  'mesos.image': 'mesoscloud/mesos-master:0.24.1-ubuntu-14.04',
  'mesos.externalZookeeper': '10.16.40.1:2181',
  'mesos.cluster': 'demo',
  'mesos.workDir': '/var/lib/mesos',
  'mesos.logDir': '/var/log/mesos',
  'mesos.agent.workDir': '/var/lib/mesos-agent',
  'mesos.agent.isolation[]': 'cgroups/cpu',
  'mesos.agent.dockerDaemonArgs[]': '--insecure-registry=10.0.0.5:5000',
  'mesos.agent.image': 'mesosphere/mesos-slave-dind:0.2.4_mesos-0.24.0_docker-1.8.2_ubuntu-14.04.3',
  'mesos.master.flags.<value>': '10secs',
  'mesos.agent.flags.<value>': '2days',
  'mesos.agent.attributes.<value>': 'r1',
  'mesos.agent.resources.<value>': '4',
  'kubernetes.abacPolicy[].group': 'system:authenticated',
  'marathon.apps[].id': '/web',
  'marathon.apps[].cmd': 'python3 -m http.server 8000',
  'marathon.apps[].docker.image': 'nginx:1.25',
  'marathon.apps[].env.<value>': 'hello',
  'marathon.apps[].healthChecks[].path': '/health',
  'marathon.apps[].healthChecks[].command': 'curl -f http://localhost:8000/',
  'marathon.image': 'mesosphere/marathon:v1.11.24',
  'marathon.flags.<value>': '300000',
  'etcd.image': 'quay.io/coreos/etcd:v3.1.0',
  'etcd.token': 'demo-etcd',
  'kubernetes.image': 'mesosphere/kubernetes:v0.7.2-v1.1.5',
  'kubernetes.clusterCidr': '10.0.0.0/16',
  'kubernetes.clusterDns': '10.254.0.10',
  'kubernetes.clusterDomain': 'cluster.local',
  'kubernetes.scheduler.hosts[]': 'k8s-master1',
  'kubernetes.kmPath': 'http://10.0.0.5/km',
  'kubernetes.scheduler.advertisedAddress': '10.0.0.5:10251',
  'kubernetes.podmasterImage': 'zhpooer/podmaster:1.1',
  'kubernetes.docker.insecureRegistries[]': '10.0.0.5:5000',
  'kubernetes.docker.registryMirrors[]': 'http://10.0.0.5:5000',
  'kubernetes.extraArgs.apiserver.<value>': '/var/log/kubernetes/audit.log',
  'kubernetes.extraArgs.controllerManager.<value>': '5s',
  'kubernetes.extraArgs.scheduler.<value>': '/var/log/kubernetes',
  'kubernetes.extraArgs.kubelet.<value>': '/var/lib/kubelet',
  'kubernetes.extraArgs.proxy.<value>': '/var/log/kubernetes',
  'haproxy.image': 'library/haproxy:2.6',
  'haproxy.stats.address': '10.0.0.5',
  'haproxy.stats.user': 'admin',
  'haproxy.stats.password.env': 'HAPROXY_STATS_PASSWORD',
  'haproxy.stats.password.file': 'stats-password',
  'haproxy.template': 'haproxy.template',
  'etcd.tls.pkiDir': 'pki',
  'kubernetes.pkiDir': 'pki',
  'rollout.batch': '25%',
  'waive.<value>': 'a lab cluster',
};

export interface Placement {
  /** the spec with the value in place */
  readonly spec: Node;
  /** the JSON path of the field, as findings give it */
  readonly path: readonly (string | number)[];
}

const clone = (v: unknown): Node => structuredClone(v) as Node;

/** The host a `hosts[]` field goes on: the first with a role of the field's component (else the first). */
function hostIndex(hosts: readonly Node[], component: string | undefined): number {
  const i = hosts.findIndex((h) =>
    (h.roles as string[]).some((r) => (COMPONENT_OF_ROLE as Record<string, string>)[r] === component),
  );
  return Math.max(i, 0);
}

/** The value a base spec already has at a field, if any: the plausible value to embed payloads in. */
export function existingValue(base: Node, field: SpecField): string | undefined {
  const at = locate(clone(base), field, undefined);
  return typeof at === 'string' ? at : undefined;
}

/** A plausible value for the field, from the base, the schema's default or the table above. */
export function plausibleValue(base: Node, field: SpecField): string | undefined {
  return existingValue(base, field) ?? field.schemaDefault ?? PLAUSIBLE[field.template];
}

/**
 * Walks the field's path in spec, creating what is missing; with a value, sets it and returns the
 * JSON path; without, returns what is there. Throws with the reason when the path cannot be made.
 */
function locate(spec: Node, field: SpecField, value: string | undefined): unknown {
  const path: (string | number)[] = [];
  let node: unknown = spec;
  const segs = field.segments;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i] as string;
    const last = i === segs.length - 1;
    const here = templateOf(segs.slice(0, i));
    if (seg === '[]') {
      if (!Array.isArray(node)) throw new Error(`${here} is not an array`);
      const index = here === 'hosts' ? hostIndex(node as Node[], segs[i + 1]) : 0;
      if (last) {
        if (value === undefined) return node[index];
        node[index] = value;
      } else if (node.length === 0) {
        const seed = ARRAY_SEEDS[here];
        if (seed === undefined) throw new Error(`${here} is empty and has no seed element`);
        node.push(structuredClone(seed));
      }
      path.push(index);
      node = node[index];
      continue;
    }
    if (!isNode(node)) throw new Error(`${here || '(spec)'} is not a mapping`);
    if (seg === '<value>' || seg === '<key>') {
      const key = MAP_KEYS[here] ?? Object.keys(node)[0];
      if (key === undefined) throw new Error(`${here} is an empty map with no seed key`);
      if (seg === '<value>') {
        if (value === undefined) return node[key];
        node[key] = value;
        path.push(key);
      } else {
        if (value === undefined) return key;
        const entry = node[key] ?? PLAUSIBLE[`${here}.<value>`];
        if (entry === undefined) throw new Error(`${here} has no plausible value for a new key`);
        delete node[key];
        node[value] = entry;
        path.push(value);
      }
      return path;
    }
    path.push(seg);
    if (last) {
      if (value === undefined) return node[seg];
      if (field.alternative) for (const k of Object.keys(node)) delete node[k];
      node[seg] = value;
      return path;
    }
    if (node[seg] === undefined) node[seg] = segs[i + 1] === '[]' ? [] : {};
    node = node[seg];
  }
  return path;
}

/** What a field needs changed elsewhere in a base before it can be set at all. */
const PREPARE: Record<string, (spec: Node) => void> = {
  // an external ensemble is refused next to hosts with the zookeeper role
  'mesos.externalZookeeper': (spec) => {
    delete spec.zookeeper;
    for (const h of spec.hosts as Node[]) h.roles = (h.roles as string[]).filter((r) => r !== 'zookeeper');
  },
};

/** The base with the value in the field, and where the field is. */
export function place(base: Node, field: SpecField, value: string): Placement {
  const spec = clone(base);
  PREPARE[field.template]?.(spec);
  const path = locate(spec, field, value) as (string | number)[];
  return { spec, path };
}

/** The base with `runtime` set to the given value on the given components. */
export function withRuntime(base: Node, components: readonly string[], runtime: string | undefined): Node {
  const spec = clone(base);
  if (runtime === undefined) return spec;
  for (const c of components) if (isNode(spec[c])) (spec[c] as Node).runtime = runtime;
  // k8sm's HA example on the package runtime has no controller-manager election (a refusal of its
  // own, waivable); the matrix is about quoting, so it accepts that
  const k8s = spec.kubernetes;
  if (runtime === 'package' && isNode(k8s) && k8s.flavor === 'mesos')
    spec.waive = {
      ...(isNode(spec.waive) ? spec.waive : {}),
      'k8sm-controller-manager-election': 'the injection matrix checks quoting, not election',
    };
  return spec;
}
