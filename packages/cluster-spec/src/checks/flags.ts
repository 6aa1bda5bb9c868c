import { kubeArgs, kubeUnknownFlags } from '../components/kubernetes/checks.js';
import { MARATHON_DERIVED_FLAGS } from '../components/marathon/derived-flags.js';
import { MESOS_FLAGS, mesosUnknownFlags } from '../components/mesos/checks.js';
import { MESOS_DERIVED_FLAGS, type MesosKind } from '../components/mesos/derived-flags.js';
import { MESOS_DEFAULTS, MESOS_WRAPPER_VARIABLES } from '../components/mesos/facts.js';
import type { SpecPath } from '../source.js';
import { defineCheck } from './definition.js';

// Extra flags of several components share these ids, so that one waiver covers them all; what
// each component knows of its flags lives with the component.

/** The message and fix of a derived-flag finding: set the spec key, or drop what k8sm fixes. */
function derivedFlagFinding(name: string, owner: string, what: string, where: string): [string, string] {
  const fixed = owner.startsWith('k8sm: ') ? owner.slice('k8sm: '.length) : undefined;
  return fixed === undefined
    ? [
        `--${name} is derived by k8sm (from ${owner}); ${what} would bypass its checks`,
        `remove ${name} from ${where} and set ${owner} instead`,
      ]
    : [`--${name} is set by k8sm (${fixed}); ${what} would give it twice`, `remove ${name} from ${where}`];
}

export const derivedFlag = defineCheck({
  id: 'derived-flag',
  severity: 'error',
  waivable: false,
  about: 'an extra flag would override a value k8sm derives and checks',
  run: ({ spec, report }) => {
    const packaged = (spec.mesos?.runtime ?? MESOS_DEFAULTS.runtime) === 'package';
    const check = (
      flags: Record<string, unknown> | undefined,
      derived: Readonly<Record<string, string>>,
      path: SpecPath,
      kind?: MesosKind,
    ) => {
      for (const flag of Object.keys(flags ?? {})) {
        const owner = Object.hasOwn(derived, flag) ? derived[flag] : undefined;
        if (!owner) continue;
        const [message, fix] = derivedFlagFinding(flag, owner, 'an extra flag', 'the flags');
        const wrapper: Readonly<Record<string, { file: string; variable: string }>> | undefined =
          kind && packaged ? MESOS_WRAPPER_VARIABLES[kind] : undefined;
        const from = wrapper && Object.hasOwn(wrapper, flag) ? wrapper[flag] : undefined;
        report(
          [...path, flag],
          from
            ? `${message}, and the package's init wrapper already passes it from ${from.variable} in ${from.file}: a flag file would give it twice and Mesos refuses to start`
            : message,
          fix,
        );
      }
    };
    check(spec.mesos?.master?.flags, MESOS_DERIVED_FLAGS.master, ['mesos', 'master', 'flags'], 'master');
    check(spec.mesos?.agent?.flags, MESOS_DERIVED_FLAGS.agent, ['mesos', 'agent', 'flags'], 'agent');
    check(spec.marathon?.flags, MARATHON_DERIVED_FLAGS, ['marathon', 'flags']);
    spec.hosts.forEach((host, i) => {
      const at = (kind: MesosKind): SpecPath => ['hosts', i, 'mesos', kind, 'flags'];
      check(host.mesos?.master?.flags, MESOS_DERIVED_FLAGS.master, at('master'), 'master');
      check(host.mesos?.agent?.flags, MESOS_DERIVED_FLAGS.agent, at('agent'), 'agent');
      check(host.marathon?.flags, MARATHON_DERIVED_FLAGS, ['hosts', i, 'marathon', 'flags']);
    });
    for (const { at, name, owner, removed } of kubeArgs(spec.kubernetes))
      if (owner && !removed) report(at, ...derivedFlagFinding(name, owner, 'an extra arg', 'the extra args'));
  },
});

/** The one name of a Mesos flag: a deprecated name is the flag that replaced it. */
const mesosFlagName = (kind: MesosKind, name: string) => MESOS_FLAGS[kind].get(name)?.use ?? name;

export const duplicateFlag = defineCheck({
  id: 'duplicate-flag',
  severity: 'error',
  waivable: false,
  about: 'one Mesos flag given twice, under its old and its new name (slave_* and agent_*)',
  run: ({ spec, report }) => {
    // A host's own flags join the cluster-wide ones: a pair may be split between the two.
    const check = (
      kind: MesosKind,
      cluster: SpecPath,
      own?: SpecPath,
      ownFlags?: Record<string, unknown>,
    ) => {
      const clusterFlags = spec.mesos?.[kind]?.flags ?? {};
      const seen = new Map<string, string>();
      const scan = (flags: Record<string, unknown>, path: SpecPath, reporting: boolean) => {
        for (const name of Object.keys(flags)) {
          const one = mesosFlagName(kind, name);
          const first = seen.get(one);
          if (first !== undefined && first !== name && reporting)
            report(
              [...path, name],
              `--${name} and --${first} are one flag of mesos-${kind} (--${one}): the binary would get it twice`,
              `keep only ${one}`,
            );
          if (first === undefined) seen.set(one, name);
        }
      };
      // cluster-wide pairs are reported once, not again for every host
      scan(clusterFlags, cluster, own === undefined);
      if (own && ownFlags) scan(ownFlags, own, true);
    };
    check('master', ['mesos', 'master', 'flags']);
    check('agent', ['mesos', 'agent', 'flags']);
    spec.hosts.forEach((host, i) => {
      const { master, agent } = host.mesos ?? {};
      if (master?.flags) check('master', [], ['hosts', i, 'mesos', 'master', 'flags'], master.flags);
      if (agent?.flags) check('agent', [], ['hosts', i, 'mesos', 'agent', 'flags'], agent.flags);
    });
  },
});

export const unknownFlag = defineCheck({
  id: 'unknown-flag',
  severity: 'error',
  waivable: true,
  about: 'a Mesos or Kubernetes flag the target version does not have (mesos-flags.ts, kube-flags.ts)',
  run: (context) => {
    mesosUnknownFlags(context);
    kubeUnknownFlags(context);
  },
});
