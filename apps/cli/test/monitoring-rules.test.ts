import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleNames } from '@k8sm/testkit-fixtures';
import test from 'ava';
import { stringify } from 'yaml';
import { removeTempDirs, render, renderableExample, tempDir, writeSpec } from './helpers.js';

// Debian's promtool (Prometheus 2.42) is the oracle: it loads the rendered prometheus.yml and
// alerts.yml, and `promtool test rules` evaluates the rendered expressions and `for` durations
// over test series, with the real template engine filling the annotations.
const PROMTOOL = '/usr/bin/promtool';
const promtoolTest = existsSync(PROMTOOL) || process.env.CI === 'true' ? test : test.skip;

test.after.always(() => removeTempDirs());

function promtool(args: readonly string[], cwd: string): { code: number | null; out: string } {
  const r = spawnSync(PROMTOOL, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Render a spec; the monitoring directory of its output. */
function monitoringOf(spec: unknown): string {
  const cwd = tempDir();
  const r = render([writeSpec(cwd, 'spec.json', spec), '-o', 'out'], cwd);
  if (r.code !== 0) throw new Error(r.stderr);
  return join(cwd, 'out/cluster/monitoring');
}

const zookeeperSpec = (monitoring?: Record<string, unknown>) => ({
  name: 'alerts',
  hosts: [1, 2, 3].map((i) => ({ name: `zk${i}`, address: `127.0.80.${i}`, roles: ['zookeeper'] })),
  zookeeper: { version: '3.8.0' },
  ...(monitoring ? { monitoring } : {}),
});

promtoolTest('every example: promtool accepts the rendered prometheus.yml and alerts.yml', (t) => {
  t.true(existsSync(PROMTOOL), `${PROMTOOL} is missing: the test command installs Debian's prometheus`);
  for (const name of exampleNames()) {
    const cwd = tempDir();
    const { file } = renderableExample(name, cwd);
    const r = render([file, '-o', 'out'], cwd);
    t.is(r.code, 0, `${name}: ${r.stderr}`);
    const dir = join(cwd, 'out/cluster/monitoring');
    // check config also opens the rule files and the TLS files it names
    const config = promtool(['check', 'config', 'prometheus.yml'], dir);
    t.is(config.code, 0, `${name}: ${config.out}`);
    t.regex(config.out, /SUCCESS: 1 rule files found/, name);
    const rules = promtool(['check', 'rules', 'alerts.yml'], dir);
    t.is(rules.code, 0, `${name}: ${rules.out}`);
  }
});

type Labels = Record<string, string>;
const Z = {
  job: 'k8sm',
  instance: '127.0.0.1:9180',
  system: 'zookeeper',
  ensemble: 'zk1:2181,zk2:2181,zk3:2181',
};
const series = (name: string, labels: Labels, values: string) => ({
  series: `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`,
  values,
});

/** What a healthy 3-member ensemble reports, for `minutes` at 30 s. */
const healthy = (labels: Labels, samples = 60) => [
  series('up', { job: 'k8sm', instance: labels.instance ?? '' }, `1x${samples}`),
  series('k8sm_ensemble_tolerable_failures', labels, `1x${samples}`),
  series('k8sm_ensemble_members', labels, `3x${samples}`),
  series('k8sm_ensemble_members_up', labels, `3x${samples}`),
  series('k8sm_ensemble_leaders', labels, `1x${samples}`),
  series('k8sm_ensemble_members_discovered', labels, `0x${samples}`),
  series('k8sm_ensemble_members_strangers', labels, `0x${samples}`),
  series('k8sm_ensemble_members_foreign', labels, `0x${samples}`),
  ...[1, 2, 3].map((i) => series('k8sm_member_up', { ...labels, member: `zk${i}:2181` }, `1x${samples}`)),
];

const ALERTS = [
  'K8smExporterDown',
  'K8smQuorumLost',
  'K8smNoFailureTolerated',
  'K8smMemberDown',
  'K8smNoLeader',
  'K8smSplitBrain',
  'K8smMembershipDiffersFromSpec',
  'K8smCertificateExpiresSoon',
  'K8smCertificateExpired',
];

interface Fired {
  alertname: string;
  eval_time: string;
  exp_alerts: { exp_labels: Labels; exp_annotations: Labels }[];
}
const fires = (
  alertname: string,
  at: string,
  labels: Labels,
  summary: string,
  description: string,
): Fired => ({
  alertname,
  eval_time: at,
  exp_alerts: [
    {
      exp_labels: { ...labels, cluster: 'alerts' },
      exp_annotations: { summary, description },
    },
  ],
});
const silent = (alertname: string, at: string) => ({ alertname, eval_time: at, exp_alerts: [] });

/** Run `promtool test rules` over the rendered alerts.yml with these tests. */
function testRules(dir: string, tests: unknown[]) {
  writeFileSync(
    join(dir, 'alerts.test.yml'),
    stringify({ rule_files: ['alerts.yml'], evaluation_interval: '30s', tests }),
  );
  return promtool(['test', 'rules', 'alerts.test.yml'], dir);
}

promtoolTest(
  'promtool test rules: each alert fires on its failure, after its for, and not on a healthy cluster',
  (t) => {
    const dir = monitoringOf(zookeeperSpec());
    const lost = series('k8sm_ensemble_tolerable_failures', Z, '1 0 -1x40');
    const tests = [
      {
        // healthy: nothing fires in 20 minutes
        interval: '30s',
        input_series: healthy(Z),
        alert_rule_test: ALERTS.map((a) => silent(a, '20m')),
      },
      {
        // two members stop: tolerable failures -1 from 1m; K8smQuorumLost waits its 1m
        interval: '30s',
        input_series: [
          ...healthy(Z).filter((s) => !s.series.startsWith('k8sm_ensemble_tolerable_failures')),
          lost,
        ],
        alert_rule_test: [
          silent('K8smQuorumLost', '1m30s'),
          fires(
            'K8smQuorumLost',
            '2m',
            { ...Z, severity: 'critical' },
            `zookeeper ensemble ${Z.ensemble} has lost quorum`,
            `zookeeper ${Z.ensemble} has fewer members up than it needs to serve (-1 tolerable failures): bring members back before anything else.`,
          ),
        ],
      },
      {
        // a member stops at 1m: K8smMemberDown after 2m; with one failure tolerated no more, after 5m
        interval: '30s',
        input_series: [
          ...healthy(Z).filter(
            (s) => !s.series.includes('member="zk2:2181"') && !s.series.startsWith('k8sm_ensemble_tolerable'),
          ),
          series('k8sm_member_up', { ...Z, member: 'zk2:2181' }, '1 1 0x40'),
          series('k8sm_ensemble_tolerable_failures', Z, '1 1 0x40'),
        ],
        alert_rule_test: [
          silent('K8smMemberDown', '2m30s'),
          fires(
            'K8smMemberDown',
            '3m',
            { ...Z, member: 'zk2:2181', severity: 'warning' },
            'zookeeper member zk2:2181 is down',
            `zk2:2181 of zookeeper ${Z.ensemble} does not answer its probe or does not serve: \`k8sm-probe --json\` gives the reason.`,
          ),
          silent('K8smNoFailureTolerated', '5m30s'),
          fires(
            'K8smNoFailureTolerated',
            '6m',
            { ...Z, severity: 'warning' },
            `zookeeper ensemble ${Z.ensemble} tolerates no more failures`,
            `One more member down and zookeeper ${Z.ensemble} stops serving: do not restart or upgrade any member now.`,
          ),
          silent('K8smQuorumLost', '10m'),
        ],
      },
      {
        // no leader from 30s while members answer; two leaders in another ensemble; agents have none ever
        interval: '30s',
        input_series: [
          series('k8sm_ensemble_leaders', Z, '1 0x40'),
          series('k8sm_ensemble_members_up', Z, '3x40'),
          series('k8sm_ensemble_leaders', { ...Z, system: 'etcd', ensemble: 'e' }, '1 2x40'),
          series('k8sm_ensemble_members_up', { ...Z, system: 'etcd', ensemble: 'e' }, '3x40'),
          series('k8sm_ensemble_leaders', { ...Z, system: 'mesos-agent', ensemble: 'a' }, '0x40'),
          series('k8sm_ensemble_members_up', { ...Z, system: 'mesos-agent', ensemble: 'a' }, '5x40'),
          // a ZooKeeper ensemble with every member down: quorum lost, not "no leader"
          series('k8sm_ensemble_leaders', { ...Z, ensemble: 'gone' }, '0x40'),
          series('k8sm_ensemble_members_up', { ...Z, ensemble: 'gone' }, '0x40'),
        ],
        alert_rule_test: [
          silent('K8smNoLeader', '1m'),
          fires(
            'K8smNoLeader',
            '1m30s',
            { ...Z, severity: 'critical' },
            `zookeeper ensemble ${Z.ensemble} has no leader`,
            `Members of zookeeper ${Z.ensemble} answer, but none leads: an election that does not end, or a leader this host cannot reach.`,
          ),
          fires(
            'K8smSplitBrain',
            '1m30s',
            { ...Z, system: 'etcd', ensemble: 'e', severity: 'critical' },
            'etcd ensemble e has 2 leaders',
            'More than one member of etcd e says it leads in the same election: the ensembles have split.',
          ),
        ],
      },
      {
        // a member the spec does not name joins at 30s
        interval: '30s',
        input_series: [
          series('k8sm_ensemble_members_discovered', Z, '0 1x40'),
          series('k8sm_ensemble_members_strangers', Z, '0x40'),
          series('k8sm_ensemble_members_foreign', Z, '0x40'),
        ],
        alert_rule_test: [
          silent('K8smMembershipDiffersFromSpec', '10m'),
          fires(
            'K8smMembershipDiffersFromSpec',
            '10m30s',
            { ...Z, severity: 'warning' },
            `zookeeper ensemble ${Z.ensemble} is not the ensemble the spec describes`,
            'Its members list members the spec lacks, or do not list members it has, or answer for another cluster: render and apply the spec, or fix the spec.',
          ),
        ],
      },
      {
        // time() starts at 0: one certificate ends at 10 days, one at 40, one at 60 s
        interval: '1m',
        input_series: [
          series(
            'k8sm_member_certificate_not_after_seconds',
            { ...Z, system: 'etcd', member: 'https://e1:2379' },
            '864000x90',
          ),
          series(
            'k8sm_member_certificate_not_after_seconds',
            { ...Z, system: 'etcd', member: 'https://e2:2379' },
            '3456000x90',
          ),
          series(
            'k8sm_member_certificate_not_after_seconds',
            { ...Z, system: 'etcd', member: 'https://e3:2379' },
            '60x90',
          ),
        ],
        alert_rule_test: [
          {
            alertname: 'K8smCertificateExpiresSoon',
            eval_time: '1h',
            exp_alerts: [
              {
                exp_labels: {
                  ...Z,
                  system: 'etcd',
                  member: 'https://e1:2379',
                  severity: 'warning',
                  cluster: 'alerts',
                },
                exp_annotations: {
                  // 10 days less the hour it waited, as Prometheus' humanizeDuration writes it
                  summary: 'the certificate of https://e1:2379 expires within 9d 23h 0m 0s',
                  description:
                    'Renew it with `k8sm-render pki <spec> --check-expiration` to list every certificate, then re-issue the leaves.',
                },
              },
            ],
          },
          silent('K8smCertificateExpired', '5m'),
          fires(
            'K8smCertificateExpired',
            '6m',
            { ...Z, system: 'etcd', member: 'https://e3:2379', severity: 'critical' },
            'the certificate of https://e3:2379 has expired',
            'Clients that verify it refuse https://e3:2379: re-issue its certificate now.',
          ),
        ],
      },
      {
        // the exporter stops answering at 30s; K8smExporterDown waits 2m
        interval: '30s',
        input_series: [series('up', { job: 'k8sm', instance: Z.instance }, '1 0x20')],
        alert_rule_test: [
          silent('K8smExporterDown', '2m'),
          fires(
            'K8smExporterDown',
            '2m30s',
            { job: 'k8sm', instance: Z.instance, severity: 'critical' },
            'k8sm-probe serve does not answer Prometheus',
            'No k8sm alert below can fire while the exporter is down: start `k8sm-probe serve --spec <spec>` where monitoring.exporter says.',
          ),
        ],
      },
      {
        // never scraped at all (a target missing from the config): absent() fires
        interval: '30s',
        input_series: [],
        alert_rule_test: [
          fires(
            'K8smExporterDown',
            '2m',
            { job: 'k8sm', severity: 'critical' },
            'k8sm-probe serve does not answer Prometheus',
            'No k8sm alert below can fire while the exporter is down: start `k8sm-probe serve --spec <spec>` where monitoring.exporter says.',
          ),
        ],
      },
    ];
    const r = testRules(dir, tests);
    t.is(r.code, 0, r.out);
    t.regex(r.out, /SUCCESS/);

    // the oracle can fail: a wrong expectation is a failure, not a pass
    const wrong = testRules(dir, [{ ...tests[1], alert_rule_test: [silent('K8smQuorumLost', '2m')] }]);
    t.is(wrong.code, 1, wrong.out);
  },
);

promtoolTest("monitoring.certificateWarningDays moves the certificate alert's window", (t) => {
  const dir = monitoringOf(zookeeperSpec({ certificateWarningDays: 45 }));
  const member = { ...Z, system: 'etcd', member: 'https://e2:2379' };
  const r = testRules(dir, [
    {
      interval: '1m',
      input_series: [series('k8sm_member_certificate_not_after_seconds', member, '3456000x90')],
      alert_rule_test: [
        {
          alertname: 'K8smCertificateExpiresSoon',
          eval_time: '1h',
          exp_alerts: [
            {
              exp_labels: { ...member, severity: 'warning', cluster: 'alerts' },
              exp_annotations: {
                summary: 'the certificate of https://e2:2379 expires within 39d 23h 0m 0s',
                description:
                  'Renew it with `k8sm-render pki <spec> --check-expiration` to list every certificate, then re-issue the leaves.',
              },
            },
          ],
        },
      ],
    },
  ]);
  t.is(r.code, 0, r.out);
  // and the default window (30 days) does not fire on 40 days left
  const dflt = monitoringOf(zookeeperSpec());
  const quiet = testRules(dflt, [
    {
      interval: '1m',
      input_series: [series('k8sm_member_certificate_not_after_seconds', member, '3456000x90')],
      alert_rule_test: [silent('K8smCertificateExpiresSoon', '1h')],
    },
  ]);
  t.is(quiet.code, 0, quiet.out);
  t.regex(readFileSync(join(dir, 'alerts.yml'), 'utf8'), /^# generated by k8sm from alerts/m);
});
