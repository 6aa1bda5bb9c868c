import { kubeDerivedFlags, kubeUnknownFlags } from '../components/kubernetes/checks.js';
import { MARATHON_DERIVED_FLAGS } from '../components/marathon/checks.js';
import { MESOS_DERIVED_FLAGS, mesosUnknownFlags } from '../components/mesos/checks.js';
import type { SpecPath } from '../source.js';
import { defineCheck } from './definition.js';

// Extra flags of several components share these ids, so that one waiver covers them all; what
// each component knows of its flags lives with the component.

export const derivedFlag = defineCheck({
  id: 'derived-flag',
  severity: 'error',
  waivable: false,
  about: 'an extra flag would override a value k8sm derives and checks',
  run: (context) => {
    const { spec, report } = context;
    const check = (
      flags: Record<string, unknown> | undefined,
      derived: Record<string, string>,
      path: SpecPath,
    ) => {
      for (const flag of Object.keys(flags ?? {})) {
        const owner = Object.hasOwn(derived, flag) ? derived[flag] : undefined;
        if (owner)
          report(
            [...path, flag],
            `--${flag} is derived by k8sm (from ${owner}); an extra flag would bypass its checks`,
            `remove ${flag} from the flags and set ${owner} instead`,
          );
      }
    };
    check(spec.mesos?.master?.flags, MESOS_DERIVED_FLAGS.master, ['mesos', 'master', 'flags']);
    check(spec.mesos?.agent?.flags, MESOS_DERIVED_FLAGS.agent, ['mesos', 'agent', 'flags']);
    check(spec.marathon?.flags, MARATHON_DERIVED_FLAGS, ['marathon', 'flags']);
    spec.hosts.forEach((host, i) => {
      check(host.mesos?.master?.flags, MESOS_DERIVED_FLAGS.master, ['hosts', i, 'mesos', 'master', 'flags']);
      check(host.mesos?.agent?.flags, MESOS_DERIVED_FLAGS.agent, ['hosts', i, 'mesos', 'agent', 'flags']);
      check(host.marathon?.flags, MARATHON_DERIVED_FLAGS, ['hosts', i, 'marathon', 'flags']);
    });
    kubeDerivedFlags(context);
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
