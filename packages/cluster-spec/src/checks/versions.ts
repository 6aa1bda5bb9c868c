import { ETCD_RELEASES } from '../components/etcd/facts.js';
import { HAPROXY_RELEASES } from '../components/haproxy/facts.js';
import { KUBERNETES_RELEASES } from '../components/kubernetes/facts.js';
import { MARATHON_RELEASES } from '../components/marathon/facts.js';
import { MESOS_RELEASES } from '../components/mesos/facts.js';
import { ZOOKEEPER_RELEASES } from '../components/zookeeper/facts.js';
import type { Component } from '../schema.js';
import { isKnownRelease, nearestReleases, type ReleaseTable, versionAtLeast } from '../version.js';
import { defineCheck } from './definition.js';

// Checks between the etcd and the Kubernetes versions (a check on one section's version lives
// with its component).

export const etcdV2Api = defineCheck({
  id: 'etcd-v2-api',
  severity: 'error',
  waivable: false,
  about: 'podmaster and the k8sm scheduler need the etcd v2 API',
  run: ({ spec, report }) => {
    const { etcd, kubernetes: k8s } = spec;
    if (!etcd) return;
    const v3_6 = versionAtLeast(etcd.version, '3.6');
    if (etcd.enableV2 === true && v3_6)
      report(
        ['etcd', 'enableV2'],
        `etcd ${etcd.version} has no v2 API (removed in 3.6)`,
        'run etcd 3.5 or older, or remove etcd.enableV2',
      );
    if (k8s?.flavor !== 'mesos') return;
    if (v3_6)
      report(
        ['etcd', 'version'],
        `Kubernetes on Mesos (kubernetes.flavor "mesos": podmaster and the k8sm scheduler --ha) needs the etcd v2 API, which etcd ${etcd.version} no longer has (removed in 3.6)`,
        'run etcd 3.5 or older (k8sm renders --enable-v2 for 3.4–3.5)',
      );
    else if (etcd.enableV2 === false && versionAtLeast(etcd.version, '3.0'))
      report(
        ['etcd', 'enableV2'],
        'etcd.enableV2 is false but Kubernetes on Mesos (podmaster, the k8sm scheduler) talks to etcd through the v2 API',
        'remove etcd.enableV2 (k8sm turns it on when needed)',
      );
  },
});

export const storageBackend = defineCheck({
  id: 'storage-backend',
  severity: 'error',
  waivable: false,
  about: 'the apiserver storage backend must match the etcd version',
  run: ({ spec, members, report }) => {
    const { etcd, kubernetes: k8s } = spec;
    if (!k8s || !etcd || members.k8sMasters.length === 0) return;
    // The etcd2 storage backend was deprecated in 1.9 and removed in 1.13 (kubernetes/kubernetes#69310).
    const etcd2 = !versionAtLeast(etcd.version, '3.0');
    if (etcd2 && versionAtLeast(k8s.version, '1.13'))
      report(
        ['etcd', 'version'],
        `Kubernetes ${k8s.version} cannot use etcd ${etcd.version}: the etcd2 storage backend was removed in Kubernetes 1.13`,
        'run etcd 3.x',
      );
    else if (etcd2 && k8s.storageBackend === 'etcd3')
      report(
        ['kubernetes', 'storageBackend'],
        `storageBackend "etcd3" needs etcd 3.x; etcd is ${etcd.version}`,
        'use "etcd2" or remove the key (k8sm picks etcd2 for etcd 2.x)',
      );
    else if (!etcd2 && k8s.storageBackend === 'etcd2' && versionAtLeast(k8s.version, '1.13'))
      report(
        ['kubernetes', 'storageBackend'],
        `Kubernetes ${k8s.version} has no etcd2 storage backend (removed in 1.13)`,
        'use "etcd3" or remove the key',
      );
  },
});

/** Each component's known releases (the tables and their sources are in its facts.ts). */
export const RELEASE_TABLES: Readonly<Record<Component, ReleaseTable>> = {
  zookeeper: ZOOKEEPER_RELEASES,
  mesos: MESOS_RELEASES,
  marathon: MARATHON_RELEASES,
  etcd: ETCD_RELEASES,
  kubernetes: KUBERNETES_RELEASES,
  haproxy: HAPROXY_RELEASES,
};

export const unknownVersion = defineCheck({
  id: 'unknown-version',
  severity: 'error',
  waivable: true,
  about:
    "a version that is not in k8sm's table of upstream releases (waive it for a release newer than the table)",
  run: ({ spec, report }) => {
    for (const component of Object.keys(RELEASE_TABLES) as Component[]) {
      const version = spec[component]?.version;
      const table = RELEASE_TABLES[component];
      if (version === undefined || isKnownRelease(table, version)) continue;
      const { below, above } = nearestReleases(table, version);
      const near = [below, above].filter((v) => v !== undefined).map((v) => `"${v}"`);
      report(
        [component, 'version'],
        `${table.component} ${version} is not a release k8sm knows${near.length > 0 ? ` (nearest known: ${near.join(' and ')})` : ''}: files and flags are chosen by version, so a mistyped one renders the wrong ones`,
        `write the release you run${below ? `, e.g. "${below}"` : ''}; if ${version} is a real release newer than k8sm's table, keep it and add "waive": { "unknown-version": "<why: e.g. ${table.component} ${version} released after k8sm's table>" }`,
      );
    }
  },
});
