// Which rendered files run as shell on a host, and how: scripts/<host>.sh and the Ansible steps
// with bash, any file with a `#!` line with its interpreter (init scripts with `start`), and the
// env files of /etc/default read as POSIX shell, as the init scripts that source them do.
import { createHash } from 'node:crypto';
import type { OutputTree } from '@k8sm/render-cluster';
import { SANDBOX_WRITABLE, type SandboxHost, type SandboxScript } from '@k8sm/testkit';

const hostOfPath = (path: string, hosts: readonly string[]): string => {
  const m = /^(?:scripts\/(.+)\.sh|ansible\/steps\/([^/]+)\/|hosts\/([^/]+)\/)/.exec(path);
  const name = m?.[1] ?? m?.[2] ?? m?.[3];
  return name !== undefined && hosts.includes(name) ? name : '(cluster)';
};

export interface HostJob extends SandboxHost {
  readonly files: Readonly<Record<string, string>>;
  /** the same digest means the same scripts and files: the same run */
  readonly digest: string;
}

/** Every rendered file that a host runs as shell, grouped by host, in the order a rollout runs them. */
export function sandboxJobs(tree: OutputTree, hosts: readonly string[]): HostJob[] {
  type Draft = { files: Record<string, string>; scripts: (SandboxScript & { rank: number })[] };
  const jobs = new Map<string, Draft>();
  const job = (host: string) => {
    const known = jobs.get(host);
    if (known) return known;
    const j: Draft = { files: {}, scripts: [] };
    jobs.set(host, j);
    return j;
  };
  for (const [path, file] of tree) {
    const host = hostOfPath(path, hosts);
    const target = path.startsWith('hosts/') ? path.slice(`hosts/${host}`.length) : undefined;
    const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(file.content);
    if (target?.startsWith('/etc/default/') && !shebang) {
      job(host).files[target] = file.content;
      job(host).scripts.push({
        label: `${path} (sourced)`,
        content: file.content,
        shell: 'sh',
        source: true,
        rank: 0,
      });
      continue;
    }
    if (!shebang && !path.startsWith('scripts/') && !path.startsWith('ansible/steps/')) continue;
    const interpreter = shebang?.[1]?.endsWith('/env') ? shebang[2] : shebang?.[1];
    const shell = interpreter?.endsWith('/sh') || interpreter === 'sh' ? 'sh' : 'bash';
    const placed = target !== undefined && SANDBOX_WRITABLE.some((d) => target.startsWith(`${d}/`));
    job(host).scripts.push({
      label: path,
      content: file.content,
      shell,
      ...(placed ? { at: target } : {}),
      ...(target?.startsWith('/etc/init.d/') ? { args: ['start'] } : {}),
      rank: path.startsWith('scripts/') ? 1 : path.startsWith('ansible/') ? 2 : 3,
    });
  }
  return [...jobs].map(([name, j]) =>
    hostJob(
      name,
      j.files,
      j.scripts.sort((a, b) => a.rank - b.rank).map(({ rank: _, ...s }) => s),
    ),
  );
}

export const hostJob = (
  name: string,
  files: Readonly<Record<string, string>>,
  scripts: readonly SandboxScript[],
): HostJob => ({
  name,
  files,
  scripts,
  digest: createHash('sha256')
    .update(JSON.stringify([name, Object.entries(files), scripts]))
    .digest('hex'),
});

/**
 * What of a host's job differs from the same host's job with a plausible value: all of it when
 * its env files differ (init scripts read them), else the scripts that changed; undefined when
 * nothing did. Scripts run each in a fresh directory and read nothing another wrote, so an
 * unchanged script behaves as it did with the plausible value.
 */
export function changedPart(job: HostJob, before: HostJob | undefined): HostJob | undefined {
  if (before === undefined || JSON.stringify(job.files) !== JSON.stringify(before.files)) return job;
  const same = new Set(before.scripts.map((s) => JSON.stringify(s)));
  const scripts = job.scripts.filter((s) => !same.has(JSON.stringify(s)));
  return scripts.length === 0 ? undefined : hostJob(job.name, job.files, scripts);
}

/** The scripts of a job with the given labels, to compare exit codes with. */
export const partOf = (job: HostJob, labels: readonly string[]): HostJob =>
  hostJob(
    job.name,
    job.files,
    job.scripts.filter((s) => labels.includes(s.label)),
  );
