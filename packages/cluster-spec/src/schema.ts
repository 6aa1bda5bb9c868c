import * as z from 'zod';
import { DEFAULTS } from './defaults.js';
import { cidr, DNS_LABEL_PATTERN, hostName, ipv4, text } from './fields.js';
import { initSystemField } from './init-system.js';
import { monitoringSection } from './monitoring.js';
import { COMPONENT_REGISTRY } from './registry.js';

export const ROLES = [
  'zookeeper',
  'mesos-master',
  'mesos-agent',
  'marathon',
  'etcd',
  'k8s-master',
  'k8s-node',
  'haproxy',
] as const;
export type Role = (typeof ROLES)[number];

import { COMPONENTS, type Component } from './component-names.js';

export { COMPONENTS, type Component };

type Registry = typeof COMPONENT_REGISTRY;

/** `{ zookeeper: <its section>.optional(), … }` in COMPONENTS order (the JSON Schema's key order). */
function sections<K extends 'section' | 'hostSection'>(
  kind: K,
): { [C in Component]: z.ZodOptional<Registry[C][K]> } {
  return Object.fromEntries(COMPONENTS.map((c) => [c, COMPONENT_REGISTRY[c][kind].optional()])) as {
    [C in Component]: z.ZodOptional<Registry[C][K]>;
  };
}

const host = z.strictObject({
  name: hostName().meta({ description: 'Host name; also names its output tree hosts/<name>/' }),
  address: ipv4.meta({ description: 'IPv4 address the host is reached at and its daemons listen on' }),
  roles: z.array(z.enum(ROLES)).min(1, { error: 'give the host at least one role' }),
  initSystem: initSystemField().optional(),
  ...sections('hostSection'),
});

export const clusterSpecSchema = z
  .strictObject({
    $schema: text().optional(),
    name: z
      .string()
      .regex(DNS_LABEL_PATTERN, {
        error:
          'cluster names are DNS labels: lowercase letters, digits and dashes, starting and ending with a letter or digit, at most 63 characters',
      })
      .meta({ description: 'Cluster name; appears in every generated file header' }),
    description: text().optional(),
    hosts: z.array(host).min(1, { error: 'list at least one host' }),
    hostNetwork: cidr
      .meta({
        description:
          "The hosts' own network, e.g. 10.16.40.0/24 (optional): with it, a host address that is this network's network or broadcast address is refused",
      })
      .optional(),
    initSystem: initSystemField().optional(),
    ...sections('section'),
    rollout: z
      .strictObject({
        batch: z
          .union([
            z.number().int().min(1),
            z.string().regex(/^([1-9]\d?|100)%$/, { error: 'write a count or a percentage like "25%"' }),
          ])
          .meta({
            default: DEFAULTS.rollout.batch,
            description: 'Mesos agents and Kubernetes nodes updated at once by the Ansible playbook',
          }),
      })
      .partial()
      .optional(),
    monitoring: monitoringSection.optional(),
    waive: z
      .record(text(), text().min(1, { error: 'state why the check is waived' }))
      .meta({
        description:
          'Checks to waive, each with the reason, e.g. {"even-ensemble": "adding a 4th before removing one"}',
      })
      .optional(),
  })
  .meta({ title: 'k8sm cluster spec' });

export type ClusterSpec = z.infer<typeof clusterSpecSchema>;
export type HostSpec = ClusterSpec['hosts'][number];
export type { EtcdSpec } from './components/etcd/schema.js';
export type { HaproxySpec } from './components/haproxy/schema.js';
export type { KubernetesSpec } from './components/kubernetes/schema.js';
export type { MarathonApp, MarathonSpec } from './components/marathon/schema.js';
export type { MesosSpec } from './components/mesos/schema.js';
export type { ZookeeperSpec } from './components/zookeeper/schema.js';
