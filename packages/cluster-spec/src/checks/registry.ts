import { etcdClusterState, etcdTlsPki } from '../components/etcd/checks.js';
import {
  abacPolicy,
  apiserverPorts,
  clusterDns,
  k8smApiserverTls,
  k8smControllerManagerElection,
  k8smExecutorId,
  k8smSchedulers,
  kubernetesTlsPki,
  schedulerHosts,
} from '../components/kubernetes/checks.js';
import { marathonApp } from '../components/marathon/checks.js';
import {
  deprecatedFlag,
  flagValue,
  quorumAboveMajority,
  quorumNotMajority,
  quorumUnreachable,
} from '../components/mesos/checks.js';
import {
  zookeeperClientAddress,
  zookeeperClientLoopback,
  zookeeperDockerIds,
  zookeeperDockerPorts,
  zookeeperId,
} from '../components/zookeeper/checks.js';
import type { Finding, Severity } from '../findings.js';
import type { Members } from '../members.js';
import type { ClusterSpec } from '../schema.js';
import { cniNetwork } from './cni.js';
import type { CheckContext } from './definition.js';
import { dockerLoopLvm, dockerStorageOpts } from './docker.js';
import { derivedFlag, duplicateFlag, unknownFlag } from './flags.js';
import { initSystemUnsupported } from './init-systems.js';
import { cidrHostBits, cidrOverlap, loopbackMix, podCidrOutside, unusableHostAddress } from './networks.js';
import { duplicateAddress, portClash } from './ports.js';
import {
  duplicateHostName,
  duplicateRole,
  emptyEnsemble,
  evenEnsemble,
  haproxyUnrendered,
  missingDependency,
  missingSection,
  noRedundancy,
  overrideWithoutRole,
  zookeeperAmbiguous,
} from './topology.js';
import { etcdV2Api, storageBackend, unknownVersion } from './versions.js';

/** Every semantic check, in the order its findings are reported. */
export const CHECK_DEFINITIONS = [
  duplicateHostName,
  duplicateRole,
  overrideWithoutRole,
  missingSection,
  emptyEnsemble,
  zookeeperAmbiguous,
  missingDependency,
  haproxyUnrendered,
  noRedundancy,
  evenEnsemble,
  initSystemUnsupported,
  zookeeperId,
  zookeeperDockerIds,
  zookeeperDockerPorts,
  zookeeperClientAddress,
  zookeeperClientLoopback,
  quorumUnreachable,
  quorumNotMajority,
  quorumAboveMajority,
  unusableHostAddress,
  loopbackMix,
  duplicateAddress,
  portClash,
  cidrHostBits,
  cidrOverlap,
  podCidrOutside,
  clusterDns,
  unknownVersion,
  etcdV2Api,
  storageBackend,
  apiserverPorts,
  etcdTlsPki,
  etcdClusterState,
  schedulerHosts,
  k8smSchedulers,
  k8smExecutorId,
  k8smApiserverTls,
  k8smControllerManagerElection,
  abacPolicy,
  kubernetesTlsPki,
  dockerStorageOpts,
  dockerLoopLvm,
  cniNetwork,
  marathonApp,
  derivedFlag,
  duplicateFlag,
  unknownFlag,
  deprecatedFlag,
  flagValue,
] as const;

export type CheckId = (typeof CHECK_DEFINITIONS)[number]['id'];

export interface CheckInfo {
  readonly severity: Severity;
  readonly waivable: boolean;
  readonly about: string;
}

/** Each check's severity, whether it can be waived, and what it guards, by id. */
export const CHECKS: Readonly<Record<CheckId, CheckInfo>> = Object.fromEntries(
  CHECK_DEFINITIONS.map(({ id, severity, waivable, about }) => [id, { severity, waivable, about }]),
) as Record<CheckId, CheckInfo>;

/** All semantic findings of a schema-valid spec; none is dropped early, so all print at once. */
export function checkSpec(spec: ClusterSpec, members: Members): Finding[] {
  const findings: Finding[] = [];
  for (const { id, severity, run } of CHECK_DEFINITIONS) {
    const context: CheckContext = {
      spec,
      members,
      report: (path, message, fix) =>
        findings.push({ severity, check: id, path, message, ...(fix === undefined ? {} : { fix }) }),
    };
    run(context);
  }
  return findings;
}
