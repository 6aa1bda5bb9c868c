// Runs rendered shell scripts where they can do no harm and every command they call is seen:
// bubblewrap with no network, a read-only root, tmpfs over the few directories the scripts
// write to, and PATH holding only stubs that log their argv. The stub `k8sm_pwned` marks that a
// payload ran; the marker lands in a bind mount outside the scripts' working directory.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The command a payload calls; a stub of that name proves the payload ran. */
export const PWNED = 'k8sm_pwned';

/** Directories the scripts may write to inside the sandbox (each a fresh tmpfs per host). */
export const SANDBOX_WRITABLE = ['/etc/default', '/etc/init.d', '/var/log', '/var/lib', '/run', '/srv'];

/** One script to run, or (source) one env file to read as POSIX shell, as init scripts do. */
export interface SandboxScript {
  /** what the report calls it, e.g. `scripts/m1.sh` */
  readonly label: string;
  readonly content: string;
  readonly shell: 'bash' | 'sh';
  /** absolute path to put it at (under SANDBOX_WRITABLE); default: a private scratch path */
  readonly at?: string;
  readonly args?: readonly string[];
  readonly source?: boolean;
}

export interface SandboxHost {
  readonly name: string;
  /** files placed before the host's scripts run, by absolute path under SANDBOX_WRITABLE */
  readonly files?: Readonly<Record<string, string>>;
  readonly scripts: readonly SandboxScript[];
}

/** One call of an external command: which script made it, and its argv (argv[0] is the name). */
export interface SandboxCall {
  readonly run: string;
  readonly argv: readonly string[];
}

export interface SandboxResult {
  readonly calls: readonly SandboxCall[];
  /** calls of k8sm_pwned: each is a payload that ran */
  readonly pwned: readonly SandboxCall[];
  readonly exits: readonly { readonly run: string; readonly code: number; readonly stderr: string }[];
}

/** Commands every stub set holds (found by `command -v`, at /usr/local/bin for init scripts' DAEMON). */
const COMMON_COMMANDS = [
  'apt-get',
  'cat',
  'chmod',
  'chown',
  'cp',
  'curl',
  'docker',
  'etcd',
  'etcdctl',
  'getent',
  'groupadd',
  'haproxy',
  'id',
  'install',
  'ip',
  'iptables',
  'km',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-proxy',
  'kube-scheduler',
  'kubectl',
  'kubelet',
  'ln',
  'mkdir',
  'modprobe',
  'mv',
  'rm',
  'service',
  'sleep',
  'start-stop-daemon',
  'sysctl',
  'systemctl',
  'tee',
  'touch',
  'update-rc.d',
  'useradd',
  'wget',
  'xargs',
];

// Each call is logged as NUL-separated words: CALL, run, word count, words.
const LOG = `log() { printf '%s\\0' CALL "\${K8SM_RUN:-?}" "$#" "$@" >>/tmp/k8sm-out/calls; }`;
const STUB = `#!/bin/sh
${LOG}
name=\${0##*/}
log "$name" "$@"
case $name in
  ${PWNED}) printf '%s\\0' CALL "\${K8SM_RUN:-?}" "$(($# + 1))" "$name" "$@" >>/tmp/k8sm-out/pwned ;;
  mkdir) for a in "$@"; do case $a in /*) /bin/mkdir -p -- "$a" 2>/dev/null ;; esac; done ;;
  install) for a in "$@"; do [ "$a" = -d ] && d=1; done
    [ -n "\${d:-}" ] && for a in "$@"; do case $a in /*) /bin/mkdir -p -- "$a" 2>/dev/null ;; esac; done ;;
  nohup|setsid) exec "$@" ;;
  sh|bash) exec /bin/$name "$@" ;;
  timeout) shift; exec "$@" ;;
  env) while [ $# -gt 0 ]; do case $1 in -*) shift ;; *=*) export "$1"; shift ;; *) break ;; esac; done
    [ $# -gt 0 ] && exec "$@" ;;
  start-stop-daemon)
    start=; exe=
    while [ $# -gt 0 ]; do
      case $1 in --start|-S) start=1 ;; --exec|-x|--startas|-a) shift; exe=$1 ;; --) shift; break ;; esac; shift
    done
    [ -n "$start" ] && [ -n "$exe" ] && exec "$exe" "$@" ;;
esac
exit 0
`;
// bash calls this for a command that no stub covers: logged and successful like a stub
const BASH_ENV = `${LOG}
command_not_found_handle() { log "$@"; return 0; }
`;

/** The way scripts are confined here, or undefined when bubblewrap cannot run on this machine. */
export function sandboxMechanism(): 'bwrap' | undefined {
  const r = spawnSync('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--unshare-net', '/bin/true'], {
    stdio: 'ignore',
  });
  return r.status === 0 ? 'bwrap' : undefined;
}

const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** The names a script calls at the start of a line or after `;`, `&&`, `||`, `|`, `$(`: they get stubs. */
function commandNames(scripts: readonly SandboxScript[]): string[] {
  const names = new Set<string>();
  for (const s of scripts)
    for (const m of s.content.matchAll(
      /(?:^|[;&|(`]|\bthen|\bdo|\belse)\s*([A-Za-z_][\w.+-]*)(?=[\s;)]|$)/gm,
    ))
      if (m[1]) names.add(m[1]);
  return [...names];
}

function parseCalls(bytes: string): SandboxCall[] {
  const words = bytes.split('\0');
  const out: SandboxCall[] = [];
  for (let i = 0; i + 2 < words.length; ) {
    if (words[i] !== 'CALL') {
      i++;
      continue;
    }
    const run = words[i + 1] ?? '?';
    const n = Number(words[i + 2]);
    out.push({ run, argv: words.slice(i + 3, i + 3 + n) });
    i += 3 + n;
  }
  return out;
}

/** The driver: per host, fresh writable dirs, the host's files, then each script with stubs only. */
function driver(hosts: readonly SandboxHost[]): string {
  const lines = [
    'set -u',
    'export PATH=/usr/bin:/bin',
    // background jobs (nohup … &) must log before the next script starts
    'quiet() { for i in {1..100}; do n=0; for p in /proc/[0-9]*; do n=$((n+1)); done; [ $n -le 2 ] && return; sleep 0.02; done; }',
    `mkdir -p ${hosts.flatMap((h, hi) => h.scripts.map((_, si) => `/tmp/work/h${hi}s${si}`)).join(' ') || '/tmp/work'}`,
  ];
  const scratch = SANDBOX_WRITABLE.map((d) => `${d}/*`);
  hosts.forEach((h, hi) => {
    lines.push(`# host ${h.name}`);
    if (hi > 0) lines.push(`rm -rf ${scratch.join(' ')}`);
    for (const path of Object.keys(h.files ?? {}))
      lines.push(`mkdir -p ${q(dirname(path))} && cp /tmp/k8sm-case/h${hi}/files${q(path)} ${q(path)}`);
    h.scripts.forEach((s, si) => {
      const file = s.at ?? `/tmp/k8sm-case/h${hi}/s${si}`;
      if (s.at) lines.push(`mkdir -p ${q(dirname(s.at))} && cp /tmp/k8sm-case/h${hi}/s${si} ${q(s.at)}`);
      const argv = s.source
        ? [`/bin/${s.shell}`, '-c', 'set -a; . "$1"', s.shell, file]
        : [`/bin/${s.shell}`, file, ...(s.args ?? [])];
      lines.push(
        `cd /tmp/work/h${hi}s${si}`,
        `env -i PATH=/tmp/k8sm-stubs HOME=/tmp/work BASH_ENV=/tmp/k8sm-stubs/.bash_env K8SM_RUN=${q(s.label)} ${argv.map(q).join(' ')} </dev/null 2>/tmp/k8sm-err`,
        `code=$?; quiet; err=; read -r -d '' err </tmp/k8sm-err; printf '%s\\0' EXIT ${q(s.label)} "$code" "\${err:0:2000}" >>/tmp/k8sm-out/exits`,
      );
    });
  });
  return `${lines.join('\n')}\n`;
}

/**
 * Runs every script of every host in one bubblewrap sandbox and says what they called. Throws when
 * bubblewrap cannot run (install Debian's `bubblewrap`) or a file is placed outside SANDBOX_WRITABLE.
 */
export async function runInSandbox(hosts: readonly SandboxHost[]): Promise<SandboxResult> {
  const root = mkdtempSync(join(tmpdir(), 'k8sm-sandbox-'));
  try {
    const write = (path: string, content: string, mode = 0o644) => {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content, { mode });
    };
    const stubs = join(root, 'stubs');
    const names = new Set([...COMMON_COMMANDS, PWNED, 'nohup', 'setsid', 'sh', 'bash', 'timeout', 'env']);
    for (const n of commandNames(hosts.flatMap((h) => h.scripts))) names.add(n);
    for (const n of names) write(join(stubs, n), STUB, 0o755);
    write(join(stubs, '.bash_env'), BASH_ENV);
    hosts.forEach((h, hi) => {
      for (const [path, content] of Object.entries(h.files ?? {})) {
        if (!SANDBOX_WRITABLE.some((d) => path.startsWith(`${d}/`)))
          throw new Error(`sandbox: ${h.name}'s file ${path} is not under ${SANDBOX_WRITABLE.join(', ')}`);
        write(join(root, 'case', `h${hi}`, 'files', path), content);
      }
      h.scripts.forEach((s, si) => {
        write(join(root, 'case', `h${hi}`, `s${si}`), s.content, 0o755);
      });
    });
    write(join(root, 'case', 'driver.sh'), driver(hosts));
    mkdirSync(join(root, 'out'));
    for (const f of ['calls', 'pwned', 'exits']) write(join(root, 'out', f), '');
    const args = [
      ...['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'],
      ...['--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL'],
      ...SANDBOX_WRITABLE.filter((d) => existsSync(d)).flatMap((d) => ['--tmpfs', d]),
      ...['--ro-bind', join(root, 'case'), '/tmp/k8sm-case', '--ro-bind', stubs, '/tmp/k8sm-stubs'],
      // init scripts check their DAEMON at /usr/local/bin: the stubs are there too
      ...['--ro-bind', stubs, '/usr/local/bin'],
      ...['--bind', join(root, 'out'), '/tmp/k8sm-out', '--chdir', '/tmp'],
      ...['/bin/bash', '/tmp/k8sm-case/driver.sh'],
    ];
    const status = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('bwrap', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve(code) : reject(new Error(`bwrap exited ${code}: ${stderr}`)),
      );
    });
    void status;
    const read = (f: string) => readFileSync(join(root, 'out', f), 'utf8');
    const exits = [];
    const words = read('exits').split('\0');
    for (let i = 0; i + 3 < words.length; i += 4)
      exits.push({ run: words[i + 1] ?? '?', code: Number(words[i + 2]), stderr: words[i + 3] ?? '' });
    return { calls: parseCalls(read('calls')), pwned: parseCalls(read('pwned')), exits };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
