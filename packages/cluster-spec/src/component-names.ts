// Apart from the schema (which imports zod), so that `@k8sm/spec/components` costs no start-up:
// the CLI's --help and shell completion list the components without loading the schema.

/** Spec sections, one per component; a host may carry one of the same name to override it. */
export const COMPONENTS = ['zookeeper', 'mesos', 'marathon', 'etcd', 'kubernetes', 'haproxy'] as const;
export type Component = (typeof COMPONENTS)[number];
