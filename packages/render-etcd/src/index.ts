import {
  type Artifact,
  type ClusterPlan,
  type CommandArtifact,
  ETCD_CA,
  ETCD_HEALTHCHECK_CLIENT,
  ETCD_HOST_PKI_DIR,
  ETCD_HOST_TLS,
  type EtcdPlan,
  enableServices,
  envFileLine,
  etcdPeerCert,
  etcdServerCert,
  type FileArtifact,
  generatedHeader,
  type InDocker,
  type PkiContents,
  pkiFile,
  reloadServiceDefinitions,
  renderTemplate,
  restartServices,
  type ShellLine,
  sh,
  shComment,
  shContinued,
  shLines,
  systemdValue,
  versionAtLeast,
} from '@k8sm/spec';
import { ETCD_UNIT } from './templates.js';

export { MissingPkiFileError, type PkiContents } from '@k8sm/spec';

/** The part of the cluster plan this renderer reads; it derives nothing else. */
export type EtcdPlanSlice = Pick<ClusterPlan, 'name' | 'etcd'>;

export type EtcdMemberPlan = EtcdPlan['members'][number];

export const ETCD_CONF = '/etc/etcd/etcd.conf';
/** Where the etcd PKI lives on an etcd host: the spec's pki-layout owns the placements. */
export const ETCD_SSL_DIR = ETCD_HOST_PKI_DIR;
const UNIT_PATH = '/etc/systemd/system/etcd.service';

export { ETCD_HOST_TLS };

/** Every etcd file and command, for every member host. `pki` is needed when TLS is on. */
export function renderEtcd(slice: EtcdPlanSlice, pki: PkiContents = {}): Artifact[] {
  const etcd = slice.etcd;
  if (!etcd) return [];
  return etcd.members.flatMap((m) => [
    ...tlsFiles(etcd, m, pki),
    ...(etcd.runtime === 'docker' ? dockerMember(slice.name, etcd, m) : packageMember(slice.name, etcd, m)),
  ]);
}

/**
 * The options of one member, by etcd's long name. One list feeds both forms, flags and ETCD_*
 * variables, so the two cannot drift; a member gets one form only (both is fatal from 3.4).
 */
export function etcdOptions(etcd: EtcdPlan, m: EtcdMemberPlan): [string, string][] {
  const options: [string, string][] = [
    ['name', m.name],
    ['data-dir', m.dataDir],
    ['listen-peer-urls', m.peerUrls.join(',')],
    ['initial-advertise-peer-urls', m.peerUrls.join(',')],
    ['listen-client-urls', m.clientUrls.join(',')],
    ['advertise-client-urls', m.clientUrls.join(',')],
    ['initial-cluster', etcd.initialCluster],
    ['initial-cluster-token', etcd.token],
    ['initial-cluster-state', m.initialClusterState],
  ];
  // --enable-v2 defaults to false from 3.4; the plan only sets it where the flag exists.
  if (etcd.enableV2) options.push(['enable-v2', 'true']);
  if (etcd.tls?.client)
    options.push(
      ['cert-file', ETCD_HOST_TLS.cert],
      ['key-file', ETCD_HOST_TLS.key],
      ['trusted-ca-file', ETCD_HOST_TLS.ca],
      ['client-cert-auth', 'true'],
    );
  if (etcd.tls?.peer)
    options.push(
      ['peer-cert-file', ETCD_HOST_TLS.peerCert],
      ['peer-key-file', ETCD_HOST_TLS.peerKey],
      ['peer-trusted-ca-file', ETCD_HOST_TLS.ca],
      ['peer-client-cert-auth', 'true'],
    );
  return options;
}

/** The command-line words after the binary: single-dash for 2.x as its guides wrote them, else `--`. */
export function etcdFlags(etcd: EtcdPlan, m: EtcdMemberPlan): string[] {
  const dash = versionAtLeast(etcd.version, '3.0') ? '--' : '-';
  return etcdOptions(etcd, m).map(([k, v]) => `${dash}${k}=${v}`);
}

/** `/etc/etcd/etcd.conf`: ETCD_<OPTION>=value lines that the unit loads with EnvironmentFile=. */
export function renderEtcdEnvFile(specName: string, etcd: EtcdPlan, m: EtcdMemberPlan): string {
  const lines = [
    generatedHeader(specName),
    `# etcd ${etcd.version}, member ${m.name} of ${etcd.members.length} (${etcd.quorum.majority} needed for quorum)`,
    '# Loaded by etcd.service; do not also pass these as flags (fatal from etcd 3.4).',
    ...etcdOptions(etcd, m).map(([k, v]) =>
      envFileLine(ETCD_CONF, `ETCD_${k.toUpperCase().replaceAll('-', '_')}`, v),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

function tlsFiles(etcd: EtcdPlan, m: EtcdMemberPlan, pki: PkiContents): FileArtifact[] {
  if (!etcd.tls?.client && !etcd.tls?.peer) return [];
  const from = (pkiPath: string, hostPath: string, mode: number): FileArtifact => {
    return {
      kind: 'file',
      host: m.host,
      path: hostPath,
      mode,
      content: pkiFile(pki, pkiPath),
      component: 'etcd',
    };
  };
  const T = ETCD_HOST_TLS;
  return [
    from(`${ETCD_CA}.crt`, T.ca, 0o644),
    from(`${etcdServerCert(m.name)}.crt`, T.cert, 0o644),
    from(`${etcdServerCert(m.name)}.key`, T.key, 0o600),
    from(`${etcdPeerCert(m.name)}.crt`, T.peerCert, 0o644),
    from(`${etcdPeerCert(m.name)}.key`, T.peerKey, 0o600),
    from(`${ETCD_HEALTHCHECK_CLIENT}.crt`, T.healthcheckCert, 0o644),
    from(`${ETCD_HEALTHCHECK_CLIENT}.key`, T.healthcheckKey, 0o600),
  ];
}

const step =
  (host: string) =>
  (order: number, command: ShellLine): CommandArtifact => ({
    kind: 'command',
    host,
    order,
    command,
    component: 'etcd',
  });

function packageMember(specName: string, etcd: EtcdPlan, m: EtcdMemberPlan): Artifact[] {
  const file = (path: string, content: string): FileArtifact => ({
    kind: 'file',
    host: m.host,
    path,
    mode: 0o644,
    content,
    component: 'etcd',
  });
  const at = step(m.host);
  const tls = Boolean(etcd.tls?.client || etcd.tls?.peer);
  return [
    file(ETCD_CONF, renderEtcdEnvFile(specName, etcd, m)),
    file(
      UNIT_PATH,
      renderTemplate(ETCD_UNIT, {
        header: generatedHeader(specName),
        description: systemdValue(
          UNIT_PATH,
          'Description',
          `etcd ${etcd.version}, member ${m.name} of ${specName}`,
        ),
        envFile: systemdValue(UNIT_PATH, 'EnvironmentFile', ETCD_CONF),
      }),
    ),
    // etcd checks the data dir is 0700 from 3.4.10 (CVE-2020-15113).
    at(300, sh`install -d -o etcd -g etcd -m 0700 ${m.dataDir}`),
    ...(tls ? [at(301, sh`chown -R etcd:etcd ${ETCD_SSL_DIR}`)] : []),
    at(310, reloadServiceDefinitions(m.initSystem)),
    at(311, enableServices(m.initSystem, ['etcd'])),
    at(312, restartServices(m.initSystem, ['etcd'])),
  ];
}

/** The guides' `docker run`: host networking, the data dir mounted where etcd writes it. */
function dockerMember(specName: string, etcd: InDocker<EtcdPlan>, m: EtcdMemberPlan): Artifact[] {
  const v3 = versionAtLeast(etcd.version, '3.0');
  const tls = Boolean(etcd.tls?.client || etcd.tls?.peer);
  // The 2.x images have ENTRYPOINT /etcd; the 3.x images have none and keep etcd in /usr/local/bin.
  const words = [
    sh`docker run -d --name etcd --net host --restart always`,
    sh`-v ${m.dataDir}:${m.dataDir}`,
    ...(tls ? [sh`-v ${ETCD_SSL_DIR}:${ETCD_SSL_DIR}:ro`] : []),
    sh`${etcd.image}`,
    ...(v3 ? [sh`/usr/local/bin/etcd`] : []),
    ...etcdFlags(etcd, m).map((flag) => sh`${flag}`),
  ];
  const at = step(m.host);
  return [
    at(300, sh`mkdir -p ${m.dataDir}`),
    at(
      301,
      shLines([
        shComment(`# ${specName}: etcd member ${m.name} of ${etcd.members.length}`),
        sh`docker rm -f etcd >/dev/null 2>&1 || true`,
      ]),
    ),
    at(302, shContinued(words)),
  ];
}
