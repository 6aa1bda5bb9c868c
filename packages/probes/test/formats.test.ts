import { spawnSync } from 'node:child_process';
import test from 'ava';
import {
  ensembleVerdict,
  exitCodeOf,
  type MemberResult,
  PROBE_FORMATS,
  type ProbeReport,
  probeZookeeper,
  withLatencyThresholds,
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
  t.regex(
    prom,
    /^k8sm_member_up\{system="zookeeper",ensemble="zookeeper",member="127\.0\.46\.99:2181"\} 0$/m,
  );
  t.regex(prom, /^k8sm_ensemble_status\{system="zookeeper",ensemble="zookeeper"\} 2$/m);
  // a member that did not answer has no latency sample
  t.notRegex(prom, /^k8sm_member_latency_seconds\{/m);
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
    /^k8sm_member_up\{system="haproxy http:\/\/lb:9000\/stats",ensemble="haproxy http:\/\/lb:9000\/stats",member="be \\"x\\"\\\\y\\nz"\} 1$/m,
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
    'k8sm_member_latency_seconds',
    'k8sm_member_role',
    'k8sm_member_election_term',
    'k8sm_member_certificate_not_after_seconds',
    'k8sm_ensemble_status',
    'k8sm_ensemble_members',
    'k8sm_ensemble_quorum',
    'k8sm_ensemble_leaders',
    'k8sm_ensemble_members_discovered',
    'k8sm_ensemble_members_strangers',
    'k8sm_ensemble_members_foreign',
    'k8sm_ensemble_members_up',
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

/** The same system probed twice (`--zk a --zk b`, or the same list twice), as the CLI names them. */
const twiceOver = (): ProbeReport => {
  const one = threeUp().ensembles[0];
  if (!one) throw new Error('no ensemble');
  const named = (name: string, latencyMs: number) => ({
    ...one,
    members: one.members.map((m) => ({ ...m, result: { ok: true as const, latencyMs } })),
    kind: 'zookeeper',
    name,
  });
  return {
    status: 'OK',
    ensembles: [named('10.0.0.1:2181', 3), named('10.0.0.1:2181', 1500), named('10.0.1.1:2181', 2)],
  };
};

test('an ensemble probed twice never repeats a series: the ensemble label tells them apart, and perfdata too', (t) => {
  const prom = PROBE_FORMATS.prometheus(twiceOver());
  const samples = prom.split('\n').filter((l) => l && !l.startsWith('#'));
  const series = samples.map((l) => l.slice(0, l.lastIndexOf(' ')));
  t.is(new Set(series).size, series.length, prom);
  t.regex(prom, /^k8sm_ensemble_status\{system="zookeeper",ensemble="10\.0\.0\.1:2181 #2"\} 0$/m);
  t.regex(
    prom,
    /^k8sm_member_latency_seconds\{system="zookeeper",ensemble="10\.0\.1\.1:2181",member="10\.0\.0\.1:2181"\} 0\.002$/m,
  );
  const nagios = PROBE_FORMATS.nagios(twiceOver());
  const labels = [...nagios.matchAll(/'([^']+)'=/g)].map((m) => m[1]);
  t.is(new Set(labels).size, labels.length, nagios);
  t.true(labels.includes('zookeeper_2_up') && labels.includes('zookeeper_3_latency'), nagios);
});

test('-w/-c: the slowest member that answered makes its ensemble WARNING or CRITICAL, named in the summary and in perfdata limits', (t) => {
  const warned = withLatencyThresholds(twiceOver(), { warningMs: 1000, criticalMs: 2000 });
  t.deepEqual(
    warned.ensembles.map((e) => e.status),
    ['OK', 'WARNING', 'OK'],
  );
  t.is(warned.status, 'WARNING');
  t.regex(warned.ensembles[1]?.summary ?? '', /; 10\.0\.0\.1:2181 answered in 1\.500 s, over -w 1 s$/);
  t.regex(PROBE_FORMATS.nagios(warned), /'zookeeper_2_latency'=1\.5s;1;2;0/);
  const critical = withLatencyThresholds(twiceOver(), { criticalMs: 1000 });
  t.is(critical.status, 'CRITICAL');
  t.regex(PROBE_FORMATS.nagios(critical), /'zookeeper_latency'=0\.003s;;1;0/);
  // a verdict already worse stands; no thresholds, no change
  const down = withLatencyThresholds(reportOf(['zookeeper', [up('a:2181', false, 5000)]]), {
    warningMs: 1000,
  });
  t.is(down.ensembles[0]?.status, 'CRITICAL');
  const plain = threeUp();
  t.is(withLatencyThresholds(plain, {}), plain);
});

test('nagios: an HAProxy backend or the apiservers (no election) have no tolerable-failures perfdata', (t) => {
  const report = reportOf(['apiserver', [up('https://10.0.0.1:6443', false, 12)]]);
  const nagios = PROBE_FORMATS.nagios(report);
  t.regex(nagios, /\| 'apiserver_up'=1;;;0;1 'apiserver_latency'=0\.012s;;;0$/);
  t.notRegex(nagios, /tolerable/);
});

// promtool comes with Debian's prometheus (scripts/test.sh installs it); under CI its absence fails
const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;
(promtool || process.env.CI === 'true' ? test : test.skip)(
  'promtool check metrics accepts the Prometheus output',
  async (t) => {
    for (const report of [threeUp(), await refusedZookeeper(), twiceOver()]) {
      const r = spawnSync('promtool', ['check', 'metrics'], {
        input: PROBE_FORMATS.prometheus(report),
        encoding: 'utf8',
      });
      t.is(r.status, 0, `${r.stdout}${r.stderr}`);
    }
  },
);
