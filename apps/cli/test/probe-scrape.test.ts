import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, get } from 'node:http';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { PROBE_FORMATS } from '@k8sm/probes';
import test from 'ava';
import { probeAll } from '../src/probe.js';
import { freePort, removeTempDirs, tempDir } from './helpers.js';

// A real Prometheus (Debian's 2.42) scrapes k8sm-probe's exposition, with the same ensemble probed
// twice and a member down. Prometheus keeps the target up when a scrape repeats a series but stores
// only one of them (seen here: without the ensemble label the query returned 2 series, not 3), so
// its target health and its query API are the oracle.
const PROMETHEUS = '/usr/bin/prometheus';
const prometheusTest = existsSync(PROMETHEUS) || process.env.CI === 'true' ? test : test.skip;

const closers: (() => void)[] = [];
test.after.always(() => {
  for (const close of closers) close();
  removeTempDirs();
});

/** A standalone ZooKeeper as srvr and conf answer on 3.8 (standalone: no membership). */
async function standaloneZookeeper(): Promise<number> {
  const server: Server = createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () =>
      socket.end(
        'Zookeeper version: 3.8.0-fake, built on 2022-02-25\nLatency min/avg/max: 0/0.1/1\nReceived: 1\nSent: 1\nConnections: 1\nOutstanding: 0\nZxid: 0x100000002\nMode: standalone\nNode count: 5\n',
      ),
    );
  });
  closers.push(() => server.close());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function getJson(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = get(url, { timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: timed out`)));
    req.on('error', reject);
  });
}

interface Target {
  health: string;
  lastError: string;
}
interface Series {
  metric: Record<string, string>;
  value: [number, string];
}

prometheusTest(
  'a real Prometheus scrapes the exposition: target up, no error, one series per ensemble and member',
  async (t) => {
    t.timeout(90_000);
    const zk = `127.0.0.1:${await standaloneZookeeper()}`;
    const targets = [
      { system: 'zookeeper' as const, members: [zk] },
      { system: 'zookeeper' as const, members: [zk] },
      { system: 'zookeeper' as const, members: ['127.0.0.1:1'] },
    ];
    let scrapes = 0;
    const exporter = createHttpServer((_req, res) => {
      scrapes++;
      probeAll(targets, { timeoutMs: 500, concurrency: 8, http: {} }).then(
        (report) =>
          res
            .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
            .end(PROBE_FORMATS.prometheus(report)),
        (error) => res.writeHead(500).end(String(error)),
      );
    });
    closers.push(() => exporter.close());
    await new Promise<void>((resolve) => exporter.listen(0, '127.0.0.1', resolve));
    const exporterPort = (exporter.address() as AddressInfo).port;

    const dir = tempDir();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      `global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n  - job_name: k8sm\n    static_configs:\n      - targets: ['127.0.0.1:${exporterPort}']\n`,
    );
    const port = await freePort();
    const prometheus: ChildProcess = spawn(
      PROMETHEUS,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    closers.push(() => prometheus.kill('SIGKILL'));
    const api = `http://127.0.0.1:${port}/api/v1`;

    // bounded: 60 polls, 500 ms apart
    let target: Target | undefined;
    for (let i = 0; i < 60; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const r = (await getJson(`${api}/targets`).catch(() => undefined)) as
        | { data?: { activeTargets?: Target[] } }
        | undefined;
      target = r?.data?.activeTargets?.[0];
      if (target && target.health !== 'unknown' && scrapes >= 2) break;
    }
    t.like(target, { health: 'up', lastError: '' }, JSON.stringify(target));

    const query = async (q: string) =>
      ((await getJson(`${api}/query?query=${encodeURIComponent(q)}`)) as { data: { result: Series[] } }).data
        .result;
    const status = await query('k8sm_ensemble_status');
    t.deepEqual(
      status.map((s) => [s.metric.ensemble, s.value[1]]).sort(),
      [
        [zk, '0'],
        [`${zk} #2`, '0'],
        ['127.0.0.1:1', '2'],
      ].sort(),
    );
    const up = await query('k8sm_member_up');
    t.is(up.length, 3);
    // a member that did not answer has no latency sample; the others have one each
    const latency = await query('k8sm_member_latency_seconds');
    t.deepEqual(latency.map((s) => s.metric.ensemble).sort(), [zk, `${zk} #2`].sort());
  },
);
