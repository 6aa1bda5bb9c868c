import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { etcdAvailable, freeSubnet, healthy, killAll, startEtcd, until } from './daemons.js';
import { probeBin, removeTempDirs, tempDir } from './helpers.js';

// k8sm-probe on a healthy real etcd 3.4 cluster with client-cert auth (rendered by k8sm-render pki),
// asked with missing TLS material: the oracle is the real etcdctl on the same cluster with the
// same material. A TLS failure is "cannot judge" (UNKNOWN, exit 3) with the fix, never "quorum lost".
const ETCDCTL = '/usr/bin/etcdctl';
const daemonTest =
  (etcdAvailable && existsSync(ETCDCTL)) || process.env.CI === 'true' ? test.serial : test.skip;

test.after.always(() => {
  killAll();
  removeTempDirs();
});

const probe = (args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) =>
    execFile(process.execPath, [probeBin, ...args], { timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr }),
    ),
  );

interface Json {
  status: string;
  ensembles: {
    status: string;
    summary: string;
    members: { ok: boolean; reason?: string; message?: string }[];
  }[];
}

daemonTest(
  'TLS: a missing CA or client certificate is UNKNOWN with the fix, as etcdctl also fails; the right files are OK',
  async (t) => {
    t.timeout(180_000);
    const subnet = await freeSubnet([191, 192, 193, 194, 195], [2379, 2380]);
    const cluster = await startEtcd(t, subnet, 'env', { tls: { pkiDir: 'pki' } });
    const ssl = join(cluster.cwd, 'out/hosts/etcd-1/etc/etcd/ssl');
    const files = {
      ca: join(ssl, 'ca.crt'),
      cert: join(ssl, 'healthcheck-client.crt'),
      key: join(ssl, 'healthcheck-client.key'),
    };
    const material = {
      ca: readFileSync(files.ca, 'utf8'),
      cert: readFileSync(files.cert, 'utf8'),
      key: readFileSync(files.key, 'utf8'),
    };
    for (const url of cluster.urls)
      t.true(await until(() => healthy(url, material), Boolean, 90), `${url} healthy`);
    const endpoints = cluster.urls.join(',');
    const etcdctl = (args: string[]) =>
      spawnSync(
        ETCDCTL,
        [
          '--endpoints',
          endpoints,
          '--dial-timeout',
          '2s',
          '--command-timeout',
          '3s',
          ...args,
          'endpoint',
          'health',
        ],
        {
          encoding: 'utf8',
          env: { ...process.env, ETCDCTL_API: '3' },
          timeout: 30_000,
        },
      );

    const cases = [
      { name: 'no --cacert', probeArgs: [], ctlArgs: [], fix: /--cacert/ },
      {
        name: '--cacert without a client certificate',
        probeArgs: ['--cacert', files.ca],
        ctlArgs: ['--cacert', files.ca],
        fix: /--cert .*--key|--cert and --key/,
      },
    ];
    for (const c of cases) {
      const ctl = etcdctl(c.ctlArgs);
      t.not(ctl.status, 0, `${c.name}: etcdctl fails too: ${ctl.stdout}${ctl.stderr}`);
      const r = await probe(['--etcd', endpoints, ...c.probeArgs, '--timeout', '3', '--json']);
      t.is(r.code, 3, `${c.name}: exit 3 (UNKNOWN): ${r.stdout}${r.stderr}`);
      const report = JSON.parse(r.stdout) as Json;
      const ensemble = report.ensembles[0];
      t.is(report.status, 'UNKNOWN', c.name);
      t.is(ensemble?.status, 'UNKNOWN', c.name);
      t.deepEqual(
        ensemble?.members.map((m) => m.reason),
        ['tls', 'tls', 'tls'],
        `${c.name}: ${JSON.stringify(ensemble?.members)}`,
      );
      t.notRegex(ensemble?.summary ?? '', /quorum lost/, c.name);
      t.regex(ensemble?.summary ?? '', c.fix, `${c.name}: ${ensemble?.summary}`);
      const table = await probe(['--etcd', endpoints, ...c.probeArgs, '--timeout', '3']);
      t.is(table.code, 3);
      t.regex(table.stdout, c.fix, c.name);
    }
    const right = ['--cacert', files.ca, '--cert', files.cert, '--key', files.key];
    const ctl = etcdctl(right);
    t.is(ctl.status, 0, `${ctl.stdout}${ctl.stderr}`);
    const ok = await probe(['--etcd', endpoints, ...right, '--json']);
    t.is(ok.code, 0, ok.stdout);
    t.is((JSON.parse(ok.stdout) as Json).status, 'OK');

    // --spec presents what the spec's etcd.tls.pkiDir holds: its CA and the health-check client
    const spec = join(cluster.cwd, 'etcd.json');
    const bySpec = await probe(['--spec', spec, '--json']);
    t.is(bySpec.code, 0, `${bySpec.stdout}${bySpec.stderr}`);
    t.like((JSON.parse(bySpec.stdout) as Json).ensembles[0], { status: 'OK' });
    // a spec whose PKI dir lacks them: exit 3 naming the field, the files and the fix, no probe
    const elsewhere = join(tempDir(), 'etcd.json');
    writeFileSync(elsewhere, readFileSync(spec, 'utf8'));
    const lacking = await probe(['--spec', elsewhere, '--json']);
    t.is(lacking.code, 3, lacking.stdout);
    t.regex(
      lacking.stderr,
      /--spec .*etcd\.json: etcd\.tls\.pkiDir pki \(.*\) lacks etcd\/ca\.crt, etcd\/healthcheck-client\.crt, etcd\/healthcheck-client\.key: run `k8sm-render pki /,
    );
    // … unless the command line gives them
    const given = await probe(['--spec', elsewhere, ...right, '--json']);
    t.is(given.code, 0, `${given.stdout}${given.stderr}`);
  },
);
