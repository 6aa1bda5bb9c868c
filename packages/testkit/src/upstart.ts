// A host run by upstart 1.x, for the package runtime's scripts: `initctl` and its links `start`,
// `stop`, `restart`, `status` (initctl(8): "The default installation supplies such links"),
// modelled on upstart's manual, github:ubports/upstart@47a2d086b8c1758e1ca4f91f52fad18a21222cab
// util/man/initctl.8:
// - a job is /etc/init/<job>.conf; a name with no .conf is an unknown job, an error;
// - `start` on a running job: "If the job is already running, start will return an error";
// - `stop` and `restart` on a job with no instance return an error (restart: "if there is none
//   then it returns an error instead of starting a new one");
// - a restarted instance "will retain its original configuration": only stop + start runs a
//   changed .conf. The model keeps, per running job, the .conf it was started with.
// - `reload-configuration` is accepted (init watches /etc/init with inotify anyway).
// There is no systemctl: a call of it fails as "command not found" would.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const INITCTL = `#!/bin/bash
state=/run/upstart-model
printf '%s\\0' CALL "$(($# + 1))" "\${0##*/}" "$@" >>/run/upstart-model-calls
cmd=\${0##*/}
if [ "$cmd" = initctl ]; then cmd=\${1:-}; shift; fi
case $cmd in
  reload-configuration) exit 0 ;;
  start|stop|restart|status) ;;
  *) echo "initctl: $cmd: unknown command" >&2; exit 1 ;;
esac
job=\${1:-}
[ -n "$job" ] || { echo "$cmd: missing job name" >&2; exit 1; }
[ -f "/etc/init/$job.conf" ] || { echo "$cmd: Unknown job: $job" >&2; exit 1; }
running() { [ -f "$state/$job" ]; }
case $cmd in
  start)
    if running; then echo "start: Job is already running: $job" >&2; exit 1; fi
    cp "/etc/init/$job.conf" "$state/$job"; echo "$job start/running, process 4242" ;;
  stop)
    running || { echo "stop: Unknown instance: " >&2; exit 1; }
    rm -f "$state/$job"; echo "$job stop/waiting" ;;
  restart)
    running || { echo "restart: Unknown instance: " >&2; exit 1; }
    echo "$job start/running, process 4243" ;;
  status)
    if running; then echo "$job start/running, process 4242"; else echo "$job stop/waiting"; fi ;;
esac
`;

// bash calls this for a command with no stub: install, chown, mkdir … are logged and succeed,
// systemctl is absent as on an upstart host.
const BASH_ENV = `command_not_found_handle() {
  printf '%s\\0' CALL "$#" "$@" >>/run/upstart-model-calls
  if [ "$1" = systemctl ]; then echo "bash: $1: command not found" >&2; return 127; fi
  return 0
}
`;

export interface UpstartHost {
  /** files in /etc/init before the script runs (the packages' jobs, k8sm's jobs), by job file name */
  readonly jobs: Readonly<Record<string, string>>;
  /** jobs already running, each with the .conf it was started with */
  readonly running?: Readonly<Record<string, string>>;
}

export interface UpstartRun {
  readonly status: number | null;
  readonly stderr: string;
  /** every call of initctl, its links and of any missing command, argv[0] first */
  readonly calls: readonly (readonly string[])[];
  /** the jobs running at the end, each with the .conf it runs */
  readonly running: Readonly<Record<string, string>>;
  /** /etc/init at the end, by file name */
  readonly etcInit: Readonly<Record<string, string>>;
}

/**
 * Run a host script under bash in bubblewrap (no network, read-only root, a fresh /etc holding
 * only /etc/init and what the loader needs) with PATH holding the upstart model, sed and grep.
 */
export function runOnUpstartHost(script: string, host: UpstartHost): UpstartRun {
  const root = mkdtempSync(join(tmpdir(), 'k8sm-upstart-'));
  try {
    const write = (path: string, content: string, mode = 0o644) => {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content, { mode });
    };
    const bin = join(root, 'bin');
    write(join(bin, 'initctl'), INITCTL, 0o755);
    for (const link of ['start', 'stop', 'restart', 'status']) symlinkSync('initctl', join(bin, link));
    for (const tool of ['sed', 'grep', 'cat', 'cp', 'rm']) symlinkSync(`/bin/${tool}`, join(bin, tool));
    write(join(root, 'bash_env'), BASH_ENV);
    write(join(root, 'script.sh'), script);
    for (const [name, content] of Object.entries(host.jobs)) write(join(root, 'etc-init', name), content);
    mkdirSync(join(root, 'etc-init'), { recursive: true });
    for (const [job, conf] of Object.entries(host.running ?? {})) write(join(root, 'state', job), conf);
    mkdirSync(join(root, 'state'), { recursive: true });
    write(join(root, 'calls'), '');
    chmodSync(root, 0o755);
    const run = spawnSync(
      '/usr/bin/bwrap',
      [
        ...['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--tmpfs', '/run'],
        ...['--tmpfs', '/etc', '--ro-bind', '/etc/ld.so.cache', '/etc/ld.so.cache'],
        ...[
          '--bind',
          join(root, 'etc-init'),
          '/etc/init',
          '--bind',
          join(root, 'state'),
          '/run/upstart-model',
        ],
        ...['--bind', join(root, 'calls'), '/run/upstart-model-calls', '--ro-bind', root, '/tmp/case'],
        ...['--unshare-all', '--die-with-parent', '--new-session'],
        ...['/bin/bash', '/tmp/case/script.sh'],
      ],
      {
        encoding: 'utf8',
        env: { PATH: '/tmp/case/bin', BASH_ENV: '/tmp/case/bash_env', HOME: '/tmp' },
        timeout: 60_000,
      },
    );
    if (run.error) throw run.error;
    const words = readFileSync(join(root, 'calls'), 'utf8').split('\0');
    const calls: string[][] = [];
    for (let i = 0; i + 1 < words.length; ) {
      if (words[i] !== 'CALL') {
        i++;
        continue;
      }
      const n = Number(words[i + 1]);
      calls.push(words.slice(i + 2, i + 2 + n));
      i += 2 + n;
    }
    const read = (dir: string) =>
      existsSync(dir)
        ? Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))
        : {};
    return {
      status: run.status,
      stderr: run.stderr,
      calls,
      running: read(join(root, 'state')),
      etcInit: read(join(root, 'etc-init')),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
