// Runs an upstream start script (copied verbatim under upstream/, see upstream/SOURCES.md) in
// bubblewrap, on a host's rendered /etc, with a fake daemon that records the argv and the
// environment it was started with. The root is a fresh tmpfs holding only /usr (read-only), the
// given /etc and the fakes: no network, nothing of this machine's /etc.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** An upstream file as the tests keep it, by its path under packages/testkit/upstream/. */
export const upstreamFile = (path: string): string =>
  readFileSync(fileURLToPath(new URL(`../../upstream/${path}`, import.meta.url)), 'utf8');

/** What the fake daemon saw, or why the script never reached it. */
export interface ScriptRun {
  /** the daemon's argv (argv[0] is the path it was run as); empty when it never ran */
  readonly argv: readonly string[];
  /** the daemon's environment */
  readonly env: Readonly<Record<string, string>>;
  readonly status: number | null;
  readonly stderr: string;
}

export interface ScriptCase {
  /** the script's text, placed at /opt/k8sm/<name> */
  readonly script: string;
  readonly name: string;
  readonly args: readonly string[];
  /** files under /etc, by absolute path: the host's rendered files and the package's own */
  readonly etc: Readonly<Record<string, string>>;
  /** absolute paths of the fake daemon (under /usr/sbin or /opt/k8sm/bin, which is on PATH) */
  readonly daemons: readonly string[];
}

const FAKE = `#!/bin/sh
printf '%s\\0' "$0" "$@" > /tmp/k8sm-out/argv
/usr/bin/env -0 > /tmp/k8sm-out/env
`;
// the scripts send the daemon's output to syslog through logger: there is no syslog here
const LOGGER = '#!/bin/sh\ncat >/dev/null\n';

/** Runs the script in bubblewrap and returns what its daemon was started with. */
export function runUpstreamScript(c: ScriptCase): ScriptRun {
  const root = mkdtempSync(join(tmpdir(), 'k8sm-upstream-'));
  try {
    const write = (path: string, content: string, mode = 0o644) => {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content, { mode });
    };
    for (const [path, content] of Object.entries(c.etc)) {
      if (!path.startsWith('/etc/')) throw new Error(`${path} is not under /etc`);
      write(join(root, path), content);
    }
    // awk and friends are links through /etc/alternatives
    mkdirSync(join(root, 'etc', 'alternatives'), { recursive: true });
    write(join(root, 'opt', c.name), c.script, 0o755);
    write(join(root, 'fake'), FAKE, 0o755);
    write(join(root, 'logger'), LOGGER, 0o755);
    mkdirSync(join(root, 'out'));
    for (const d of c.daemons.filter((d) => d.startsWith('/opt/k8sm/')))
      write(join(root, 'opt', d.slice('/opt/k8sm/'.length)), FAKE, 0o755);
    const fakes = c.daemons
      .filter((d) => !d.startsWith('/opt/k8sm/'))
      .flatMap((d) => ['--ro-bind', join(root, 'fake'), d]);
    const run = spawnSync(
      'bwrap',
      [
        ...[
          '--tmpfs',
          '/',
          '--ro-bind',
          '/usr',
          '/usr',
          '--dev',
          '/dev',
          '--proc',
          '/proc',
          '--tmpfs',
          '/tmp',
        ],
        ...['--symlink', 'usr/bin', '/bin', '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/sbin', '/sbin'],
        ...['--symlink', 'usr/lib64', '/lib64', '--tmpfs', '/usr/sbin', '--tmpfs', '/usr/local'],
        ...['--ro-bind', join(root, 'etc'), '/etc', '--ro-bind', '/etc/alternatives', '/etc/alternatives'],
        ...['--ro-bind', join(root, 'logger'), '/usr/bin/logger'],
        ...['--ro-bind', join(root, 'opt'), '/opt/k8sm'],
        ...fakes,
        ...['--bind', join(root, 'out'), '/tmp/k8sm-out', '--chdir', '/'],
        ...['--unshare-all', '--die-with-parent', '--new-session', '--clearenv'],
        ...['--setenv', 'PATH', '/opt/k8sm/bin:/usr/bin:/bin', '--setenv', 'HOME', '/tmp'],
        ...['/bin/bash', `/opt/k8sm/${c.name}`, ...c.args],
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (run.error) throw run.error;
    const words = (file: string) => {
      try {
        return readFileSync(join(root, 'out', file), 'utf8')
          .split('\0')
          .slice(0, -1);
      } catch {
        return [];
      }
    };
    const env = Object.fromEntries(
      words('env').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );
    return { argv: words('argv'), env, status: run.status, stderr: run.stderr };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
