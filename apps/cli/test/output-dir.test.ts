import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import {
  example,
  noStack,
  removeTempDirs,
  render,
  renderBin,
  snapshot,
  tempDir,
  writeSpec,
} from './helpers.js';

// The output directory as an operator's CI meets it: another tool's directory, another spec's
// render, a link, a live and a dead lock, renders killed at random moments, two renders at
// once, a full and a read-only file system, a mount point. What the next run finds is checked
// with `--check` (the tree equals a full render) and by listing what is left beside it.

const mounted: string[] = [];
test.after.always(() => {
  for (const dir of mounted.splice(0)) {
    try {
      execFileSync('umount', [dir]);
    } catch {}
  }
  removeTempDirs();
});

const mesosphere = () => JSON.parse(readFileSync(example('mesosphere-3-masters.json'), 'utf8'));

/** The Mesosphere example with `agents` agents: a render long enough to be killed inside. */
function manyAgents(agents: number, address = 10) {
  const spec = mesosphere();
  spec.hosts = [
    ...spec.hosts.slice(0, 3),
    ...Array.from({ length: agents }, (_, i) => ({
      name: `agent${i}`,
      address: `10.${address}.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      roles: ['mesos-agent'],
    })),
  ];
  return spec;
}

/** Entries beside `out` that a render leaves only while it runs: staging, the swap's `-old`, the lock. */
const litter = (cwd: string) => readdirSync(cwd).filter((n) => n.startsWith('.out.k8sm-'));

test('a directory without the ownership marker is never replaced, not even with --force; a manifest.json proves nothing', (t) => {
  const cwd = tempDir();
  mkdirSync(join(cwd, 'webapp'));
  writeFileSync(join(cwd, 'webapp/manifest.json'), '{"name":"my web app","start_url":"/"}\n');
  writeFileSync(join(cwd, 'webapp/index.html'), '<h1>hi</h1>\n');
  const before = snapshot(join(cwd, 'webapp'));
  for (const extra of [[], ['--force']]) {
    const r = render([example('mesosphere-3-masters.json'), '-o', 'webapp', ...extra], cwd);
    t.is(r.code, 1, r.stderr);
    t.regex(r.stderr, /output directory webapp is not empty and has no \.k8sm-output\.json/);
    t.true(noStack(r.stderr));
  }
  t.deepEqual(snapshot(join(cwd, 'webapp')), before);
  t.deepEqual(litter(cwd), []);
});

test("another spec's output is refused, naming both specs; --force replaces it and the marker names the new spec", (t) => {
  const cwd = tempDir();
  t.is(render([example('mesosphere-3-masters.json'), '-o', 'out'], cwd).code, 0);
  t.deepEqual(JSON.parse(readFileSync(join(cwd, 'out/.k8sm-output.json'), 'utf8')), {
    generator: 'k8sm-render',
    format: 1,
    spec: 'mesosphere-demo',
  });
  const before = snapshot(join(cwd, 'out'));
  const other = example('k8s-on-mesos-single-master.json');
  const refused = render([other, '-o', 'out'], cwd);
  t.is(refused.code, 1);
  t.regex(
    refused.stderr,
    /output directory out holds the render of spec "mesosphere-demo", not "k8sm-single" — pass --force/,
  );
  t.deepEqual(snapshot(join(cwd, 'out')), before);
  const forced = render([other, '-o', 'out', '--force'], cwd);
  t.is(forced.code, 0, forced.stderr);
  t.regex(readFileSync(join(cwd, 'out/.k8sm-output.json'), 'utf8'), /"spec":"k8sm-single"/);
  t.is(render([other, '-o', 'out', '--check'], cwd).code, 0);
});

test('an output an earlier k8sm-render wrote (a manifest.json of k8sm, no marker) is adopted with --force only', (t) => {
  const cwd = tempDir();
  const spec = example('mesosphere-3-masters.json');
  t.is(render([spec, '-o', 'out'], cwd).code, 0);
  renameSync(join(cwd, 'out/.k8sm-output.json'), join(cwd, 'marker-aside'));
  const refused = render([spec, '-o', 'out'], cwd);
  t.is(refused.code, 1);
  t.regex(refused.stderr, /was written by an earlier k8sm-render .* pass --force once to adopt it/);
  t.is(render([spec, '-o', 'out', '--force'], cwd).code, 0);
  t.is(render([spec, '-o', 'out'], cwd).code, 0);
});

test('-o as a symbolic link is refused by render and --check; neither the link nor its directory changes', (t) => {
  const cwd = tempDir();
  const spec = example('mesosphere-3-masters.json');
  t.is(render([spec, '-o', 'real'], cwd).code, 0);
  symlinkSync('real', join(cwd, 'link'));
  const before = snapshot(join(cwd, 'real'));
  for (const extra of [[], ['--check']]) {
    const r = render([spec, '-o', 'link', ...extra], cwd);
    t.is(r.code, 1, extra.join(' '));
    t.regex(r.stderr, /output path link is a symbolic link \(to real\)/);
    t.true(noStack(r.stderr));
  }
  t.deepEqual(snapshot(join(cwd, 'real')), before);
});

test('a live lock makes a second render and --check fail at once, naming its pid; a dead one is broken', (t) => {
  const cwd = tempDir();
  const spec = example('mesosphere-3-masters.json');
  t.is(render([spec, '-o', 'out'], cwd).code, 0);
  const before = snapshot(join(cwd, 'out'));
  // a live process whose command line says k8sm, as a render's does
  const holder = spawn('bash', ['-c', 'exec -a k8sm-render-holder sleep 30'], { stdio: 'ignore' });
  try {
    const host = hostname();
    for (let i = 0; i < 50 && !readFileSync(`/proc/${holder.pid}/cmdline`, 'latin1').includes('k8sm'); i++)
      execFileSync('sleep', ['0.05']);
    writeFileSync(join(cwd, '.out.k8sm-lock'), `${holder.pid} ${host} token\n`);
    for (const extra of [[], ['--check']]) {
      const r = render([spec, '-o', 'out', ...extra], cwd);
      t.is(r.code, 1, r.stderr);
      t.regex(
        r.stderr,
        new RegExp(`another k8sm-render \\(pid ${holder.pid}\\) is writing out — wait for it`),
      );
    }
    t.deepEqual(snapshot(join(cwd, 'out')), before);
  } finally {
    holder.kill('SIGKILL');
  }
  execFileSync('sleep', ['0.2']);
  const after = render([spec, '-o', 'out'], cwd);
  t.is(after.code, 0, after.stderr);
  t.deepEqual(litter(cwd), []);
});

test('a render killed between the two renames of its swap: --check says so, the next run puts the previous output back and removes every leftover', (t) => {
  const cwd = tempDir();
  const spec = example('mesosphere-3-masters.json');
  t.is(render([spec, '-o', 'out'], cwd).code, 0);
  const before = snapshot(join(cwd, 'out'));
  // what a kill leaves there: the previous tree aside, a staging dir and the lock of a dead pid,
  // and the staging dirs older versions left (`.out.k8sm-XXXXXX`, `….old`)
  const dead = 2 ** 22 + 12345;
  const host = hostname();
  renameSync(join(cwd, 'out'), join(cwd, '.out.k8sm-old'));
  mkdirSync(join(cwd, `.out.k8sm-new-${dead}-a1b2c3/hosts`), { recursive: true });
  mkdirSync(join(cwd, '.out.k8sm-Q1w2E3/scripts'), { recursive: true });
  writeFileSync(join(cwd, '.out.k8sm-lock'), `${dead} ${host} token\n`);
  const check = render([spec, '-o', 'out', '--check'], cwd);
  t.is(check.code, 1);
  t.regex(
    check.stderr,
    /out does not exist: a render was killed .* the previous output is in .*\.out\.k8sm-old — run k8sm-render once/,
  );
  t.false(existsSync(join(cwd, 'out')), '--check writes nothing');
  const next = render([spec, '-o', 'out'], cwd);
  t.is(next.code, 0, next.stderr);
  t.regex(
    next.stderr,
    /out: put back from .*\.out\.k8sm-old, left by a render killed while it swapped the output in/,
  );
  t.regex(next.stderr, /removed 2 leftover\(s\) of interrupted renders beside out/);
  t.deepEqual(snapshot(join(cwd, 'out')), before);
  t.deepEqual(litter(cwd), []);
});

/** k8sm-render to completion with room for a loaded CI machine (the suite runs test files at once). */
const renderLoaded = (args: readonly string[], cwd: string) => {
  const r = spawnSync(process.execPath, [renderBin, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: `${r.stderr}${r.signal ? ` (ended by ${r.signal})` : ''}`,
  };
};

/** k8sm-render spawned without waiting, for kills and races. */
function spawnRender(args: readonly string[], cwd: string) {
  const child: ChildProcess = spawn(process.execPath, [renderBin, ...args], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, done };
}

/** A deterministic stream in [0, 1): the same kill moments on every run. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

test.serial(
  'SIGKILL at random moments of a large render: -o is always the old or the new tree (or the old one aside), and the next run leaves no litter',
  async (t) => {
    t.timeout(600_000);
    const cwd = tempDir();
    // two specs of one cluster that differ in every agent address: each kill leaves one or the other
    const a = writeSpec(cwd, 'a.json', manyAgents(200, 10));
    const b = writeSpec(cwd, 'b.json', manyAgents(200, 11));
    const started = Date.now();
    t.is(renderLoaded([a, '-o', 'out'], cwd).code, 0);
    const fullMs = Date.now() - started;
    const next = random(16);
    const seen = { old: 0, new: 0, aside: 0, leftovers: 0, finished: 0 };
    const KILLS = 8;
    const deadline = Date.now() + 300_000;
    let kills = 0;
    for (let i = 0; i < KILLS && Date.now() < deadline; i++) {
      const [from, to] = i % 2 === 0 ? [a, b] : [b, a];
      const r = spawnRender([to, '-o', 'out'], cwd);
      await new Promise((res) => setTimeout(res, (0.3 + 0.9 * next()) * fullMs));
      r.child.kill('SIGKILL');
      const end = await r.done;
      if (end.signal === 'SIGKILL') kills++;
      else seen.finished++;
      seen.leftovers += litter(cwd).length;
      const matches = (spec: string, dir: string) =>
        renderLoaded([spec, '-o', dir, '--check'], cwd).code === 0;
      if (existsSync(join(cwd, 'out'))) {
        if (matches(from, 'out')) seen.old++;
        else if (matches(to, 'out')) seen.new++;
        else t.fail(`kill ${i}: out is neither the old nor the new render`);
      } else {
        t.true(
          matches(from, '.out.k8sm-old'),
          `kill ${i}: out is gone and .out.k8sm-old is not the old render`,
        );
        seen.aside++;
      }
      // the next run (not killed) recovers: the lock of the dead run is broken, leftovers go
      const done = renderLoaded([from, '-o', 'out'], cwd);
      t.is(done.code, 0, done.stderr);
      t.true(noStack(done.stderr));
      t.true(matches(from, 'out'));
      t.deepEqual(litter(cwd), [], `kill ${i}: litter after the next run`);
    }
    t.log(
      `${kills} SIGKILLs of a ${fullMs} ms render (${KILLS - kills} finished first): old tree ${seen.old}, new tree ${seen.new}, old tree aside ${seen.aside}; ${seen.leftovers} leftovers found after the kills, 0 after each next run`,
    );
    t.true(kills >= KILLS / 2, 'most runs were killed before they finished');
  },
);

test.serial(
  'two renders into one -o at once: one writes, the other is refused at once with the lock message; the tree is always one whole render',
  async (t) => {
    t.timeout(600_000);
    const cwd = tempDir();
    const a = writeSpec(cwd, 'a.json', manyAgents(150, 10));
    const b = writeSpec(cwd, 'b.json', manyAgents(150, 11));
    t.is(renderLoaded([a, '-o', 'out'], cwd).code, 0);
    const ROUNDS = 12;
    let refused = 0;
    let bothWrote = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const runs = await Promise.all([
        spawnRender([a, '-o', 'out'], cwd).done,
        spawnRender([b, '-o', 'out'], cwd).done,
      ]);
      for (const r of runs) {
        if (r.code === 0) continue;
        t.is(r.code, 1, r.stderr);
        t.regex(
          r.stderr,
          /^k8sm-render: another k8sm-render \(pid \d+\) is writing out — wait for it to finish$/m,
        );
        t.notRegex(r.stderr, /ENOTEMPTY|ENOENT|internal error/);
        refused++;
      }
      if (runs.every((r) => r.code === 0)) bothWrote++;
      const codes = runs.map((r) => r.code);
      // the tree is the render of a run that exited 0: never a mix
      const whole = [a, b].filter(
        (s, k) => codes[k] === 0 && renderLoaded([s, '-o', 'out', '--check'], cwd).code === 0,
      );
      t.true(
        whole.length >= 1,
        `round ${i}: out is not the render of a run that succeeded (${codes.join(',')})`,
      );
      t.deepEqual(litter(cwd), []);
    }
    t.log(
      `${ROUNDS} rounds of two renders: ${refused} refused by the lock, ${bothWrote} rounds where both wrote one after the other`,
    );
    t.true(refused > 0, 'the renders overlapped at least once');
  },
);

/** A tmpfs of `size` at `dir`: needs root (CI runs as root; never skipped under CI=true). */
function mountTmpfs(t: { fail: (m: string) => void }, dir: string, size: string): boolean {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    mounted.push(dir);
    return true;
  } catch (error) {
    if (process.env.CI === 'true') t.fail(`cannot mount a tmpfs at ${dir} (CI runs as root): ${error}`);
    return false;
  }
}

const mountTest = process.getuid?.() === 0 || process.env.CI === 'true' ? test.serial : test.skip;

mountTest(
  'a full file system: an unchanged re-render still fits; a changed one fails naming it, the previous output stays whole, nothing is left',
  (t) => {
    const cwd = tempDir();
    const disk = join(cwd, 'disk');
    const spec = writeSpec(cwd, 'spec.json', manyAgents(120));
    const first = render([spec, '-o', 'probe-size'], cwd);
    t.is(first.code, 0);
    const bytes = Number(
      execFileSync('du', ['-sb', join(cwd, 'probe-size')], { encoding: 'utf8' }).split('\t')[0],
    );
    // room for one output, not for the staged copy beside it
    if (!mountTmpfs(t, disk, `${Math.ceil((bytes * 1.6) / 4096) * 4}k`)) return t.pass('no tmpfs here');
    const out = join(disk, 'out');
    t.is(render([spec, '-o', out], cwd).code, 0);
    const before = snapshot(out);
    // an unchanged re-render needs no room: every file is carried over from the previous output
    t.is(render([spec, '-o', out], cwd).code, 0);
    t.deepEqual(snapshot(out), before);
    // another spec's name is in every file's header: every file is written anew, and there is no room
    const renamed = writeSpec(cwd, 'renamed.json', { ...manyAgents(120), name: 'renamed' });
    const r = render([renamed, '-o', out, '--force'], cwd);
    t.is(r.code, 1, r.stderr);
    t.regex(
      r.stderr,
      /cannot write output directory .*: no space left on the device \(ENOSPC\) — it is as it was/,
    );
    t.true(noStack(r.stderr));
    t.deepEqual(snapshot(out), before);
    t.deepEqual(
      readdirSync(disk).filter((n) => n !== 'out'),
      [],
    );
  },
);

mountTest('a mount point as -o, and a read-only file system: clear refusals, nothing touched', (t) => {
  const cwd = tempDir();
  const spec = example('mesosphere-3-masters.json');
  const mnt = join(cwd, 'mnt');
  if (!mountTmpfs(t, mnt, '4m')) return t.pass('no tmpfs here');
  const r = render([spec, '-o', mnt], cwd);
  t.is(r.code, 1);
  t.regex(
    r.stderr,
    /output directory .*mnt is a mount point — .* pass a new directory inside it, e.g. -o .*mnt\/out/,
  );
  t.true(noStack(r.stderr));
  const out = join(mnt, 'out');
  t.is(render([spec, '-o', out], cwd).code, 0);
  const before = snapshot(out);
  execFileSync('mount', ['-o', 'remount,ro', mnt]);
  const ro = render([spec, '-o', out], cwd);
  t.is(ro.code, 1);
  t.regex(
    ro.stderr,
    /cannot write output directory .*: its lock .* cannot be taken: read-only file system \(EROFS\)/,
  );
  t.true(noStack(ro.stderr));
  t.deepEqual(snapshot(out), before);
});

test('a partial render is not merged into a full one: refused with the way out; it gets its own -o, writes no empty script, and a full render may replace it', (t) => {
  const cwd = tempDir();
  const spec = example('mesosphere-3-masters.json');
  t.is(render([spec, '-o', 'out'], cwd).code, 0);
  const full = snapshot(join(cwd, 'out'));
  const refused = render([spec, '-o', 'out', '--only', 'zookeeper'], cwd);
  t.is(refused.code, 1);
  t.regex(
    refused.stderr,
    /output directory out holds a full render of "mesosphere-demo"; --only zookeeper would replace it with that part alone — render in full to update it, or give the part its own -o/,
  );
  t.deepEqual(snapshot(join(cwd, 'out')), full);
  t.is(render([spec, '-o', 'out', '--check'], cwd).code, 0, 'the full output is still a full render');

  const zk = render([spec, '-o', 'zk', '--only', 'zookeeper'], cwd);
  t.is(zk.code, 0, zk.stderr);
  // the agents run no ZooKeeper: no script for them, not an empty one
  t.deepEqual(readdirSync(join(cwd, 'zk/scripts')).sort(), [
    'mesos-master1.sh',
    'mesos-master2.sh',
    'mesos-master3.sh',
  ]);
  t.regex(readFileSync(join(cwd, 'zk/.k8sm-output.json'), 'utf8'), /"filter":\{"only":\["zookeeper"\]\}/);
  t.is(render([spec, '-o', 'zk', '--only', 'zookeeper'], cwd).code, 0, 'the same part again');
  const other = render([spec, '-o', 'zk', '--only', 'zookeeper,mesos'], cwd);
  t.is(other.code, 1);
  t.regex(
    other.stderr,
    /holds --only zookeeper of "mesosphere-demo"; --only zookeeper,mesos would replace it/,
  );
  const host = render([spec, '-o', 'zk', '--host', 'mesos-slave1'], cwd);
  t.is(host.code, 1);
  t.regex(host.stderr, /--host mesos-slave1 would replace it/);
  t.is(render([spec, '-o', 'zk'], cwd).code, 0, 'a full render holds every part');
  t.deepEqual(snapshot(join(cwd, 'zk')), full);
});

test('keys stay out of git: the PKI dir and an output with key material ignore themselves, --json lists the PKI files created, and keys git already tracks are named', (t) => {
  const cwd = tempDir();
  const sh = (args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });
  sh(['init', '-q']);
  sh(['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'start']);
  const spec = join(cwd, 'spec.yaml');
  writeFileSync(spec, readFileSync(example('k8s-1.6-standalone-ha.yaml'), 'utf8'));
  const first = render([spec, '-o', 'out', '--json'], cwd);
  t.is(first.code, 0, first.stderr);
  const created = JSON.parse(first.stdout).pkiCreated as string[];
  t.true(
    created.some((p) => p.endsWith('pki/kube-16-ha/etcd/ca.key')),
    created.join(' '),
  );
  t.true(created.some((p) => p.endsWith('pki/kube-16-ha/.gitignore')));
  t.false(first.stdout.includes('PRIVATE KEY'));
  t.true(existsSync(join(cwd, 'out/.gitignore')), 'the output holds keys: it ignores itself');
  // what an operator's `git add -A` stages: the spec, no key, no kubeconfig
  sh(['add', '-A']);
  const staged = sh(['diff', '--cached', '--name-only']).split('\n').filter(Boolean);
  t.deepEqual(staged, ['spec.yaml']);
  t.is(render([spec, '-o', 'out'], cwd).stderr.match(/warning: .*git/g), null, 'nothing exposed: no warning');
  // a key committed before (by hand, or by an older k8sm) is named, with the way out
  sh(['add', '-f', 'pki/kube-16-ha/etcd/ca.key']);
  const tracked = render([spec, '-o', 'out'], cwd);
  t.is(tracked.code, 0);
  t.regex(
    tracked.stderr,
    /warning: git tracks 1 secret file\(s\) of .*pki\/kube-16-ha in the work tree .* \(e\.g\. pki\/kube-16-ha\/etcd\/ca\.key\): run git rm -r --cached -- .*pki\/kube-16-ha, commit, and issue new keys/,
  );
  // a plain spec has no key material: no .gitignore in its output
  t.is(render([example('mesosphere-3-masters.json'), '-o', 'plain'], cwd).code, 0);
  t.false(existsSync(join(cwd, 'plain/.gitignore')));
});

test('progress: --verbose gives a line per phase on stderr with counts and times, --json stays clean, --quiet says nothing on success', (t) => {
  const cwd = tempDir();
  const spec = join(cwd, 'spec.yaml');
  writeFileSync(spec, readFileSync(example('k8s-1.6-standalone-ha.yaml'), 'utf8'));
  const verbose = render([spec, '-o', 'out', '--verbose', '--json'], cwd);
  t.is(verbose.code, 0, verbose.stderr);
  const phases = verbose.stderr
    .split('\n')
    .flatMap((l) => /^k8sm-render: (\w+) +(.*) \((\d+) ms\)$/.exec(l)?.slice(1, 3) ?? []);
  t.deepEqual(
    phases.filter((_, i) => i % 2 === 0),
    ['validate', 'pki', 'render', 'write'],
  );
  t.regex(verbose.stderr, /^k8sm-render: validate +7 hosts, 0 warning\(s\) \(\d+ ms\)$/m);
  t.regex(verbose.stderr, /^k8sm-render: pki +\d+ file\(s\) created \(\d+ ms\)$/m);
  t.regex(verbose.stderr, /^k8sm-render: write +\d+ files written, \d+ unchanged, into out \(\d+ ms\)$/m);
  t.is(JSON.parse(verbose.stdout).ok, true);
  // not a terminal, not asked: no progress (CI logs and scripts)
  const plain = render([spec, '-o', 'out'], cwd);
  t.notRegex(plain.stderr, /k8sm-render: (validate|render|write) /);
  t.regex(plain.stdout, /^k8sm-render: rendered kube-16-ha/);
  const quiet = render([spec, '-o', 'out', '--quiet'], cwd);
  t.is(quiet.code, 0);
  t.is(quiet.stdout, '');
  t.is(quiet.stderr, '');
  t.is(render([spec, '-o', 'out', '-q', '-v'], cwd).code, 2);
});

test('--check over links and special files inside -o: each is named as drift (exit 3), none is followed or opened, nothing hangs', (t) => {
  const cwd = tempDir();
  const spec = example('mesosphere-3-masters.json');
  t.is(render([spec, '-o', 'out'], cwd).code, 0);
  mkdirSync(join(cwd, 'elsewhere'));
  writeFileSync(join(cwd, 'elsewhere/secret.txt'), 'do-not-print\n');
  symlinkSync(join(cwd, 'elsewhere'), join(cwd, 'out/hosts/linked-dir'));
  symlinkSync(join(cwd, 'elsewhere/secret.txt'), join(cwd, 'out/linked-file'));
  execFileSync('mkfifo', [join(cwd, 'out/fifo')]);
  const r = render([spec, '-o', 'out', '--check', '--json'], cwd);
  t.is(r.code, 3, r.stderr);
  const drift = JSON.parse(r.stdout).drift as { path: string; change: string }[];
  t.deepEqual(
    drift.map((d) => `${d.change} ${d.path}`),
    ['extra fifo', 'extra hosts/linked-dir', 'extra linked-file'],
  );
  const text = render([spec, '-o', 'out', '--check'], cwd);
  t.is(text.code, 3);
  t.regex(text.stdout, /\(a symbolic link to .*elsewhere: not followed\)/);
  t.regex(text.stdout, /\(not a regular file: not read\)/);
  t.false(text.stdout.includes('do-not-print'));
  t.true(noStack(text.stderr));
});

const rootTest = process.getuid?.() === 0 || process.env.CI === 'true' ? test : test.skip;

// CI runs as root; a developer's machine runs this where it can switch to nobody
rootTest(
  "another user's output: render and --check say who can read it, no internal error, nothing touched",
  (t) => {
    const cwd = tempDir();
    chmodSync(cwd, 0o777);
    const spec = join(cwd, 'spec.json');
    writeFileSync(spec, readFileSync(example('mesosphere-3-masters.json'), 'utf8'));
    chmodSync(spec, 0o644);
    t.is(render([spec, '-o', 'out'], cwd).code, 0);
    chmodSync(join(cwd, 'out'), 0o700);
    const before = snapshot(join(cwd, 'out'));
    for (const extra of [[], ['--check']]) {
      const r = spawnSync(
        'runuser',
        ['-u', 'nobody', '--', process.execPath, renderBin, spec, '-o', 'out', ...extra],
        {
          cwd,
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      t.is(r.status, 1, r.stderr);
      t.regex(r.stderr, /cannot read output directory out: permission denied \(EACCES\) — run/);
      t.notRegex(r.stderr, /internal error/);
    }
    t.deepEqual(snapshot(join(cwd, 'out')), before);
    t.deepEqual(litter(cwd), []);
  },
);

test('an invalid spec touches nothing: the directories above a new -o, made for its lock, are gone again', (t) => {
  const cwd = tempDir();
  const spec = writeSpec(cwd, 'bad.json', { ...mesosphere(), hosts: [] });
  const r = render([spec, '-o', 'a/b/out'], cwd);
  t.is(r.code, 1, r.stderr);
  t.false(existsSync(join(cwd, 'a')), 'a/b was made for the lock and removed');
  // a directory that was there stays, and a render that writes keeps what it made
  mkdirSync(join(cwd, 'kept'));
  t.is(render([spec, '-o', 'kept/x/out'], cwd).code, 1);
  t.deepEqual(readdirSync(join(cwd, 'kept')), []);
  t.is(render([example('mesosphere-3-masters.json'), '-o', 'c/d/out'], cwd).code, 0);
  t.true(existsSync(join(cwd, 'c/d/out/.k8sm-output.json')));
  t.deepEqual(readdirSync(join(cwd, 'c/d')), ['out']);
});
