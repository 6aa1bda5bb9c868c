import { DEFAULTS } from '../defaults.js';
import { hostInitSystem } from '../init-system.js';
import type { ClusterSpec, Role } from '../schema.js';
import { defineCheck } from './definition.js';
import { formatPathShort } from './paths.js';

/**
 * What a role needs from upstart that k8sm cannot give: ZooKeeper, Mesos and Marathon run on
 * upstart (the packages ship /etc/init jobs for Mesos and Marathon, k8sm writes ZooKeeper's),
 * the rest only in docker or not at all.
 */
function withoutUpstartJob(spec: ClusterSpec, role: Role): string | undefined {
  switch (role) {
    case 'etcd':
      return (spec.etcd?.runtime ?? DEFAULTS.etcd.runtime) === 'package'
        ? 'k8sm writes etcd a systemd unit (/etc/systemd/system/etcd.service) and no upstart job'
        : undefined;
    case 'haproxy':
      return (spec.haproxy?.runtime ?? DEFAULTS.haproxy.runtime) === 'package'
        ? 'k8sm starts HAProxy with systemctl and passes its stats password through a systemd drop-in'
        : undefined;
    case 'k8s-master':
    case 'k8s-node':
      return 'k8sm runs the Kubernetes services, docker and the pod routes through systemd';
    default:
      return undefined;
  }
}

const FIX: Partial<Record<Role, string>> = {
  etcd: 'set etcd.runtime to "docker"',
  haproxy: 'set haproxy.runtime to "docker"',
};

export const initSystemUnsupported = defineCheck({
  id: 'init-system-unsupported',
  severity: 'error',
  waivable: false,
  about: "a role whose services k8sm cannot run under the host's init system (upstart)",
  run: ({ spec, report }) => {
    spec.hosts.forEach((host, hostIndex) => {
      if (hostInitSystem(spec, host) !== 'upstart') return;
      const path = host.initSystem === undefined ? ['initSystem'] : ['hosts', hostIndex, 'initSystem'];
      for (const role of host.roles) {
        const why = withoutUpstartJob(spec, role);
        if (why === undefined) continue;
        const other = FIX[role] ? `${FIX[role]}, or ` : '';
        report(
          path,
          `host "${host.name}" runs ${role} under upstart (${formatPathShort(path)}), but ${why}`,
          `${other}run ${role} on a systemd host (set hosts[${hostIndex}].initSystem to "systemd")`,
        );
      }
    });
  },
});
