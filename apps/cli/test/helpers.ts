import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { examplePath as example } from '@k8sm/testkit-fixtures';

export const renderBin = fileURLToPath(new URL('../../bin/k8sm-render.js', import.meta.url));
export const probeBin = fileURLToPath(new URL('../../bin/k8sm-probe.js', import.meta.url));
export { examplePath as example, examples, threeMasters } from '@k8sm/testkit-fixtures';

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

// The tests compare the bins' text: a FORCE_COLOR (or NO_COLOR) exported by a CI must not colour
// it. Read at each spawn: a test may set a variable for the bin it runs (a password's variable).
function plainEnv(): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, NO_COLOR: _none, ...env } = process.env;
  return env;
}

export function run(bin: string, args: readonly string[], cwd: string): Run {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 20_000,
    env: plainEnv(),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const render = (args: readonly string[], cwd: string) => run(renderBin, args, cwd);

const made: string[] = [];
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'k8sm-cli-'));
  made.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Every file below dir with its bytes and mode, for before/after comparisons. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else
        out[path] =
          `${(statSync(join(dir, path)).mode & 0o777).toString(8)} ${readFileSync(join(dir, path), 'utf8')}`;
    }
  };
  walk('');
  return out;
}

export function writeSpec(dir: string, name: string, spec: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof spec === 'string' ? spec : JSON.stringify(spec, null, 2));
  return file;
}

export const noStack = (text: string) => !/^\s+at /m.test(text) && !/\n\s*Error:/.test(text);

/**
 * A path to render an example from. An example with TLS names a PKI dir beside it: it is copied
 * into `cwd` and `k8sm-render pki` fills the PKI dir there (keys are never committed).
 */
export function renderableExample(name: string, cwd: string): { file: string; pkiDir?: string } {
  const text = readFileSync(example(name), 'utf8');
  // YAML `pkiDir: dir` or JSON `"pkiDir": "dir"`; the examples keep one PKI dir for everything
  const pkiDir = /"?pkiDir"?:\s*"?([^"\s,}]+)"?/.exec(text)?.[1];
  if (pkiDir === undefined) return { file: example(name) };
  const file = join(cwd, name);
  writeFileSync(file, text);
  const r = render(['pki', file], cwd);
  if (r.code !== 0) throw new Error(`k8sm-render pki ${name}: ${r.stderr}`);
  return { file, pkiDir: join(cwd, pkiDir) };
}

/** A TCP port on 127.0.0.1 free a moment ago (for a daemon that must be told its port). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** GET `url`'s body as text, bounded by a timeout. */
export function fetchText(url: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: timed out`)));
    req.on('error', reject);
  });
}

/**
 * A bin run to its end without blocking the event loop (the test's own servers must answer it),
 * killed after `timeoutMs`.
 */
export function runAsync(bin: string, args: readonly string[], timeoutMs = 20_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: plainEnv(),
    });
    let [stdout, stderr] = ['', ''];
    child.stdout?.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr?.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
