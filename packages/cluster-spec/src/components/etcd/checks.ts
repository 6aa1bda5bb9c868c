import { defineCheck } from '../../checks/definition.js';

export const etcdTlsPki = defineCheck({
  id: 'etcd-tls-pki',
  severity: 'error',
  waivable: false,
  about: 'etcd TLS needs the PKI dir that `k8sm-render pki` fills',
  run: ({ spec, members, report }) => {
    const tls = spec.etcd?.tls;
    if (members.etcd.length === 0) return;
    if ((tls?.client || tls?.peer) && tls.pkiDir === undefined)
      report(
        ['etcd', 'tls'],
        'etcd TLS is on but etcd.tls.pkiDir names no PKI dir to take the certificates from',
        'set etcd.tls.pkiDir (e.g. "pki"), then run `k8sm-render pki <spec>` to create the CA and certificates there',
      );
  },
});

export const etcdClusterState = defineCheck({
  id: 'etcd-cluster-state',
  severity: 'error',
  waivable: false,
  about: 'some member has to start a new etcd cluster',
  run: ({ spec, members, report }) => {
    const etcd = spec.etcd;
    if (!etcd || members.etcd.length === 0) return;
    // "existing" joins a running cluster (after `etcdctl member add`); with no "new" member
    // nobody bootstraps, and every member waits for a cluster that does not exist.
    if (!members.etcd.every((m) => m.initialClusterState === 'existing')) return;
    const perHost = members.etcd.find((m) => spec.hosts[m.hostIndex]?.etcd?.initialClusterState);
    report(
      etcd.initialClusterState === 'existing' || !perHost
        ? ['etcd', 'initialClusterState']
        : ['hosts', perHost.hostIndex, 'etcd', 'initialClusterState'],
      `every etcd member has initialClusterState "existing" (join a running cluster), so none starts one: the ${members.etcd.length} members would wait for each other forever`,
      'for a new cluster use "new" (the default); give "existing" only to a member added with `etcdctl member add` to a running cluster',
    );
  },
});
