/** The commented starter spec of `k8sm-render init`: three masters and two agents, valid as is. */
export const STARTER_SPEC = `# yaml-language-server: $schema=https://unpkg.com/@k8sm/spec/schema/k8sm-spec.schema.json
# A k8sm cluster spec. Render it with:  k8sm-render k8sm.yaml -o out/
# Every key is checked; \`k8sm-render schema\` prints the JSON Schema your editor can use.

# Lowercase letters, digits and dashes; it heads every generated file.
name: my-cluster

# One entry per machine. Roles: zookeeper, mesos-master, mesos-agent, marathon, etcd,
# k8s-master, k8s-node, haproxy. A host may carry a section named after a component to
# override that component's settings for itself alone (see master3's zookeeper.dataDir).
hosts:
  - { name: master1, address: 10.0.0.1, roles: [zookeeper, mesos-master, marathon] }
  - { name: master2, address: 10.0.0.2, roles: [zookeeper, mesos-master, marathon] }
  - name: master3
    address: 10.0.0.3
    roles: [zookeeper, mesos-master, marathon]
    zookeeper: { dataDir: /data/zookeeper }
  - { name: agent1, address: 10.0.0.11, roles: [mesos-agent] }
  - { name: agent2, address: 10.0.0.12, roles: [mesos-agent] }

# Ensembles need a strict majority: 3 members tolerate 1 failure, 5 tolerate 2.
# Member ids (myid) are numbered 1..n in host order unless a host sets zookeeper.id.
zookeeper:
  version: 3.8.4
  runtime: package            # or docker
  # ZooKeeper 3.5–3.9 starts an AdminServer on 8080, the port Marathon uses on these hosts:
  adminServer: { port: 8081 }

mesos:
  version: 1.11.0
  # quorum is computed: a majority of the mesos-master hosts (2 of 3)
  agent:
    containerizers: [docker, mesos]
    executorRegistrationTimeout: 5mins

marathon:
  version: 1.11.24
  httpPort: 8080

# A check you accept on purpose can be waived, one at a time, with the reason:
# waive:
#   even-ensemble: adding a fourth master before retiring one
`;
