import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type ClusterPlan, type PkiContents, pkiSetsOf } from '@k8sm/spec';
import { describeSystemError, FileAccessError, MissingPkiError } from './errors.js';
import { readPkiFile, scanPkiTree } from './pki-dir.js';
import type { RenderInputs } from './renderers.js';

/** The PKI dir of a spec: relative paths are relative to the spec file, as the schema says. */
export function pkiDirOf(specFile: string, pkiDir: string): string {
  return resolve(dirname(specFile), pkiDir);
}

/** Which files of which PKI dir rendering needs: the plan's PKI sets that rendering reads from. */
export function pkiFilesToRender(plan: ClusterPlan): { field: string; dir: string; files: string[] }[] {
  return pkiSetsOf(plan)
    .filter((set) => set.filesToRender.length > 0)
    .map((set) => ({ field: set.field, dir: set.pkiDir ?? '', files: [...set.filesToRender] }));
}

/** Reads the files the renderers place on hosts; all or nothing, naming every missing one. */
export async function readPkiForRender(specFile: string, plan: ClusterPlan): Promise<PkiContents> {
  const contents: Record<string, string> = {};
  for (const set of pkiFilesToRender(plan)) {
    // the spec checks guarantee a pkiDir whenever TLS is on
    const dir = pkiDirOf(specFile, set.dir);
    const tree = scanPkiTree(dir);
    const missing: string[] = [];
    for (const file of set.files) {
      // synchronous: thousands of small files (a kubelet certificate per node), one by one
      const content = readPkiFile(tree, file);
      if (content === undefined) missing.push(file);
      else contents[file] = content;
    }
    if (missing.length > 0) {
      const shown = missing.length > 4 ? [...missing.slice(0, 4), `… (${missing.length} in all)`] : missing;
      throw new MissingPkiError(
        `${set.field}: ${set.dir} (${dir}) lacks ${shown.join(', ')}\n  fix: render without --dry-run/--check, which creates what is missing, or run \`k8sm-render pki ${specFile}\` (existing files are kept)`,
      );
    }
  }
  return contents;
}

/** Everything renderers need from disk, read up front: the PKI, haproxy's template and password. */
export async function readRenderInputs(specFile: string, plan: ClusterPlan): Promise<RenderInputs> {
  const pki = await readPkiForRender(specFile, plan);
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
