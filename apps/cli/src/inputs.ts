import { readFile } from 'node:fs/promises';
import type { RenderInputs } from '@k8sm/render-cluster';
import type { ClusterPlan } from '@k8sm/spec';
import { describeSystemError, FileAccessError } from './errors.js';
import { pkiDirOf, readPkiForRender } from './pki-files.js';
import { type PkiReads, READ_AFRESH } from './pki-tree.js';

/** Everything renderers need from disk, read up front: the PKI, haproxy's template and password. */
export async function readRenderInputs(
  specFile: string,
  plan: ClusterPlan,
  reads: PkiReads = READ_AFRESH,
): Promise<RenderInputs> {
  const pki = await readPkiForRender(specFile, plan, reads);
  const ha = plan.haproxy;
  const read = async (field: string, given: string) => {
    const path = pkiDirOf(specFile, given);
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      throw new FileAccessError(`${field}: cannot read ${given} (${path}): ${describeSystemError(error)}`);
    }
  };
  const haproxyTemplate = ha?.template ? await read('haproxy.template', ha.template) : undefined;
  const password = ha?.stats?.password;
  let statsPassword: string | undefined;
  if (password && 'file' in password) {
    statsPassword = (await read('haproxy.stats.password.file', password.file)).replace(/\r?\n$/, '');
    if (statsPassword === '' || /[\n"\\]/.test(statsPassword))
      throw new FileAccessError(
        `haproxy.stats.password.file: ${password.file} must hold one line, the password, without quotes or backslashes`,
      );
  }
  return {
    pki,
    ...(haproxyTemplate === undefined ? {} : { haproxyTemplate }),
    ...(statsPassword === undefined ? {} : { statsPassword }),
  };
}
