import {
  CNI_PLUGIN_DIR,
  CNI_PLUGINS,
  DEFAULT_INIT_SYSTEM,
  dockerDataRootKey,
  enableServices,
  generatedHeader,
  type KubernetesPlan,
  reloadServiceDefinitions,
  restartServices,
  sh,
  systemdExec,
  systemdValue,
} from '@k8sm/spec';
import { type Artifact, file, kubeadmLayout, step } from './common.js';

const ROUTES_UNIT = '/etc/systemd/system/k8sm-pod-routes.service';
const ROUTES_TABLE = '/etc/k8sm/pod-routes';

/**
 * `/etc/docker/daemon.json` of every node (the 1.6 guide's settings, bip from the node's pod
 * range) and, for per-node pod ranges without an overlay (kubernetes-ansible), a oneshot unit on
 * every host that routes each other node's range to that node.
 */
export function renderPodNetwork(specName: string, k8s: KubernetesPlan): Artifact[] {
  const out: Artifact[] = [];
  // In the kubeadm layout the kubelet talks to containerd, and pods get their addresses from
  // CNI: the node's range goes to a bridge network config instead of docker's bip.
  const cni = kubeadmLayout(k8s);
  for (const n of k8s.nodes) {
    const range = n.podCidr;
    if (cni) {
      if (range)
        out.push(
          file(
            n.host,
            '/etc/cni/net.d/10-k8sm-bridge.conflist',
            `${JSON.stringify(cniBridge(specName, range), null, 2)}\n`,
          ),
          // nothing here installs the plugins: say so where the operator looks, without failing
          step(
            n.host,
            404,
            sh`for plugin in ${[...CNI_PLUGINS]}; do [ -x ${CNI_PLUGIN_DIR}/"$plugin" ] || echo "k8sm: warning: the CNI plugin $plugin is missing from" ${CNI_PLUGIN_DIR} "(install containernetworking/plugins there, or pods on this node get no network)" >&2; done`,
          ),
        );
      continue;
    }
    const d = k8s.docker;
    const bridge = k8s.podNetwork.bridges[n.host];
    const daemon = {
      ...(bridge ? { bip: bridge } : {}),
      ...(d.mtu !== undefined ? { mtu: d.mtu } : {}),
      ...(d.ipMasq !== undefined ? { 'ip-masq': d.ipMasq } : {}),
      ...(d.iptables !== undefined ? { iptables: d.iptables } : {}),
      ...(d.storageDriver ? { 'storage-driver': d.storageDriver } : {}),
      ...(d.storageOpts?.length ? { 'storage-opts': d.storageOpts } : {}),
      ...(d.dataRoot ? { [dockerDataRootKey(d.version)]: d.dataRoot } : {}),
      ...(d.liveRestore !== undefined ? { 'live-restore': d.liveRestore } : {}),
      ...(d.cgroupDriver ? { 'exec-opts': [`native.cgroupdriver=${d.cgroupDriver}`] } : {}),
      ...(d.registryMirrors?.length ? { 'registry-mirrors': d.registryMirrors } : {}),
      ...(d.insecureRegistries?.length ? { 'insecure-registries': d.insecureRegistries } : {}),
    };
    // JSON has no comments: daemon.json carries no generated-by header.
    if (Object.keys(daemon).length > 0) {
      out.push(file(n.host, '/etc/docker/daemon.json', `${JSON.stringify(daemon, null, 2)}\n`));
      out.push(step(n.host, 405, restartServices(n.initSystem, ['docker'])));
    }
  }
  if (k8s.podNetwork.routes.length === 0) return out;
  // One table, the same string on every host (so one copy in memory however many hosts); each
  // host's unit skips its own range.
  const table = `${k8s.podNetwork.routes.map((r) => `${r.cidr} ${r.via}`).join('\n')}\n`;
  const address = new Map([...k8s.masters, ...k8s.nodes].map((m) => [m.host, m.address]));
  const initSystem = new Map([...k8s.masters, ...k8s.nodes].map((m) => [m.host, m.initSystem]));
  for (const host of k8s.podNetwork.hosts) {
    const self = address.get(host) ?? '';
    const init = initSystem.get(host) ?? DEFAULT_INIT_SYSTEM;
    const lines = [
      generatedHeader(specName),
      '[Unit]',
      `Description=${systemdValue(ROUTES_UNIT, 'Description', `Routes to the pod ranges of the other Kubernetes nodes of ${specName}`)}`,
      'After=network-online.target',
      'Wants=network-online.target',
      '',
      '[Service]',
      'Type=oneshot',
      'RemainAfterExit=yes',
      // the host's address and the table reach sh as arguments ($0, $1), never as script text
      `ExecStart=${systemdExec(ROUTES_UNIT, 'ExecStart', [
        '/bin/sh',
        '-c',
        'while read -r cidr via; do [ "$via" = "$0" ] || /sbin/ip route replace "$cidr" via "$via"; done < "$1"',
        self,
        ROUTES_TABLE,
      ])}`,
      '',
      '[Install]',
      'WantedBy=multi-user.target',
      '',
    ];
    out.push(
      file(host, ROUTES_TABLE, table),
      file(host, ROUTES_UNIT, lines.join('\n')),
      step(host, 401, reloadServiceDefinitions(init)),
      step(host, 402, enableServices(init, ['k8sm-pod-routes'])),
      step(host, 403, restartServices(init, ['k8sm-pod-routes'])),
    );
  }
  return out;
}

/** The CNI bridge of a node's own pod range (host-local addresses, masquerade to the outside). */
function cniBridge(specName: string, range: string) {
  return {
    cniVersion: '1.0.0',
    name: specName,
    plugins: [
      {
        type: 'bridge',
        bridge: 'cni0',
        isGateway: true,
        ipMasq: true,
        ipam: { type: 'host-local', ranges: [[{ subnet: range }]], routes: [{ dst: '0.0.0.0/0' }] },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
}
