import { type CheckContext, defineCheck } from '../../checks/definition.js';
import { closest } from '../../findings.js';
import {
  MESOS_AGENT_FLAGS,
  MESOS_COMMON_FLAGS,
  MESOS_MASTER_FLAGS,
  type MesosFlag,
} from '../../mesos-flags.js';
import { quorum } from '../../quorum.js';
import type { ClusterSpec } from '../../schema.js';
import type { SpecPath } from '../../source.js';
import { versionAtLeast } from '../../version.js';
import type { MesosKind } from './derived-flags.js';

// The mesos.quorum override --------------------------------------------------------------------

/** The override and the masters it is a quorum of, when both exist. */
function quorumOverride({ spec, members }: CheckContext) {
  const override = spec.mesos?.quorum;
  const masters = members.mesosMasters.length;
  if (override === undefined || masters === 0) return undefined;
  return { override, masters, q: quorum(masters), path: ['mesos', 'quorum'] };
}

export const quorumUnreachable = defineCheck({
  id: 'quorum-unreachable',
  severity: 'error',
  waivable: false,
  about: 'a quorum larger than the ensemble is never reached',
  run: (context) => {
    const o = quorumOverride(context);
    if (o && o.override > o.masters)
      context.report(
        o.path,
        `mesos.quorum ${o.override} is more than the ${o.masters} mesos-master hosts: the registry could never be written`,
        `use ${o.q.majority} (a majority of ${o.masters}) or remove the key`,
      );
  },
});

export const quorumNotMajority = defineCheck({
  id: 'quorum-not-majority',
  severity: 'error',
  waivable: false,
  about: 'a quorum below a majority allows two leaders',
  run: (context) => {
    const o = quorumOverride(context);
    if (o && o.override < o.q.majority)
      context.report(
        o.path,
        `mesos.quorum ${o.override} is not a majority of ${o.masters} masters: two partitions could each elect a leader and the replicated log would diverge`,
        `use ${o.q.majority} (floor(${o.masters}/2)+1) or remove the key to get it computed`,
      );
  },
});

export const quorumAboveMajority = defineCheck({
  id: 'quorum-above-majority',
  severity: 'warning',
  waivable: true,
  about: 'a quorum above the majority tolerates fewer failures',
  run: (context) => {
    const o = quorumOverride(context);
    if (o && o.override > o.q.majority && o.override <= o.masters)
      context.report(
        o.path,
        `mesos.quorum ${o.override} of ${o.masters} masters tolerates ${o.masters - o.override} failure(s); the majority ${o.q.majority} tolerates ${o.q.tolerates}`,
        `use ${o.q.majority} or remove the key`,
      );
  },
});

// Extra Mesos flags ----------------------------------------------------------------------------

export const MESOS_FLAGS: Record<MesosKind, Map<string, MesosFlag>> = {
  master: new Map([...MESOS_COMMON_FLAGS, ...MESOS_MASTER_FLAGS].map((f) => [f.name, f])),
  agent: new Map([...MESOS_COMMON_FLAGS, ...MESOS_AGENT_FLAGS].map((f) => [f.name, f])),
};

interface MesosFlagUse {
  readonly at: SpecPath;
  readonly name: string;
  readonly value: unknown;
  readonly kind: MesosKind;
  /** the flag in the table, if it is there */
  readonly flag: MesosFlag | undefined;
  readonly binary: string;
  readonly version: string;
}

/** Every extra Mesos flag of the spec, cluster-wide first, then each host's own. */
function mesosFlagUses(spec: ClusterSpec): MesosFlagUse[] {
  const mesos = spec.mesos;
  if (!mesos) return [];
  const uses: MesosFlagUse[] = [];
  const add = (flags: Record<string, unknown> | undefined, kind: MesosKind, path: SpecPath) => {
    for (const [name, value] of Object.entries(flags ?? {}))
      uses.push({
        at: [...path, name],
        name,
        value,
        kind,
        flag: MESOS_FLAGS[kind].get(name),
        binary: kind === 'master' ? 'mesos-master' : 'mesos-agent',
        version: mesos.version,
      });
  };
  add(mesos.master?.flags, 'master', ['mesos', 'master', 'flags']);
  add(mesos.agent?.flags, 'agent', ['mesos', 'agent', 'flags']);
  spec.hosts.forEach((host, i) => {
    add(host.mesos?.master?.flags, 'master', ['hosts', i, 'mesos', 'master', 'flags']);
    add(host.mesos?.agent?.flags, 'agent', ['hosts', i, 'mesos', 'agent', 'flags']);
  });
  return uses;
}

/** The unknown-flag part for Mesos: a flag the table lacks, or one the target version lacks. */
export function mesosUnknownFlags({ spec, report }: CheckContext): void {
  for (const { at, name, kind, flag, binary, version } of mesosFlagUses(spec)) {
    if (!flag) {
      const near = closest(name, [...MESOS_FLAGS[kind].keys()]);
      report(
        at,
        `--${name} is not a ${binary} flag (Mesos ${version} would refuse to start)`,
        near
          ? `did you mean "${near}"? (a flag of your own build: waive "unknown-flag" with a reason)`
          : `remove it, or waive "unknown-flag" with a reason if your build has it`,
      );
    } else if (flag.since && !versionAtLeast(version, flag.since))
      report(
        at,
        `--${name} is new in Mesos ${flag.since}; ${binary} ${version} does not have it`,
        `run Mesos ${flag.since} or later, or remove the flag`,
      );
    else if (flag.removed && versionAtLeast(version, flag.removed))
      report(
        at,
        `--${name} was removed in Mesos ${flag.removed}; ${binary} ${version} would refuse it`,
        'remove the flag',
      );
  }
}

export const deprecatedFlag = defineCheck({
  id: 'deprecated-flag',
  severity: 'warning',
  waivable: true,
  about: 'a Mesos flag name that a newer name replaces',
  run: ({ spec, report }) => {
    for (const { at, name, kind, flag, version } of mesosFlagUses(spec)) {
      if (!flag?.use) continue;
      if (flag.since && !versionAtLeast(version, flag.since)) continue; // unknown-flag says it
      if (flag.removed && versionAtLeast(version, flag.removed)) continue;
      const replacement = MESOS_FLAGS[kind].get(flag.use);
      if (!replacement?.since || versionAtLeast(version, replacement.since))
        report(
          at,
          `--${name} is deprecated in Mesos ${version}: its name is now --${flag.use}`,
          `rename it to ${flag.use}`,
        );
    }
  },
});

export const flagValue = defineCheck({
  id: 'flag-value',
  severity: 'error',
  waivable: false,
  about: 'a boolean Mesos flag given a value, or a valued flag given true/false',
  run: ({ spec, report }) => {
    for (const { at, name, value, flag } of mesosFlagUses(spec)) {
      if (!flag) continue;
      if (flag.boolean && typeof value !== 'boolean')
        report(
          at,
          `--${name} is a boolean flag: Mesos takes it bare or negated, not with ${JSON.stringify(value)}`,
          `write true or false (without quotes): k8sm renders ?${name} or ?no-${name}`,
        );
      else if (!flag.boolean && typeof value === 'boolean')
        report(
          at,
          `--${name} takes a value; true/false would render a bare --${name}, which Mesos refuses`,
          `give ${name} its value`,
        );
    }
  },
});
