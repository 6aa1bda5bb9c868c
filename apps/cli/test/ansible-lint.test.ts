import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { examples, removeTempDirs, render, renderableExample, tempDir } from './helpers.js';

// Issue 18: every example's rendered ansible/ passes Debian's ansible-lint (the test command
// installs it) under its default profile, no rule skipped: the few acknowledgements are `# noqa`
// comments the renderer writes, each with its reason in @k8sm/render-ansible. One ansible-lint
// per example, about 3 s each.
const has = spawnSync('ansible-lint', ['--version'], { encoding: 'utf8' }).status === 0;
const lintTest = has || process.env.CI === 'true' ? test.serial : test.skip;
test.after.always(removeTempDirs);

/** ansible-lint on dir, offline: no Galaxy install, no schema refresh, no version check. */
function ansibleLint(dir: string) {
  const home = tempDir();
  return spawnSync('ansible-lint', ['--offline', '--nocolor', '--parseable'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      ...process.env,
      // its cache, and Ansible's, in a temp dir: nothing from an earlier run, nothing left behind
      HOME: home,
      XDG_CACHE_HOME: join(home, 'cache'),
      ANSIBLE_HOME: join(home, 'ansible'),
      ANSIBLE_LOCAL_TEMP: join(home, 'ansible-tmp'),
      ANSIBLE_NOCOLOR: '1',
      NO_COLOR: '1',
    },
  });
}

for (const spec of readdirSync(examples).filter((f) => /\.(json|ya?ml)$/.test(f))) {
  lintTest(`${spec}: the rendered ansible/ passes ansible-lint, default profile`, (t) => {
    t.timeout(180_000);
    t.true(has, 'ansible-lint is missing: the test command installs Debian’s ansible-lint');
    const cwd = tempDir();
    const { file } = renderableExample(spec, cwd);
    const r = render([file, '-o', 'out'], cwd);
    t.is(r.code, 0, r.stderr);
    const started = Date.now();
    const lint = ansibleLint(join(cwd, 'out', 'ansible'));
    t.log(`ansible-lint: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const output = `${lint.stdout}${lint.stderr}`;
    // --parseable: one `file:line: rule: message` per violation
    const violations = lint.stdout.split('\n').filter((l) => /^\S+:\d+(:\d+)?: /.test(l));
    t.deepEqual(violations, [], output);
    t.is(lint.status, 0, output);
    t.regex(lint.stderr, /\b0 failure\(s\), 0 warning\(s\) on \d+ files/, output);
  });
}
