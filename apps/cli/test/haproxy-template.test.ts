import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HAPROXY_CFG, HAPROXY_TEMPLATE_VARIABLES } from '@k8sm/render-haproxy';
import test from 'ava';
import { parse } from 'yaml';
import { removeTempDirs, render, renderableExample, tempDir } from './helpers.js';

test.after.always(removeTempDirs);

/** haproxy -c -dW on a rendered config, its file references pointed at the host's output tree. */
function haproxyCheck(hostDir: string): { status: number | null; out: string } {
  const text = readFileSync(join(hostDir, 'etc/haproxy/haproxy.cfg'), 'utf8').replaceAll(
    '/etc/haproxy/',
    `${join(hostDir, 'etc/haproxy')}/`,
  );
  const file = join(tempDir(), 'haproxy.cfg');
  writeFileSync(file, text);
  const variables = [...text.matchAll(/\$\{([A-Z_0-9]+)\}/g)].map((m) => m[1] ?? '');
  const r = spawnSync('haproxy', ['-c', '-dW', '-f', file], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...Object.fromEntries(variables.map((v) => [v, 'test-password'])) },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

// A user's haproxy.template written with ordinary `{{var}}`: Mustache's HTML escaping made
// `uri &#x2F;readyz` and `ca-file &#x2F;etc&#x2F;…` of it, and haproxy -c refused the file.
// Debian's HAProxy is the oracle.
test('a user template with {{var}} everywhere and every variable renders as the built-in one, and haproxy -c -dW accepts it', (t) => {
  const cwd = tempDir();
  const { file } = renderableExample('k8s-1.6-standalone-ha.yaml', cwd);
  const builtIn = render([file, '-o', 'built-in'], cwd);
  t.is(builtIn.code, 0, builtIn.stderr);

  // the built-in template with two braces for three, and a comment naming each variable it lacks
  const doubled = HAPROXY_CFG.replaceAll('{{{', '{{').replaceAll('}}}', '}}');
  const unused = Object.keys(HAPROXY_TEMPLATE_VARIABLES).filter(
    (v) => !doubled.includes(`{{${v}}}`) && !doubled.includes(`{{#${v}}}`),
  );
  t.deepEqual(unused, [], 'the built-in template uses every documented variable');
  writeFileSync(join(cwd, 'user.template'), doubled);
  const spec = parse(readFileSync(file, 'utf8')) as { haproxy: Record<string, unknown> };
  spec.haproxy.template = 'user.template';
  writeFileSync(join(cwd, 'user.json'), JSON.stringify(spec));
  const user = render([join(cwd, 'user.json'), '-o', 'user'], cwd);
  t.is(user.code, 0, user.stderr);

  const host = 'kube-apiserver';
  const [a, b] = ['built-in', 'user'].map((d) =>
    readFileSync(join(cwd, d, 'hosts', host, 'etc/haproxy/haproxy.cfg'), 'utf8'),
  );
  t.regex(b ?? '', /uri \/readyz|option httpchk GET \/readyz|httpchk GET \/healthz|uri \/healthz/);
  t.notRegex(b ?? '', /&#x2F;|&amp;|&quot;/);
  t.is(b, a);
  const check = haproxyCheck(join(cwd, 'user', 'hosts', host));
  t.is(check.status, 0, check.out);
  t.notRegex(check.out, /WARNING|ALERT/);
});
