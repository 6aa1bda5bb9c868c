import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentOf, hostScriptOf, planOf, runScriptSandboxed } from '@k8sm/testkit';
import test from 'ava';
import { renderHaproxy } from '../src/index.js';

const haproxyHere = spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status === 0;
// the real haproxy is the oracle: under CI its absence is a failure, not a skip
const haproxyTest = haproxyHere || process.env.CI === 'true' ? test : test.skip;

const plan = (runtime: 'package' | 'docker') =>
  planOf({
    name: 'lb',
    hosts: [
      { name: 'm1', address: '10.0.0.1', roles: ['etcd', 'k8s-master'] },
      { name: 'lb', address: '10.0.0.10', roles: ['haproxy'] },
    ],
    etcd: { version: '3.5.16' },
    kubernetes: { flavor: 'standalone', version: '1.30.8', pkiDir: 'pki' },
    haproxy: {
      version: '2.6',
      runtime,
      stats: { port: 9000, user: 'k8sm', password: { env: 'K8SM_STATS' } },
    },
  });

/** What starts HAProxy in each runtime: the config check and systemctl, or docker. */
const starts = (calls: readonly (readonly string[])[]) =>
  calls.filter((c) => c[0] === 'haproxy' || c[0] === 'systemctl' || (c[0] === 'docker' && c[1] === 'run'));

for (const runtime of ['package', 'docker'] as const) {
  test(`${runtime}: the host's script refuses to start HAProxy while the stats password variable is unset or empty`, (t) => {
    const script = hostScriptOf(renderHaproxy(plan(runtime)), 'lb');
    for (const env of [{}, { K8SM_STATS: '' }]) {
      const run = runScriptSandboxed(script, [], env);
      t.not(run.status, 0, JSON.stringify(env));
      t.regex(
        run.stderr,
        /not starting HAProxy: the stats password variable K8SM_STATS .* is unset or empty/,
      );
      t.deepEqual(starts(run.calls), [], 'nothing started');
      // nor is the running container removed before the refusal
      t.false(
        run.calls.some((c) => c[0] === 'docker'),
        'no docker call',
      );
    }
    const run = runScriptSandboxed(script, [], { K8SM_STATS: 's3cret' });
    t.is(run.status, 0, run.stderr);
    t.true(starts(run.calls).length > 0, 'HAProxy is started');
  });
}

haproxyTest('with the variable set, the real haproxy -c accepts the rendered config and expands it', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'k8sm-haproxy-stats-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, contentOf(renderHaproxy(plan('package')), 'lb', '/etc/haproxy/haproxy.cfg'));
  const check = spawnSync('haproxy', ['-c', '-f', file], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin', K8SM_STATS: 's3cret' },
  });
  t.is(check.status, 0, check.stdout + check.stderr);
  // what the guard is for: unset, HAProxy takes the config all the same, with an empty password
  const unset = spawnSync('haproxy', ['-c', '-f', file], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin' },
  });
  t.is(unset.status, 0, 'haproxy -c does not notice the empty password');
});
