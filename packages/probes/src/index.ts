export { describeQuorum, type Quorum, quorum } from '@k8sm/spec';
export {
  type CertificateThresholds,
  daysLeft,
  soonestCertificate,
  withCertificateThresholds,
} from './certificates.js';
export { credentialFix } from './credentials.js';
export { type Deadline, deadlineIn, remainingMs, timeLeft } from './deadline.js';
export { EndpointError } from './errors.js';
export {
  exitCodeOf,
  formatHtml,
  formatJson,
  formatJsonLine,
  formatNagios,
  formatPrometheus,
  formatTable,
  PROBE_FORMATS,
  type ProbeFormat,
  type ProbeReport,
  STATUS_CODE,
  type TableOptions,
  UNKNOWN_FORMATS,
  WATCH_FORMATS,
} from './formats/index.js';
export {
  type HaproxyServer,
  type HaproxyServerState,
  haproxyBackendVerdicts,
  parseHaproxyCsv,
  probeHaproxyStats,
  serverState,
} from './haproxy.js';
export {
  closeHttpAgents,
  getJson,
  type HttpOptions,
  type HttpReply,
  httpRequest,
  type PeerCertificate,
  peerCertificateOf,
  type TlsOptions,
} from './http.js';
export { type LatencyThresholds, withLatencyThresholds } from './latency.js';
export { type Discovery, discoveryOf, type ListedMember, type Membership } from './membership.js';
export {
  type FailureContext,
  fail,
  failureOf,
  type ProbeFailure,
  type ProbeFailureReason,
  type ProbeResult,
  redactUrl,
  timedOut,
} from './result.js';
export {
  type ApiserverProbe,
  type EtcdProbe,
  type MarathonProbe,
  type MesosAgentProbe,
  type MesosMasterProbe,
  parseVerboseChecks,
  probeApiserver,
  probeEtcd,
  probeMarathon,
  probeMesosAgent,
  probeMesosMaster,
} from './systems.js';
export {
  type Election,
  type EnsembleVerdict,
  ensembleVerdict,
  type MemberResult,
  noted,
  type SelfReport,
  type Status,
  worst,
} from './verdict.js';
export {
  type Endpoint,
  epochOfZxid,
  fourLetterWord,
  membershipOfConf,
  type ProbeOptions,
  parseMntr,
  parseSrvr,
  participantsOfConf,
  probeZookeeper,
  type ZookeeperEndpoint,
  type ZookeeperMode,
  type ZookeeperProbe,
  type ZookeeperStatus,
  zookeeperEndpoint,
} from './zookeeper.js';
