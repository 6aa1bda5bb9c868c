import { optional } from '../../member-base.js';
import type { Members } from '../../members.js';
import { type Quorum, quorum } from '../../quorum.js';
import { type RuntimeImage, runtimeImage } from '../../runtime-image.js';
import type { ClusterSpec } from '../../schema.js';
import { ETCD_DEFAULTS as D, etcdHasV2Switch, etcdImage, etcdMemberList } from './facts.js';
import type { EtcdMember } from './members.js';

export type EtcdPlan = EtcdSettings & RuntimeImage;

interface EtcdSettings {
  readonly version: string;
  readonly clientScheme: 'http' | 'https';
  readonly peerScheme: 'http' | 'https';
  readonly token: string;
  readonly legacyPorts: boolean;
  /** serve the v2 API: needed by podmaster and the k8sm scheduler, possible up to 3.5 */
  readonly enableV2: boolean;
  readonly tls?: { readonly client: boolean; readonly peer: boolean; readonly pkiDir?: string };
  readonly members: readonly (EtcdMember & {
    readonly name: string;
    readonly clientUrls: readonly string[];
    readonly peerUrls: readonly string[];
  })[];
  /**
   * `name=http://10.0.0.1:2380,…`, one entry per advertised peer URL of each member
   * (`name=url1,name=url2` with legacy ports): etcd refuses to bootstrap unless a member's
   * `--initial-advertise-peer-urls` equal its entries here (etcdserver VerifyBootstrap).
   */
  readonly initialCluster: string;
  /** one URL per member, each with its scheme: apiserver --etcd-servers, podmaster, k8sm scheduler */
  readonly clientUrls: readonly string[];
  readonly quorum: Quorum;
  /** how the rollout gates list the members: the path and method that version answers */
  readonly memberList: { readonly method: 'GET' | 'POST'; readonly path: string };
}

export function planEtcd(spec: ClusterSpec, members: Members): EtcdPlan | undefined {
  const etcd = spec.etcd;
  if (!etcd || members.etcd.length === 0) return undefined;
  const tls = etcd.tls;
  const clientScheme = tls?.client ? 'https' : 'http';
  const peerScheme = tls?.peer ? 'https' : 'http';
  const legacyPorts = etcd.legacyPorts ?? D.legacyPorts;
  const planned = members.etcd.map((m) => {
    const clientUrls = [`${clientScheme}://${m.address}:${m.clientPort}`];
    const peerUrls = [`${peerScheme}://${m.address}:${m.peerPort}`];
    if (legacyPorts) {
      clientUrls.push(`${clientScheme}://${m.address}:${D.legacyClientPort}`);
      peerUrls.push(`${peerScheme}://${m.address}:${D.legacyPeerPort}`);
    }
    return { ...m, name: m.host, clientUrls, peerUrls };
  });
  // podmaster and the k8sm scheduler (--ha) use the v2 API: off by default from etcd 3.4.
  const needsV2 = spec.kubernetes?.flavor === 'mesos';
  return {
    version: etcd.version,
    ...runtimeImage(etcd.runtime ?? D.runtime, etcd.image, () => etcdImage(etcd.version)),
    clientScheme,
    peerScheme,
    token: etcd.token ?? `${spec.name}-etcd`,
    legacyPorts,
    enableV2: etcdHasV2Switch(etcd.version) && (etcd.enableV2 ?? needsV2),
    ...optional(
      'tls',
      tls
        ? { client: tls.client ?? false, peer: tls.peer ?? false, ...optional('pkiDir', tls.pkiDir) }
        : undefined,
    ),
    members: planned,
    initialCluster: planned.flatMap((m) => m.peerUrls.map((url) => `${m.name}=${url}`)).join(','),
    clientUrls: planned.map((m) => m.clientUrls[0] ?? ''),
    quorum: quorum(planned.length),
    memberList: etcdMemberList(etcd.version),
  };
}
