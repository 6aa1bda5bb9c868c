import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { removeTempDirs, render, renderBin, snapshot, tempDir, writeSpec } from './helpers.js';

test.after.always(() => removeTempDirs());

/** Three etcd members over TLS, their PKI dir `pki` beside the spec. */
const tlsSpec = (cwd: string, members = 3) =>
  writeSpec(cwd, `spec-${members}.json`, {
    name: 'e',
    hosts: Array.from({ length: members }, (_, i) => ({
      name: `etcd-${i + 1}`,
      address: `10.0.0.${i + 1}`,
      roles: ['etcd'],
    })),
    etcd: { version: '3.4.23', tls: { client: true, peer: true, pkiDir: 'pki' } },
  });

/** A stand-in for /etc/shadow: what a symlinked key would leak. */
function shadow(cwd: string): { path: string; secret: string } {
  const secret = 'root:$6$k8smsalt$leakedhashleakedhash:19000:0:99999:7:::';
  const path = join(cwd, 'shadow');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return { path, secret };
}

test('pki and render refuse a PKI dir anyone can write, naming it and the fix; nothing is written', (t) => {
  const cwd = tempDir();
  const spec = tlsSpec(cwd);
  mkdirSync(join(cwd, 'pki'));
  chmodSync(join(cwd, 'pki'), 0o777);
  symlinkSync('/nowhere', join(cwd, 'pki/planted'));
  const refused = render(['pki', spec], cwd);
  t.is(refused.code, 1);
  t.regex(
    refused.stderr,
    /PKI dir .*\/pki cannot be trusted; nothing was read or written:\n {2}.*\/pki is writable by its group and everyone \(mode 0777\): anyone who can write there can plant a CA — chmod 700 .*\/pki$/m,
  );
  t.regex(refused.stderr, /\/pki\/planted is a symbolic link \(to \/nowhere\)/, 'every problem in one run');
  t.deepEqual(readdirSync(join(cwd, 'pki')), ['planted'], 'nothing written');
  rmSync(join(cwd, 'pki/planted'));
  t.is(render([spec, '-o', 'out'], cwd).code, 1, 'render fills a PKI dir only if it can be trusted');
  t.false(existsSync(join(cwd, 'out')));

  // the fix, then a group-writable subdirectory: named on its own
  chmodSync(join(cwd, 'pki'), 0o700);
  t.is(render(['pki', spec], cwd).code, 0);
  chmodSync(join(cwd, 'pki/etcd/etcd-2'), 0o775);
  const before = snapshot(join(cwd, 'pki'));
  for (const args of [
    ['pki', spec],
    [spec, '-o', 'out'],
    [spec, '--dry-run'],
  ]) {
    const r = render(args, cwd);
    t.is(r.code, 1, args.join(' '));
    t.regex(
      r.stderr,
      /\/pki\/etcd\/etcd-2 is writable by its group \(mode 0775\).* — chmod 700 .*\/pki\/etcd\/etcd-2$/m,
    );
    t.notRegex(r.stderr, /internal error|^\s+at /m);
  }
  t.deepEqual(snapshot(join(cwd, 'pki')), before);
  t.false(existsSync(join(cwd, 'out')));
});

test('a key symlinked to another file is refused; what it points to appears nowhere (issue 13)', (t) => {
  const cwd = tempDir();
  const spec = tlsSpec(cwd);
  t.is(render(['pki', spec], cwd).code, 0);
  const { path, secret } = shadow(cwd);
  const key = join(cwd, 'pki/etcd/etcd-1/server.key');
  rmSync(key);
  symlinkSync(path, key);
  for (const args of [
    ['pki', spec],
    ['pki', spec, '--dry-run'],
    [spec, '-o', 'out'],
    [spec, '--dry-run'],
    [spec, '-o', 'out', '--check'],
  ]) {
    const r = render(args, cwd);
    t.is(r.code, 1, args.join(' '));
    t.regex(
      r.stderr,
      /\/pki\/etcd\/etcd-1\/server\.key is a symbolic link \(to .*\/shadow\), which k8sm never follows in a PKI dir — put the file itself there, or remove the link/,
    );
    t.false(`${r.stdout}${r.stderr}`.includes('leakedhash'), args.join(' '));
  }
  t.false(existsSync(join(cwd, 'out')), 'no output, so no copy of the file');
  // (the snapshot reads through the link itself: skip it and the file it points to)
  const copies = Object.entries(snapshot(cwd)).filter(
    ([p, c]) => p !== 'shadow' && p !== 'pki/etcd/etcd-1/server.key' && c.includes(secret),
  );
  t.deepEqual(copies, []);
});

test('a dangling ca.key is refused before anything is written; once removed, the next run succeeds', (t) => {
  const cwd = tempDir();
  const spec = tlsSpec(cwd);
  mkdirSync(join(cwd, 'pki/etcd'), { recursive: true, mode: 0o700 });
  chmodSync(join(cwd, 'pki'), 0o700);
  symlinkSync(join(cwd, 'nowhere/ca.key'), join(cwd, 'pki/etcd/ca.key'));
  const refused = render(['pki', spec], cwd);
  t.is(refused.code, 1);
  t.regex(refused.stderr, /\/pki\/etcd\/ca\.key is a symbolic link \(to .*\/nowhere\/ca\.key\)/);
  t.deepEqual(readdirSync(join(cwd, 'pki/etcd')), ['ca.key'], 'no ca.crt written beside it');
  t.is(render([spec, '-o', 'out'], cwd).code, 1);

  rmSync(join(cwd, 'pki/etcd/ca.key'));
  const fixed = render(['pki', spec], cwd);
  t.is(fixed.code, 0, fixed.stderr);
  t.regex(fixed.stdout, /created 18 file\(s\), kept 0 certificate\(s\)/);
  t.is(render([spec, '-o', 'out'], cwd).code, 0);
});

test('a PKI set is written whole, keys 0600 in 0700 dirs; a later run adds to it without touching what is there', (t) => {
  const cwd = tempDir();
  t.is(render(['pki', tlsSpec(cwd, 3)], cwd).code, 0);
  const three = snapshot(join(cwd, 'pki'));
  const grown = render(['pki', tlsSpec(cwd, 4)], cwd);
  t.is(grown.code, 0, grown.stderr);
  t.regex(grown.stdout, /created 4 file\(s\), kept 9 certificate\(s\)/);
  const four = snapshot(join(cwd, 'pki'));
  for (const [path, content] of Object.entries(three)) t.is(four[path], content, `${path} kept as it was`);
  t.is(four['etcd/etcd-4/server.key']?.slice(0, 4), '600 ');
  t.is(four['etcd/etcd-4/server.crt']?.slice(0, 4), '644 ');
  t.is((statSync(join(cwd, 'pki/etcd/etcd-4')).mode & 0o777).toString(8), '700');
  t.deepEqual(
    readdirSync(cwd).filter((n) => n.includes('k8sm')),
    [],
    'no staging dir left beside the PKI dir',
  );
});

interface Killed {
  readonly signal: NodeJS.Signals | null;
}

/** The real CLI, SIGKILLed `afterMs` after it starts or after its staging dir appears. */
function killedRun(args: readonly string[], cwd: string, when: 'start' | 'staging', afterMs: number) {
  return new Promise<Killed>((resolve) => {
    const child = spawn(process.execPath, [renderBin, ...args], { cwd, stdio: 'ignore', timeout: 20_000 });
    const timers: NodeJS.Timeout[] = [];
    const kill = () => timers.push(setTimeout(() => child.kill('SIGKILL'), afterMs));
    const watcher =
      when === 'staging'
        ? watch(cwd, (_event, name) => {
            if (name?.startsWith('.pki.k8sm-new-')) kill();
          })
        : undefined;
    if (when === 'start') kill();
    child.on('exit', (_code, signal) => {
      watcher?.close();
      for (const timer of timers) clearTimeout(timer);
      resolve({ signal });
    });
  });
}

test.serial(
  'a pki run killed at any point leaves no PKI dir, the previous one, or the new one whole; the next run succeeds',
  async (t) => {
    t.timeout(180_000);
    // the whole new set, and how long an uninterrupted run takes
    const reference = tempDir();
    const started = Date.now();
    t.is(render(['pki', tlsSpec(reference, 4)], reference).code, 0);
    const duration = Date.now() - started;
    const whole = Object.keys(snapshot(join(reference, 'pki'))).sort();
    const outcomes: string[] = [];
    const runs = 10;
    for (let i = 0; i < runs; i++) {
      const cwd = tempDir();
      // odd runs add etcd-4 to a complete PKI dir of three members; even runs start from nothing
      const grow = i % 2 === 1;
      if (grow) t.is(render(['pki', tlsSpec(cwd, 3)], cwd).code, 0);
      const before = grow ? snapshot(join(cwd, 'pki')) : undefined;
      const spec = tlsSpec(cwd, 4);
      // half the kills anywhere in a run, half while it writes (from its staging dir on)
      const [when, afterMs] =
        i < runs / 2
          ? (['start', Math.round((duration * (i + 1)) / (runs / 2))] as const)
          : (['staging', i - runs / 2] as const);
      const { signal } = await killedRun(['pki', spec], cwd, when, afterMs);

      const pki = join(cwd, 'pki');
      const found = existsSync(pki) ? snapshot(pki) : undefined;
      const state =
        found === undefined
          ? 'absent'
          : before && JSON.stringify(found) === JSON.stringify(before)
            ? 'previous'
            : JSON.stringify(Object.keys(found).sort()) === JSON.stringify(whole)
              ? 'new, whole'
              : `half-written: ${Object.keys(found).length} files`;
      outcomes.push(`${when}+${afterMs}ms ${signal ?? 'exited'}: ${state}`);
      t.true(['absent', 'previous', 'new, whole'].includes(state), outcomes.at(-1));

      const next = render(['pki', spec], cwd);
      t.is(next.code, 0, `run after ${outcomes.at(-1)}: ${next.stderr}`);
      const after = snapshot(pki);
      t.deepEqual(Object.keys(after).sort(), whole);
      if (before)
        for (const [path, content] of Object.entries(before))
          t.is(after[path], content, `${path} is the previous one`);
      t.regex(
        render(['pki', spec], cwd).stdout,
        /created 0 file\(s\), kept 11 certificate\(s\)/,
        'and it is consistent',
      );
      t.deepEqual(
        readdirSync(cwd).filter((n) => n.startsWith('.pki.')),
        [],
        'nothing left beside the PKI dir',
      );
    }
    t.log(outcomes.join('\n'));
  },
);

test('what a run killed mid-swap leaves is undone by the next: the previous PKI dir is put back, dead staging removed', (t) => {
  const cwd = tempDir();
  const spec = tlsSpec(cwd, 3);
  t.is(render(['pki', spec], cwd).code, 0);
  const before = snapshot(join(cwd, 'pki'));
  // the state between the two renames of a swap, and a staging dir whose run is gone
  renameSync(join(cwd, 'pki'), join(cwd, '.pki.k8sm-old'));
  const dead = spawnSync('true').pid;
  mkdirSync(join(cwd, `.pki.k8sm-new-${dead}-x1y2z3/etcd`), { recursive: true });
  writeFileSync(join(cwd, `.pki.k8sm-new-${dead}-x1y2z3/etcd/ca.crt`), 'half\n');

  const r = render([spec, '-o', 'out'], cwd);
  t.is(r.code, 0, r.stderr);
  t.regex(
    r.stderr,
    /k8sm-render pki: .*\/pki: put back from .*\/\.pki\.k8sm-old, left by an interrupted run/,
  );
  t.deepEqual(snapshot(join(cwd, 'pki')), before, 'the previous CA, not a new one');
  t.deepEqual(
    readdirSync(cwd).filter((n) => n.startsWith('.pki.')),
    [],
  );
});
