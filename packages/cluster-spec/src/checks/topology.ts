import { describeQuorum, quorum } from '../quorum.js';
import { COMPONENT_OF_ROLE, COMPONENT_REGISTRY } from '../registry.js';
import type { ClusterSpec, Component, Role } from '../schema.js';
import { COMPONENTS } from '../schema.js';
import type { SpecPath } from '../source.js';
import { type CheckContext, defineCheck } from './definition.js';

// Hosts, sections and ensembles: how the hosts' roles fit the component sections.

const hostsWith = (spec: ClusterSpec, role: Role) => spec.hosts.filter((h) => h.roles.includes(role)).length;

export const duplicateHostName = defineCheck({
  id: 'duplicate-host-name',
  severity: 'error',
  waivable: false,
  about: 'two hosts share a name (each needs its own output tree)',
  run: ({ spec, report }) => {
    const seen = new Map<string, number>();
    spec.hosts.forEach((host, i) => {
      const key = host.name.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else
        report(
          ['hosts', i, 'name'],
          `host name "${host.name}" is already used by hosts[${first}]`,
          'give every host its own name (names are compared without case: they name output directories)',
        );
    });
  },
});

export const duplicateRole = defineCheck({
  id: 'duplicate-role',
  severity: 'error',
  waivable: false,
  about: 'a host lists one role twice',
  run: ({ spec, report }) => {
    spec.hosts.forEach((host, i) => {
      const roles = new Set<string>();
      host.roles.forEach((role, r) => {
        if (roles.has(role))
          report(['hosts', i, 'roles', r], `role "${role}" is listed twice`, 'list each role once');
        roles.add(role);
      });
    });
  },
});

export const overrideWithoutRole = defineCheck({
  id: 'override-without-role',
  severity: 'error',
  waivable: true,
  about: 'a host overrides a component it does not run',
  run: ({ spec, report }) => {
    spec.hosts.forEach((host, i) => {
      for (const component of COMPONENTS) {
        if (host[component] === undefined) continue;
        if (COMPONENT_REGISTRY[component].roles.some((role) => host.roles.includes(role))) continue;
        report(
          ['hosts', i, component],
          `host "${host.name}" overrides ${component} settings but has no ${COMPONENT_REGISTRY[component].roles.join(' or ')} role`,
          `add the role to hosts[${i}].roles or remove hosts[${i}].${component}`,
        );
      }
    });
  },
});

export const missingSection = defineCheck({
  id: 'missing-section',
  severity: 'error',
  waivable: false,
  about: 'a role is used but its component section is missing',
  run: ({ spec, report }) => {
    const reported = new Set<Component>();
    spec.hosts.forEach((host, i) => {
      host.roles.forEach((role, r) => {
        const section = COMPONENT_OF_ROLE[role];
        if (spec[section] !== undefined || reported.has(section)) return;
        reported.add(section);
        report(
          ['hosts', i, 'roles', r],
          `host "${host.name}" has role "${role}" but the spec has no "${section}" section`,
          `add a top-level "${section}" section with at least its "version"`,
        );
      });
    });
  },
});

export const emptyEnsemble = defineCheck({
  id: 'empty-ensemble',
  severity: 'error',
  waivable: false,
  about: 'a component section has no host with its role',
  run: ({ spec, report }) => {
    for (const component of COMPONENTS) {
      if (spec[component] === undefined) continue;
      const roles = COMPONENT_REGISTRY[component].roles;
      if (roles.some((role) => hostsWith(spec, role) > 0)) continue;
      report(
        [component],
        `the "${component}" section is set but no host has the role ${roles.map((r) => `"${r}"`).join(' or ')}`,
        `add the role to the hosts that run ${component}, or remove the section`,
      );
    }
  },
});

export const zookeeperAmbiguous = defineCheck({
  id: 'zookeeper-ambiguous',
  severity: 'error',
  waivable: false,
  about: 'mesos.externalZookeeper next to hosts with the zookeeper role: two ensembles to choose from',
  run: ({ spec, report }) => {
    if (spec.mesos?.externalZookeeper !== undefined && hostsWith(spec, 'zookeeper') > 0)
      report(
        ['mesos', 'externalZookeeper'],
        'mesos.externalZookeeper names an ensemble, but hosts with the "zookeeper" role make another: which one Mesos uses would be a guess',
        'keep one: remove mesos.externalZookeeper, or the zookeeper role and section',
      );
  },
});

export const missingDependency = defineCheck({
  id: 'missing-dependency',
  severity: 'error',
  waivable: false,
  about: 'a component needs another that the spec lacks',
  run: ({ spec, report }) => {
    const external = spec.mesos?.externalZookeeper !== undefined;
    const needs = (present: boolean, path: SpecPath, what: string, role: Role, why: string) => {
      if (!present || hostsWith(spec, role) > 0 || (role === 'zookeeper' && external)) return;
      report(
        path,
        `${what} needs at least one "${role}" host: ${why}`,
        role === 'zookeeper'
          ? 'give the "zookeeper" role to the hosts that run it (and add its section), or name an ensemble k8sm does not manage in mesos.externalZookeeper'
          : `give the "${role}" role to the hosts that run it (and add its section)`,
      );
    };
    const has = (role: Role) => hostsWith(spec, role) > 0;
    needs(
      has('mesos-master'),
      ['mesos'],
      'Mesos masters',
      'zookeeper',
      'they elect a leader through ZooKeeper (/etc/mesos/zk)',
    );
    needs(has('mesos-agent'), ['mesos'], 'Mesos agents', 'mesos-master', 'they register with the masters');
    needs(has('marathon'), ['marathon'], 'Marathon', 'mesos-master', 'it is a Mesos framework');
    needs(
      has('marathon'),
      ['marathon'],
      'Marathon',
      'zookeeper',
      'it keeps its state and elects its leader in ZooKeeper',
    );
    needs(
      spec.kubernetes !== undefined,
      ['kubernetes'],
      'Kubernetes',
      'etcd',
      'the apiserver stores everything in etcd',
    );
    needs(
      has('k8s-node'),
      ['kubernetes'],
      'Kubernetes nodes',
      'k8s-master',
      'their kubelets register with the apiservers',
    );
    const onMesos = spec.kubernetes?.flavor === 'mesos';
    needs(
      onMesos,
      ['kubernetes', 'flavor'],
      'Kubernetes on Mesos',
      'mesos-master',
      'the k8sm scheduler is a Mesos framework',
    );
    needs(
      onMesos,
      ['kubernetes', 'flavor'],
      'Kubernetes on Mesos',
      'zookeeper',
      'the k8sm scheduler finds the Mesos leader through ZooKeeper',
    );
    if (has('haproxy') && !has('k8s-master') && !has('marathon'))
      report(
        ['haproxy'],
        'HAProxy has nothing to balance: there is no "k8s-master" (apiservers) and no "marathon" (apps) host',
        'add the apiserver or Marathon hosts, or remove the haproxy role',
      );
  },
});

export const haproxyUnrendered = defineCheck({
  id: 'haproxy-unrendered',
  severity: 'warning',
  waivable: true,
  about: 'haproxy hosts with no apiservers to balance get no rendered configuration',
  run: ({ spec, report }) => {
    if (
      hostsWith(spec, 'haproxy') === 0 ||
      hostsWith(spec, 'k8s-master') > 0 ||
      hostsWith(spec, 'marathon') === 0
    )
      return;
    const names = spec.hosts.filter((h) => h.roles.includes('haproxy')).map((h) => `"${h.name}"`);
    report(
      ['haproxy'],
      `the rendered HAProxy configuration balances the apiservers, and this spec has no "k8s-master" host: ${names.join(', ')} get no haproxy.cfg and an empty script`,
      "balance Marathon's apps with `k8sm-render bridge --marathon <urls> -o /etc/haproxy/haproxy.cfg --apply` on those hosts (and waive haproxy-unrendered), or add the apiserver hosts",
    );
  },
});

/** The quorum-based ensembles that the spec has, with their sizes. */
function ensembles({ spec, members }: CheckContext): { what: string; section: Component; size: number }[] {
  const all: { what: string; section: Component; size: number }[] = [
    { what: 'ZooKeeper ensemble', section: 'zookeeper', size: members.zookeeper.length },
    { what: 'etcd cluster', section: 'etcd', size: members.etcd.length },
    { what: 'Mesos master set', section: 'mesos', size: members.mesosMasters.length },
  ];
  return all.filter((e) => e.size > 0 && spec[e.section] !== undefined);
}

export const noRedundancy = defineCheck({
  id: 'no-redundancy',
  severity: 'warning',
  waivable: true,
  about: 'a one-member ensemble tolerates no failure',
  run: (context) => {
    for (const { what, section, size } of ensembles(context))
      if (size === 1)
        context.report(
          [section],
          `the ${what} has 1 member: it tolerates no failure`,
          `run 3 members for high availability, or waive "no-redundancy" with a reason`,
        );
  },
});

export const evenEnsemble = defineCheck({
  id: 'even-ensemble',
  severity: 'warning',
  waivable: true,
  about: 'an even-sized ensemble tolerates no more failures than one less',
  run: (context) => {
    for (const { what, section, size } of ensembles(context)) {
      const q = quorum(size);
      if (size > 1 && q.even)
        context.report(
          [section],
          `the ${what} has ${describeQuorum(q)}`,
          `run ${size - 1} or ${size + 1} members, or waive "even-ensemble" with a reason`,
        );
    }
  },
});
