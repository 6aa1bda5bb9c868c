import { spawnSync } from 'node:child_process';
import test from 'ava';
import {
  ensembleVerdict,
  exitCodeOf,
  type MemberResult,
  PROBE_FORMATS,
  type ProbeReport,
  probeZookeeper,
  worst,
} from '../src/index.js';

function reportOf(
  ...ensembles: [system: string, members: MemberResult[], details?: Record<string, unknown>[]][]
): ProbeReport {
  const verdicts = ensembles.map(([system, members, details]) => ({
    ...ensembleVerdict(system, members, system !== 'apiserver'),
    details: details ?? members.map(() => ({})),
  }));
  return { status: worst(verdicts.map((v) => v.status)), ensembles: verdicts };
}

/** One ZooKeeper member that refuses: what `k8sm-probe --zk 127.0.46.99:2181` reports. */
async function refusedZookeeper(): Promise<ProbeReport> {
  // a refusal answers at once; the long deadline only keeps a loaded machine from turning it into a timeout
  const result = await probeZookeeper({ host: '127.0.46.99', port: 2181 }, { timeoutMs: 10_000 });
  return reportOf(['zookeeper', [{ member: '127.0.46.99:2181', result, leader: false }]]);
}

const up = (member: string, leader: boolean, latencyMs = 1.234): MemberResult => ({
  member,
  leader,
  result: { ok: true, latencyMs },
});

const threeUp = () =>
  reportOf(
    [
      'zookeeper',
      [up('10.0.0.1:2181', false), up('10.0.0.2:2181', true), up('10.0.0.3:2181', false)],
      [{ mode: 'follower' }, { mode: 'leader', zxid: '0x1' }, { mode: 'follower' }],
    ],
    ['apiserver', [up('https://10.0.0.1:6443', false)]],
  );

test('the table, prometheus and nagios formats over the same result', async (t) => {
  const report = await refusedZookeeper();
  t.is(exitCodeOf(report.status), 2);
  const table = PROBE_FORMATS.table(report);
  t.regex(table, /^zookeeper +CRITICAL +0\/1 up: quorum lost/m);
  t.regex(table, /127\.0\.46\.99:2181 +DOWN +refused: 127\.0\.46\.99:2181 \(srvr\): connection refused/);
  t.regex(table, /\noverall: CRITICAL$/);
  const prom = PROBE_FORMATS.prometheus(report);
  t.regex(prom, /^k8sm_member_up\{system="zookeeper",member="127\.0\.46\.99:2181"\} 0$/m);
  t.regex(prom, /^k8sm_ensemble_status\{system="zookeeper"\} 2$/m);
  t.is(
    `${PROBE_FORMATS.nagios(report)}\n`,
    "K8SM CRITICAL - zookeeper: 0/1 up: quorum lost (majority 1) | 'zookeeper_up'=0;;;0;1 'zookeeper_tolerable'=-1\n",
  );
});

test('the table names the leader and each member mode, with the latency', (t) => {
  const table = PROBE_FORMATS.table(threeUp());
  t.regex(table, /^zookeeper +OK +3\/3 up/m);
  t.regex(table, /^ {2}10\.0\.0\.1:2181 +follower +1\.2 ms$/m);
  t.regex(table, /^ {2}10\.0\.0\.2:2181 +leader\* +1\.2 ms$/m);
  t.regex(table, /^ {2}https:\/\/10\.0\.0\.1:6443 +up +1\.2 ms$/m);
  t.regex(table, /\noverall: OK$/);
});

test('json: details of members that are up, the reason of members that are down', async (t) => {
  const ok = JSON.parse(PROBE_FORMATS.json(threeUp()));
  t.is(ok.status, 'OK');
  t.deepEqual(ok.ensembles[0].leaders, ['10.0.0.2:2181']);
  t.deepEqual(ok.ensembles[0].members[1], {
    member: '10.0.0.2:2181',
    ok: true,
    leader: true,
    latencyMs: 1.23,
    mode: 'leader',
    zxid: '0x1',
  });
  const down = JSON.parse(PROBE_FORMATS.json(await refusedZookeeper()));
  t.like(down.ensembles[0], { system: 'zookeeper', status: 'CRITICAL', up: 0, total: 1, tolerable: -1 });
  t.deepEqual(down.ensembles[0].members[0], {
    member: '127.0.46.99:2181',
    ok: false,
    leader: false,
    reason: 'refused',
    message: '127.0.46.99:2181 (srvr): connection refused',
  });
});

test('prometheus escapes label values; nagios names perfdata without spaces or slashes', (t) => {
  const report = reportOf(['haproxy http://lb:9000/stats', [up('be "x"\\y\nz', false)]]);
  const prom = PROBE_FORMATS.prometheus(report);
  t.regex(
    prom,
    /^k8sm_member_up\{system="haproxy http:\/\/lb:9000\/stats",member="be \\"x\\"\\\\y\\nz"\} 1$/m,
  );
  t.regex(prom, /^k8sm_member_leader\{[^}]+\} 0$/m);
  t.true(prom.endsWith('\n'));
  t.regex(PROBE_FORMATS.nagios(report), /\| 'haproxy_http___lb_9000_stats_up'=1;;;0;1 /);
});

test('prometheus keeps each metric family together, HELP and TYPE first (the exposition format requires it)', (t) => {
  const lines = PROBE_FORMATS.prometheus(threeUp()).trimEnd().split('\n');
  const families = lines.map((l) =>
    l.startsWith('#') ? (l.split(' ')[2] ?? '') : (/^\w+/.exec(l)?.[0] ?? ''),
  );
  const order = families.filter((f, i) => f !== families[i - 1]);
  t.deepEqual(order, [
    'k8sm_member_up',
    'k8sm_member_leader',
    'k8sm_ensemble_status',
    'k8sm_ensemble_tolerable_failures',
  ]);
  for (const family of order) {
    const at = families.indexOf(family);
    t.is(lines[at], `# HELP ${family} ${lines[at]?.split(' ').slice(3).join(' ')}`);
    t.is(lines[at + 1], `# TYPE ${family} gauge`);
  }
  t.is(lines.filter((l) => l.startsWith('k8sm_member_up{')).length, 4);
  t.is(lines.filter((l) => l.startsWith('k8sm_ensemble_status{')).length, 2);
});

test('every format is in the table, and each renders a report', (t) => {
  t.deepEqual(Object.keys(PROBE_FORMATS).sort(), ['json', 'nagios', 'prometheus', 'table']);
  for (const format of Object.values(PROBE_FORMATS)) t.regex(format(threeUp()), /zookeeper/);
});

// promtool comes with Debian's prometheus (scripts/test.sh installs it); under CI its absence fails
const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;
(promtool || process.env.CI === 'true' ? test : test.skip)(
  'promtool check metrics accepts the Prometheus output',
  async (t) => {
    for (const report of [threeUp(), await refusedZookeeper()]) {
      const r = spawnSync('promtool', ['check', 'metrics'], {
        input: PROBE_FORMATS.prometheus(report),
        encoding: 'utf8',
      });
      t.is(r.status, 0, `${r.stdout}${r.stderr}`);
    }
  },
);
