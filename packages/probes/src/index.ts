export { describeQuorum, type Quorum, quorum } from '@k8sm/spec';
export {
  exitCodeOf,
  formatJson,
  formatNagios,
  formatPrometheus,
  formatTable,
  PROBE_FORMATS,
  type ProbeFormat,
  type ProbeReport,
  STATUS_CODE,
  UNKNOWN_FORMATS,
} from './formats/index.js';
export {
  closeHttpAgents,
  getJson,
  type HttpOptions,
  type HttpReply,
  httpRequest,
  type TlsOptions,
} from './http.js';
export {
  fail,
  failureOf,
  type ProbeFailure,
  type ProbeFailureReason,
  type ProbeResult,
  redactUrl,
} from './result.js';
export {
  type ApiserverProbe,
  type EtcdProbe,
  type HaproxyServer,
  type MarathonProbe,
  type MesosMasterProbe,
  parseHaproxyCsv,
  parseVerboseChecks,
  probeApiserver,
  probeEtcd,
  probeHaproxyStats,
  probeMarathon,
  probeMesosMaster,
} from './systems.js';
export { type EnsembleVerdict, ensembleVerdict, type MemberResult, type Status, worst } from './verdict.js';
export {
  type Endpoint,
  fourLetterWord,
  type ProbeOptions,
  parseMntr,
  parseSrvr,
  probeZookeeper,
  type ZookeeperMode,
  type ZookeeperProbe,
  type ZookeeperStatus,
} from './zookeeper.js';
