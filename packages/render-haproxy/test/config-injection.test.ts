import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValueError } from '@k8sm/spec';
import { contentOf, planOf } from '@k8sm/testkit';
import test from 'ava';
import { renderHaproxy } from '../src/index.js';

const base = planOf({
  name: 'lb',
  hosts: [
    { name: 'm1', address: '10.0.0.1', roles: ['etcd', 'k8s-master'] },
    { name: 'lb', address: '10.0.0.10', roles: ['haproxy'] },
  ],
  etcd: { version: '3.5.16' },
  kubernetes: { flavor: 'standalone', pkiDir: 'pki', version: '1.30.8' },
  haproxy: { version: '2.6', stats: { port: 9000, user: 'admin', password: { env: 'STATS_PW' } } },
});

/** The plan with a stats user the schema would refuse: the writer is the last line behind it. */
function withUser(user: string) {
  const plan = structuredClone(base);
  const stats = plan.haproxy?.stats;
  if (!stats) throw new Error('no stats in the plan');
  (stats as { user: string }).user = user;
  return plan;
}

test('issue 13: a newline in haproxy.stats.user cannot add `stats admin if TRUE` and a second `stats auth`', (t) => {
  const error = t.throws(
    () => renderHaproxy(withUser('admin:x"\n    stats admin if TRUE\n    stats auth evil:known\n    #')),
    { instanceOf: ConfigValueError },
  );
  t.regex(error?.message ?? '', /^\/etc\/haproxy\/haproxy\.cfg: the value of stats auth holds/);
  t.throws(() => renderHaproxy(withUser('ad:min')), {
    instanceOf: ConfigValueError,
    message: /stats auth splits at it, with no escape/,
  });
});

test('a user with quotes, `#`, `$` and blanks is one escaped word: one `stats auth`, no `stats admin`, haproxy -c accepts it', (t) => {
  const cfg = contentOf(renderHaproxy(withUser(`o'ne "tw#o" $X \${Y}\\`)), 'lb', '/etc/haproxy/haproxy.cfg');
  const lines = cfg.split('\n').map((l) => l.trim());
  t.deepEqual(
    lines.filter((l) => l.startsWith('stats auth')),
    [`stats auth "o'ne \\"tw#o\\" \\$X \\\${Y}\\\\:\${STATS_PW}"`],
  );
  t.false(lines.some((l) => l.startsWith('stats admin')));
  if (spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status !== 0) return t.log('no haproxy here');
  const file = join(mkdtempSync(join(tmpdir(), 'k8sm-haproxy-')), 'haproxy.cfg');
  writeFileSync(file, cfg);
  const check = spawnSync('haproxy', ['-c', '-f', file], {
    encoding: 'utf8',
    env: { ...process.env, STATS_PW: 'pw' },
  });
  t.is(check.status, 0, check.stdout + check.stderr);
});
