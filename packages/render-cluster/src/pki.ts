import type { ClusterPlan } from '@k8sm/spec';
import { pkiSetsOf } from '@k8sm/spec';

/**
 * Which files of which PKI dir rendering places on hosts: what a caller reads into
 * `RenderInputs.pki` (k8sm-render reads them from the spec's PKI dirs, relative to the spec file).
 */
export function pkiFilesToRender(plan: ClusterPlan): { field: string; dir: string; files: string[] }[] {
  return pkiSetsOf(plan)
    .filter((set) => set.filesToRender.length > 0)
    .map((set) => ({ field: set.field, dir: set.pkiDir ?? '', files: [...set.filesToRender] }));
}
