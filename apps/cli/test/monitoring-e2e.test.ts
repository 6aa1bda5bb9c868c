import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import {
  fourLetterWord,
  killAll,
  modeOf,
  startEtcd,
  startZookeeper,
  until,
  waitForModes,
} from './daemons.js';
import { fetchText, freePort, probeBin, removeTempDirs, render, writeSpec } from './helpers.js';

// The whole monitoring path on real software: Debian's ZooKeeper 3.8 and etcd 3.4 (TLS, from
// `k8sm-render pki`) started from rendered files, `k8sm-probe serve --spec` in front of them, and
// Debian's Prometheus 2.42 loading the rendered prometheus.yml and alerts.yml unchanged. Prometheus'
// target health, query API and alert states are the oracle; openssl reads the certificate dates.
const PROMETHEUS = '/usr/bin/prometheus';
const ready =
  (existsSync(PROMETHEUS) && existsSync('/usr/bin/etcd') && existsSync('/usr/share/java/zookeeper.jar')) ||
  process.env.CI === 'true';
const e2eTest = ready ? test.serial : test.skip;

const closers: (() => void)[] = [];
test.after.always(() => {
  for (const close of closers.splice(0)) close();
  killAll();
  removeTempDirs();
});

const fetchJson = async <T>(url: string): Promise<T> => JSON.parse(await fetchText(url)) as T;

interface Series {
  metric: Record<string, string>;
  value: [number, string];
}
interface Target {
  labels: Record<string, string>;
  health: string;
  lastError: string;
}
interface Alert {
  labels: Record<string, string>;
  state: string;
}

e2eTest(
  'Prometheus with the rendered config and rules scrapes k8sm-probe serve before real ZooKeeper and etcd',
  async (t) => {
    t.timeout(240_000);
    const zk = await startZookeeper(t, 3, '127.0.96');
    const etcd = await startEtcd(t, '127.0.97', 'env', { tls: { pkiDir: 'pki' } });
    const modes = await waitForModes(zk.hosts, (m) => m.filter((x) => x === 'leader').length === 1);
    t.is(modes.filter((m) => m === 'leader').length, 1, modes.join());

    // one spec for both ensembles, beside the etcd cluster's PKI dir; Prometheus scrapes every second
    const exporterPort = await freePort();
    const spec = writeSpec(etcd.cwd, 'monitored.json', {
      name: 'monitored',
      hosts: [
        ...zk.hosts.map((address, i) => ({
          name: `zk${i + 1}`,
          address,
          roles: ['zookeeper'],
          zookeeper: { clientPortAddress: address },
        })),
        ...[1, 2, 3].map((i) => ({ name: `etcd-${i}`, address: `127.0.97.${i}`, roles: ['etcd'] })),
      ],
      zookeeper: { version: '3.8.0' },
      etcd: { version: '3.4.23', tls: { client: true, peer: true, pkiDir: 'pki' } },
      monitoring: { exporter: `127.0.0.1:${exporterPort}`, scrapeInterval: '1s' },
    });
    const rendered = render([spec, '-o', 'monitored-out'], etcd.cwd);
    t.is(rendered.code, 0, rendered.stderr);
    const monitoring = join(etcd.cwd, 'monitored-out/cluster/monitoring');

    const exporter: ChildProcess = spawn(
      process.execPath,
      [
        probeBin,
        'serve',
        '--spec',
        spec,
        '--listen',
        `127.0.0.1:${exporterPort}`,
        '--timeout',
        '0.8',
        '--cache',
        '0.5',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let exporterLog = '';
    exporter.stderr?.setEncoding('utf8').on('data', (c: string) => {
      exporterLog += c;
    });
    const exited = new Promise<number | null>((resolve) => exporter.once('exit', resolve));
    closers.push(() => exporter.kill('SIGKILL'));
    await until(
      async () => exporterLog,
      (log) => /listening on/.test(log),
      15,
    );
    t.regex(exporterLog, /listening on http:\/\/127\.0\.0\.1:\d+ \(\/metrics: 2 ensembles/);

    const port = await freePort();
    const prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(monitoring, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(etcd.cwd, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    closers.push(() => prometheus.kill('SIGKILL'));
    const api = `http://127.0.0.1:${port}/api/v1`;
    const query = async (q: string) =>
      (
        await fetchJson<{ status: string; data: { result: Series[] } }>(
          `${api}/query?query=${encodeURIComponent(q)}`,
        )
      ).data.result;

    // every target up: the exporter, and etcd's own /metrics over TLS with the copied client pair
    const targets = await until(
      async () =>
        (
          await fetchJson<{ data?: { activeTargets?: Target[] } }>(`${api}/targets`).catch(() => ({
            data: { activeTargets: [] },
          }))
        ).data?.activeTargets ?? [],
      (ts) => ts.length === 4 && ts.every((x) => x.health === 'up'),
      60,
    );
    t.deepEqual(
      targets.map((x) => [x.labels.job, x.health, x.lastError]).sort(),
      [
        ['etcd', 'up', ''],
        ['etcd', 'up', ''],
        ['etcd', 'up', ''],
        ['k8sm', 'up', ''],
      ],
      JSON.stringify(targets),
    );
    t.true(
      (await query('etcd_server_has_leader')).every((s) => s.value[1] === '1'),
      'native etcd metrics',
    );

    const status = await until(
      () => query('k8sm_ensemble_status'),
      (r) => r.length === 2 && r.every((s) => s.value[1] === '0'),
      30,
    );
    t.deepEqual(status.map((s) => [s.metric.system, s.value[1]]).sort(), [
      ['etcd', '0'],
      ['zookeeper', '0'],
    ]);
    const leaders = await query('k8sm_member_role{role="leader"} == 1');
    t.deepEqual(leaders.map((s) => s.metric.system).sort(), ['etcd', 'zookeeper']);
    const zkLeader = leaders.find((s) => s.metric.system === 'zookeeper')?.metric.member ?? '';
    t.is(
      modeOf(await fourLetterWord(zkLeader.replace(/:2181$/, ''), 'srvr')),
      'leader',
      'the leader ZooKeeper itself names',
    );
    t.is((await query('k8sm_member_election_term')).length, 6);
    t.deepEqual(
      (await query('k8sm_ensemble_quorum')).map((s) => s.value[1]),
      ['2', '2'],
    );

    // the certificate each etcd member showed in the handshake, as openssl reads the file it serves
    const notAfter = await query('k8sm_member_certificate_not_after_seconds');
    t.is(notAfter.length, 3);
    for (const s of notAfter) {
      const name = `etcd-${/127\.0\.97\.(\d)/.exec(s.metric.member ?? '')?.[1]}`;
      const file = join(etcd.cwd, 'out/hosts', name, 'etc/etcd/ssl/server.crt');
      const openssl = spawnSync('openssl', ['x509', '-enddate', '-noout', '-in', file], { encoding: 'utf8' });
      const date = /notAfter=(.*)/.exec(openssl.stdout)?.[1] ?? '';
      t.is(Number(s.value[1]), Date.parse(date) / 1000, `${s.metric.member}: ${date}`);
    }

    // the dashboard: every query is PromQL Prometheus accepts, over metrics the exporter emits
    const families = new Set(
      [...(await fetchText(`http://127.0.0.1:${exporterPort}/metrics`)).matchAll(/^# TYPE (\S+) /gm)].map(
        (m) => m[1],
      ),
    );
    const dashboard = JSON.parse(readFileSync(join(monitoring, 'grafana-dashboard.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    t.true(dashboard.panels.length >= 8);
    for (const panel of dashboard.panels)
      for (const { expr } of panel.targets) {
        for (const [name] of expr.matchAll(/\bk8sm_[a-z_]+/g))
          t.true(families.has(name), `${panel.title}: ${name} is not a metric k8sm-probe serve emits`);
        const asked = await fetchJson<{ status: string; error?: string }>(
          `${api}/query?query=${encodeURIComponent(expr.replaceAll('$system', '.*'))}`,
        );
        t.is(asked.status, 'success', `${panel.title}: ${expr}: ${asked.error}`);
      }

    // a ZooKeeper follower dies: its member is down within a few scrapes, and the alerts wait their `for`
    const follower = zk.hosts.findIndex((h) => `${h}:2181` !== zkLeader);
    zk.members[follower]?.kill('SIGKILL');
    const down = `${zk.hosts[follower]}:2181`;
    const alerts = await until(
      async () => (await fetchJson<{ data: { alerts: Alert[] } }>(`${api}/alerts`)).data.alerts,
      (as) =>
        as.some((a) => a.labels.alertname === 'K8smMemberDown') &&
        as.some((a) => a.labels.alertname === 'K8smNoFailureTolerated'),
      30,
    );
    const memberDown = alerts.filter((a) => a.labels.alertname === 'K8smMemberDown');
    t.deepEqual(
      memberDown.map((a) => [a.labels.member, a.state, a.labels.severity, a.labels.cluster]),
      [[down, 'pending', 'warning', 'monitored']],
    );
    t.false(
      alerts.some((a) => a.labels.alertname === 'K8smQuorumLost'),
      JSON.stringify(alerts),
    );
    t.deepEqual(
      (await query('k8sm_ensemble_tolerable_failures{system="zookeeper"}')).map((s) => s.value[1]),
      ['0'],
    );

    exporter.kill('SIGTERM');
    t.is(await exited, 0, exporterLog);
  },
);
