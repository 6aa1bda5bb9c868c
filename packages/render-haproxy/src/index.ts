import type { ClusterPlan } from '@k8sm/spec';

/** The part of the cluster plan this renderer reads; it derives nothing else. */
export type HaproxyPlanSlice = Pick<ClusterPlan, 'name' | 'haproxy' | 'kubernetes'>;
