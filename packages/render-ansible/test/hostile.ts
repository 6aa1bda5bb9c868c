import { type ClusterPlan, type CommandArtifact, type FileArtifact, sh } from '@k8sm/spec';
import { planOf } from '@k8sm/testkit';
import { renderAnsible } from '../src/index.js';

/**
 * Jinja in every string the plan and the artifacts hand to Ansible, past the spec's grammars (which
 * refuse `{{` in paths and addresses today): what renderAnsible writes must stay inert by itself.
 * Each payload, if Ansible evaluated it, would touch `<markers>/<field>`, print 49, `x` or drop a comment.
 */
export const payload = (markers: string, field: string) =>
  `<{{ 7*7 }}|{% if true %}x{% endif %}|{# c #}|{{ lookup('pipe', 'touch ${markers}/${field}') }}>`;

/**
 * Every quorum role on m1 (one member: each play runs once, and the test stays short), an agent and
 * a node, on loopback; no load balancer (its gate dials the address).
 */
const spec = {
  name: 'hostile',
  hosts: [
    {
      name: 'm1',
      address: '127.0.80.1',
      roles: ['zookeeper', 'mesos-master', 'marathon', 'etcd', 'k8s-master'],
    },
    { name: 'a1', address: '127.0.81.1', roles: ['mesos-agent'] },
    { name: 'n1', address: '127.0.82.1', roles: ['k8s-node'], kubernetes: { podCidr: '10.244.1.0/24' } },
  ],
  zookeeper: { version: '3.8.4', adminServer: { enabled: false } },
  mesos: { version: '1.11.0' },
  marathon: { version: '1.11.24' },
  etcd: { version: '3.5.16' },
  kubernetes: { version: '1.30.8', flavor: 'standalone', pkiDir: 'pki', clusterCidr: '10.244.0.0/16' },
};

export const hostNames = spec.hosts.map((h) => h.name);

/** Every string of the plan that renderAnsible reads, replaced by a payload naming the field. */
export function hostilePlan(markers: string): ClusterPlan {
  const plan = planOf(spec);
  const p = (field: string) => payload(markers, field);
  const { zookeeper, etcd, mesos, marathon, kubernetes } = plan;
  if (!zookeeper || !etcd || !mesos || !marathon || !kubernetes) throw new Error('the spec runs all five');
  return {
    ...plan,
    hosts: plan.hosts.map((h) => ({ ...h, address: p(`address-${h.name}`) })),
    zookeeper: {
      ...zookeeper,
      connectString: p('zk-connect'),
      members: zookeeper.members.map((m) => ({ ...m, clientAddress: p(`zk-address-${m.host}`) })),
    },
    etcd: {
      ...etcd,
      clientUrls: [p('etcd-urls')],
      members: etcd.members.map((m) => ({ ...m, clientUrls: [p(`etcd-url-${m.host}`)] })),
    },
    mesos: {
      ...mesos,
      masterUrls: [p('mesos-urls')],
      masters: mesos.masters.map((m) => ({ ...m, url: p(`mesos-url-${m.host}`) })),
    },
    marathon: {
      ...marathon,
      urls: [p('marathon-urls')],
      members: marathon.members.map((m) => ({ ...m, url: p(`marathon-url-${m.host}`) })),
    },
    kubernetes: { ...kubernetes, apiserverClientUrls: kubernetes.masters.map((m) => p(`api-url-${m.host}`)) },
  };
}

/**
 * Per host a file with a payload in its path and its content, a key (0600) likewise, and one step
 * that writes its payload beside the step script (`<script>.ran`) when run.
 */
export function hostileArtifacts(markers: string): { files: FileArtifact[]; commands: CommandArtifact[] } {
  const files: FileArtifact[] = [];
  const commands: CommandArtifact[] = [];
  for (const host of hostNames) {
    const component = host.startsWith('m') ? 'zookeeper' : host === 'a1' ? 'mesos' : 'kubernetes';
    const file = (name: string, mode: number): FileArtifact => ({
      kind: 'file',
      host,
      path: `/etc/k8sm/${payload(markers, `path-${name}-${host}`)}/${name}`,
      mode,
      content: `${payload(markers, `content-${name}-${host}`)}\n`,
      component,
    });
    files.push(file('conf', 0o644), file('key', 0o600));
    commands.push({
      kind: 'command',
      host,
      order: 10,
      command: sh`printf '%s\\n' ${payload(markers, `step-${host}`)} > "$0.ran"`,
      component,
    });
  }
  return { files, commands };
}

export const renderHostile = (markers: string) => {
  const { files, commands } = hostileArtifacts(markers);
  return { out: renderAnsible(hostilePlan(markers), files, commands), files, commands };
};
