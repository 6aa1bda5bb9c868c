import type { ClusterPlan } from '@k8sm/spec';

/** The part of the cluster plan this renderer reads; it derives nothing else. */
export type MesosPlanSlice = Pick<ClusterPlan, 'name' | 'mesos' | 'marathon'>;
