import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { examples, removeTempDirs, render, renderableExample, tempDir } from './helpers.js';

// What the examples render is checked by the tools an operator would use: shellcheck for every
// script, systemd-analyze for every unit. The test command installs both; in CI a missing tool
// fails the test rather than skipping it.
test.after.always(removeTempDirs);

const has = (tool: string) =>
  spawnSync(tool, [tool === 'haproxy' ? '-v' : '--version'], { encoding: 'utf8' }).status === 0;
const toolTest = (tool: string) => (has(tool) || process.env.CI === 'true' ? test : test.skip);

function renderAll(): { dir: string; files: string[] }[] {
  return readdirSync(examples)
    .filter((f) => /\.(json|ya?ml)$/.test(f))
    .map((spec) => {
      const cwd = tempDir();
      const { file } = renderableExample(spec, cwd);
      const r = render([file, '-o', 'out'], cwd);
      if (r.code !== 0) throw new Error(r.stderr);
      const dir = join(cwd, 'out');
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
        files: { output: string }[];
      };
      return { dir, files: manifest.files.map((f) => f.output) };
    });
}

toolTest('shellcheck')('every rendered script passes shellcheck', (t) => {
  t.true(has('shellcheck'), 'shellcheck is missing: the test command installs it');
  let checked = 0;
  for (const { dir, files } of renderAll()) {
    const steps = join(dir, 'ansible/steps');
    const scripts = [
      ...readdirSync(join(dir, 'scripts')).map((f) => `scripts/${f}`),
      ...readdirSync(steps).flatMap((host) =>
        readdirSync(join(steps, host)).map((f) => `ansible/steps/${host}/${f}`),
      ),
      ...files.filter((f) => f.endsWith('.sh') || f.includes('/etc/init.d/')),
    ];
    for (const script of scripts) {
      const r = spawnSync('shellcheck', [join(dir, script)], { encoding: 'utf8' });
      t.is(r.status, 0, `${script}\n${r.stdout}${r.stderr}`);
      checked++;
    }
  }
  t.true(checked > 20, `${checked} scripts`);
});

toolTest('systemd-analyze')('every rendered unit passes systemd-analyze verify, without a warning', (t) => {
  t.true(has('systemd-analyze'), 'systemd-analyze is missing: the test command installs systemd');
  // A root with the host's own units (targets the rendered ones depend on) and a stand-in for
  // every binary the units start, since verify checks that ExecStart exists.
  const root = tempDir();
  cpSync('/lib/systemd/system', join(root, 'lib/systemd/system'), { recursive: true });
  let checked = 0;
  for (const { dir, files } of renderAll()) {
    const host = (f: string) => f.split('/')[1] ?? '';
    for (const unit of files.filter((f) => f.endsWith('.service'))) {
      const name = unit.split('/').pop() ?? '';
      const text = readFileSync(join(dir, unit), 'utf8');
      for (const exec of text.matchAll(/^ExecStart=(\S+)/gm)) {
        const binary = join(root, exec[1] ?? '');
        mkdirSync(join(binary, '..'), { recursive: true });
        if (!existsSync(binary)) writeFileSync(binary, '#!/bin/sh\n', { mode: 0o755 });
      }
      for (const env of text.matchAll(/^EnvironmentFile=(\S+)/gm)) {
        const source = join(dir, 'hosts', host(unit), env[1] ?? '');
        mkdirSync(join(root, env[1] ?? '', '..'), { recursive: true });
        cpSync(source, join(root, env[1] ?? ''));
      }
      mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
      writeFileSync(join(root, 'etc/systemd/system', name), text);
      const r = spawnSync(
        'systemd-analyze',
        ['verify', '--man=no', `--root=${root}`, `/etc/systemd/system/${name}`],
        {
          encoding: 'utf8',
        },
      );
      t.is(r.status, 0, `${unit}\n${r.stderr}`);
      t.is(r.stderr.trim(), '', `${unit}: ${r.stderr}`);
      checked++;
    }
  }
  t.true(checked > 10, `${checked} units`);
  t.truthy(execFileSync('systemd-analyze', ['--version'], { encoding: 'utf8' }));
});

toolTest('haproxy')('every rendered haproxy.cfg passes haproxy -c -dW (warnings are failures)', (t) => {
  t.true(has('haproxy'), 'haproxy is missing: the test command installs it');
  let checked = 0;
  for (const { dir, files } of renderAll())
    for (const cfg of files.filter((f) => f.endsWith('/etc/haproxy/haproxy.cfg'))) {
      // file references are absolute host paths: point them at this host's output tree
      const hostDir = join(dir, cfg, '..');
      const text = readFileSync(join(dir, cfg), 'utf8').replaceAll('/etc/haproxy/', `${hostDir}/`);
      const file = join(tempDir(), 'haproxy.cfg');
      writeFileSync(file, text);
      const variables = [...text.matchAll(/\$\{([A-Z_0-9]+)\}/g)].map((m) => m[1] ?? '');
      const r = spawnSync('haproxy', ['-c', '-dW', '-f', file], {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH ?? '',
          ...Object.fromEntries(variables.map((v) => [v, 'test-password'])),
        },
      });
      t.is(r.status, 0, `${cfg}\n${r.stdout}${r.stderr}`);
      t.notRegex(r.stdout + r.stderr, /WARNING|ALERT/, cfg);
      checked++;
    }
  t.true(checked >= 3, `${checked} configs`);
});
