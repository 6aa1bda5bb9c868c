import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';

/** git run in `cwd`, bounded; undefined when git is missing, fails or times out. */
function git(cwd: string, args: readonly string[], input?: string): string | undefined {
  const r = spawnSync('git', ['-C', cwd, ...args], {
    encoding: 'utf8',
    timeout: 10_000,
    maxBuffer: 16 * 1024 * 1024,
    ...(input === undefined ? {} : { input }),
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
  });
  return r.error || r.status === null ? undefined : r.status === 0 || r.status === 1 ? r.stdout : undefined;
}

/**
 * A warning when `dir`, holding `secrets` (paths relative to it), is in a git work tree that
 * tracks some of them or would stage them (`git add -A`): a key in a repository's history is a
 * key to rotate. Undefined outside a work tree, or without git.
 */
export function gitExposure(dir: string, shown: string, secrets: readonly string[]): string | undefined {
  if (secrets.length === 0) return undefined;
  const top = git(dir, ['rev-parse', '--show-toplevel'])?.trim();
  if (!top) return undefined;
  const inTop = secrets.map((s) => relative(top, join(dir, s)));
  const tracked = new Set((git(top, ['ls-files', '-z', '--', ...inTop]) ?? '').split('\0').filter(Boolean));
  const ignored = new Set(
    (git(top, ['check-ignore', '--stdin', '-z'], `${inTop.join('\0')}\0`) ?? '').split('\0').filter(Boolean),
  );
  const exposed = inTop.filter((p) => !tracked.has(p) && !ignored.has(p));
  const example = (list: readonly string[]) => `e.g. ${list[0]}`;
  if (tracked.size > 0)
    return `k8sm-render: warning: git tracks ${tracked.size} secret file(s) of ${shown} in the work tree ${top} (${example([...tracked])}): run git rm -r --cached -- ${shown}, commit, and issue new keys — they stay in its history`;
  if (exposed.length > 0)
    return `k8sm-render: warning: ${shown} is in the git work tree ${top} and not ignored: git add -A would stage ${exposed.length} secret file(s) (${example(exposed)}) — add ${shown}/ to ${top}/.gitignore`;
  return undefined;
}
