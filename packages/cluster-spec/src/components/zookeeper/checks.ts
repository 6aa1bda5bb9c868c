import { defineCheck } from '../../checks/definition.js';
import { settingPath } from '../../checks/paths.js';
import { DEFAULTS } from '../../defaults.js';
import type { ClusterSpec } from '../../schema.js';
import { ANY_ADDRESS, type ZookeeperMember } from './members.js';
import { zookeeperRuntime } from './settings.js';

const dockerRuntime = (spec: ClusterSpec) =>
  spec.zookeeper !== undefined && zookeeperRuntime(spec.zookeeper) === 'docker';

export const zookeeperId = defineCheck({
  id: 'zookeeper-id',
  severity: 'error',
  waivable: false,
  about: 'ZooKeeper ids must be unique',
  run: ({ spec, members, report }) => {
    if (!spec.zookeeper) return;
    const byId = new Map<number, string>();
    for (const m of members.zookeeper) {
      const other = byId.get(m.id);
      if (other !== undefined)
        report(
          ['hosts', m.hostIndex, 'zookeeper', 'id'],
          `ZooKeeper id ${m.id} of host "${m.host}" is already the id of host "${other}"`,
          'give each member its own id from 1 to 255 (or remove the ids and let k8sm number the members)',
        );
      else byId.set(m.id, m.host);
    }
  },
});

export const zookeeperDockerIds = defineCheck({
  id: 'zookeeper-docker-ids',
  severity: 'error',
  waivable: false,
  about: 'the docker image numbers servers by position in SERVERS',
  run: ({ spec, members, report }) => {
    if (!dockerRuntime(spec)) return;
    const ids = members.zookeeper.map((m) => m.id);
    if (ids.every((id, i) => id === i + 1)) return;
    // Blame the override that leaves 1..n: that is the line the operator has to change.
    const culprit = members.zookeeper.find(
      (m) => m.id > ids.length && spec.hosts[m.hostIndex]?.zookeeper?.id !== undefined,
    );
    report(
      culprit ? ['hosts', culprit.hostIndex, 'zookeeper', 'id'] : ['zookeeper', 'runtime'],
      `with the docker runtime the image writes server.<position in SERVERS>, so ids must be 1..${ids.length}; got ${ids.join(', ')}${culprit ? ` (host "${culprit.host}" has ${culprit.id})` : ''}`,
      'remove the per-host zookeeper.id overrides, or use the package runtime',
    );
  },
});

export const zookeeperDockerPorts = defineCheck({
  id: 'zookeeper-docker-ports',
  severity: 'error',
  waivable: false,
  about: 'the docker image hard-codes ports 2181, 2888 and 3888',
  run: ({ spec, members, report }) => {
    if (!dockerRuntime(spec)) return;
    // mesoscloud/zookeeper's entrypoint writes clientPort=2181 and server.N=<addr>:2888:3888.
    const d = DEFAULTS.zookeeper;
    for (const m of members.zookeeper) {
      const ports: [string, number, number][] = [
        ['clientPort', m.clientPort, d.clientPort],
        ['peerPort', m.peerPort, d.peerPort],
        ['electionPort', m.electionPort, d.electionPort],
      ];
      for (const [key, port, fixed] of ports)
        if (port !== fixed)
          report(
            settingPath(spec, m.hostIndex, 'zookeeper', [key]),
            `host "${m.host}": zookeeper.${key} ${port} cannot be honoured by the docker runtime, whose image always uses ${fixed}`,
            `remove zookeeper.${key}, or use the package runtime`,
          );
    }
  },
});

const isLoopback = (address: string) => address.startsWith('127.');

/** The members whose clientPortAddress is set to something other than the host's address or 0.0.0.0. */
const boundElsewhere = (members: readonly ZookeeperMember[]) =>
  members.flatMap((m) => {
    const bound = m.clientPortAddress;
    return bound === undefined || bound === ANY_ADDRESS || bound === m.address ? [] : [{ m, bound }];
  });

export const zookeeperClientAddress = defineCheck({
  id: 'zookeeper-client-address',
  severity: 'error',
  waivable: false,
  about: "ZooKeeper's clientPortAddress must be an address of its host (or 0.0.0.0)",
  run: ({ spec, members, report }) => {
    for (const { m, bound } of boundElsewhere(members.zookeeper))
      if (!isLoopback(bound))
        report(
          settingPath(spec, m.hostIndex, 'zookeeper', ['clientPortAddress']),
          `host "${m.host}": zookeeper.clientPortAddress ${bound} is not the host's address ${m.address}, so ZooKeeper cannot bind it`,
          `set clientPortAddress to ${m.address} or 0.0.0.0, or remove it`,
        );
  },
});

export const zookeeperClientLoopback = defineCheck({
  id: 'zookeeper-client-loopback',
  severity: 'warning',
  waivable: true,
  about: 'a ZooKeeper bound to loopback cannot be reached from other hosts',
  run: ({ spec, members, report }) => {
    for (const { m, bound } of boundElsewhere(members.zookeeper))
      if (isLoopback(bound))
        report(
          settingPath(spec, m.hostIndex, 'zookeeper', ['clientPortAddress']),
          `host "${m.host}": zookeeper.clientPortAddress ${bound} is loopback: remote clients — Mesos, Marathon, the other hosts' probes — cannot reach this member`,
          `set clientPortAddress to ${m.address} or 0.0.0.0, or remove it (waive zookeeper-client-loopback for a one-machine cluster)`,
        );
  },
});
