export * from './artifacts.js';
export { CNI_PLUGIN_DIR, CNI_PLUGINS } from './checks/cni.js';
export type { CheckContext, CheckDefinition } from './checks/definition.js';
export { RELEASE_TABLES } from './checks/versions.js';
export {
  applyWaivers,
  CHECK_DEFINITIONS,
  CHECKS,
  type CheckId,
  type CheckInfo,
  checkSpec,
  checksMarkdownTable,
  type Waiver,
  withChecksTable,
} from './checks.js';
export {
  KUBE_DERIVED_FLAGS,
  type KubeDerivedFlag,
  type KubeLayout,
  kubeDerivedFrom,
  kubeLayout,
} from './components/kubernetes/derived-flags.js';
export {
  dockerDataRootKey,
  INSECURE_PORT_REMOVED,
  PODMASTER_IMAGE,
  usesKubeadmLayout,
} from './components/kubernetes/facts.js';
export * from './components/kubernetes/health-check.js';
export { MARATHON_DERIVED_FLAGS, type MarathonDerivedFlag } from './components/marathon/derived-flags.js';
export { MARATHON_BIND_VARIABLE } from './components/marathon/facts.js';
export {
  MESOS_DERIVED_FLAGS,
  type MesosDerivedFlag,
  type MesosKind,
} from './components/mesos/derived-flags.js';
export { MESOS_PACKAGE_ULIMIT, MESOS_WRAPPER_VARIABLES } from './components/mesos/facts.js';
export { dockerEnvFileLine, envFileLine, envFileQuote, envFileWords } from './config-formats/env-file.js';
export { gcfgValue } from './config-formats/gcfg.js';
export { haproxyQuotedText, haproxyWord } from './config-formats/haproxy.js';
export { type FlagFile, flagFile, flagPairs, pairFile } from './config-formats/mesos-flag-file.js';
export { propertiesLine } from './config-formats/properties.js';
export type { ConfigPlace } from './config-formats/refuse.js';
export { type SplitVariable, systemdExec, systemdValue } from './config-formats/systemd.js';
export { tomlString } from './config-formats/toml.js';
export { upstartDescription, upstartExec } from './config-formats/upstart.js';
export { plainYamlScalar, type YamlScalar, yamlBlock } from './config-formats/yaml-block.js';
export {
  DEFAULTS,
  defaultStorageBackend,
  ZOOKEEPER_PACKAGE,
  zookeeperAdminServerOnByDefault,
  zookeeperHasAdminServer,
} from './defaults.js';
export * from './errors.js';
export { IMAGE_PATTERN, PATH_PATTERN } from './fields.js';
export { type Finding, formatFinding, formatPath, type Severity } from './findings.js';
export { type DerivedFlagValues, type FlagValue, withExtraFlags } from './flag-line.js';
export * from './init-system.js';
export { specJsonSchema, specJsonSchemaText } from './json-schema.js';
export { KUBE_FLAGS, type KubeComponent, type KubeFlag } from './kube-flags.js';
export * from './members.js';
export { MESOS_AGENT_FLAGS, MESOS_COMMON_FLAGS, MESOS_MASTER_FLAGS, type MesosFlag } from './mesos-flags.js';
export { MONITORING_DEFAULTS, type MonitoringSpec } from './monitoring.js';
export { cidrContains, cidrsOverlap, isIPv4Address, parseCidr } from './net.js';
export { hasErrors, loadSpec, type SpecReport, specText } from './pipeline.js';
export * from './pki-layout.js';
export * from './plan.js';
export { describeQuorum, type Quorum, quorum } from './quorum.js';
export {
  ANSIBLE_STAGES,
  type AnsibleStage,
  COMPONENT_OF_ROLE,
  COMPONENT_REGISTRY,
  type ComponentEntry,
  type ProbeSystem,
  type ProbeTarget,
  probeTargetsOf,
} from './registry.js';
export type { InDocker, RuntimeImage } from './runtime-image.js';
export {
  type ClusterSpec,
  COMPONENTS,
  type Component,
  clusterSpecSchema,
  type EtcdSpec,
  type HaproxySpec,
  type HostSpec,
  type KubernetesSpec,
  type MarathonApp,
  type MarathonSpec,
  type MesosSpec,
  ROLES,
  type Role,
  type ZookeeperSpec,
} from './schema.js';
export { IGNORE_ALL, maskSecrets, redactUrl, SECRET_RULES, type SecretRule, secretIn } from './secrets.js';
export {
  type ShellLine,
  type ShellWord,
  sh,
  shComment,
  shContinued,
  shellQuote,
  shLines,
  shScript,
} from './shell.js';
export {
  type Position,
  parseSpecText,
  SPEC_LIMITS,
  type SpecPath,
  type SpecSource,
  specFormat,
} from './source.js';
export { renderTemplate } from './template.js';
export {
  compareVersions,
  isKnownRelease,
  knownReleases,
  nearestReleases,
  parseVersion,
  type ReleaseLine,
  type ReleaseTable,
  versionAtLeast,
} from './version.js';
