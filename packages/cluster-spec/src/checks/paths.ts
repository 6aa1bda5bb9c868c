import type { ClusterSpec, Component } from '../schema.js';
import type { SpecPath } from '../source.js';

/** Path of a setting: the host's own section when it sets it, else the cluster section. */
export function settingPath(
  spec: ClusterSpec,
  hostIndex: number,
  component: Component,
  keys: string[],
): SpecPath {
  let own: unknown = spec.hosts[hostIndex]?.[component];
  for (const key of keys)
    own = own && typeof own === 'object' ? (own as Record<string, unknown>)[key] : undefined;
  return own === undefined ? [component, ...keys] : ['hosts', hostIndex, component, ...keys];
}

/** `kubernetes.serviceClusterIpRange`, `hosts[1].kubernetes.podCidr`: a path as a fix names it. */
export function formatPathShort(path: SpecPath): string {
  return path
    .map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`))
    .join('')
    .replace(/^\./, '');
}
