import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import {
  type ClientTls,
  type Cluster,
  call,
  etcdAvailable,
  healthy,
  killAll,
  startEtcd,
  status,
  until,
} from './daemons.js';
import { removeTempDirs } from './helpers.js';

// A real three-member etcd cluster from Debian's etcd-server (3.4), started from the files that
// k8sm-render wrote, on three loopback "hosts". In CI a missing package fails the test.
const daemonTest = etcdAvailable || process.env.CI === 'true' ? test.serial : test.skip;

test.after.always(() => {
  killAll();
  removeTempDirs();
});

async function quorumBehaviour(t: ExecutionContext, cluster: Cluster, tls?: ClientTls): Promise<void> {
  const { urls, members } = cluster;
  const statuses = () => Promise.all(urls.map((u) => status(u, tls)));
  const oneLeader = (s: Awaited<ReturnType<typeof status>>[]) =>
    s.every((x) => x !== 'down' && x.leader !== '0' && x.leader === (s[0] as { leader: string }).leader);
  const formed = await until(statuses, oneLeader);
  t.true(oneLeader(formed), JSON.stringify(formed));
  const leader = (formed[0] as { leader: string }).leader;
  t.is(formed.filter((s) => s !== 'down' && s.member === leader).length, 1, 'the leader is one of the three');
  for (const url of urls) t.true(await until(() => healthy(url, tls), Boolean), `${url}/health`);

  // One member down: two of three are a majority.
  members[2]?.kill('SIGKILL');
  const rest = urls.slice(0, 2);
  for (const url of rest)
    t.true(await until(() => healthy(url, tls), Boolean), `${url}/health with one down`);

  // Two down: the survivor has no leader and reports unhealthy.
  members[1]?.kill('SIGKILL');
  const alone = urls[0] ?? '';
  const lost = await until(
    () => status(alone, tls),
    (s) => s !== 'down' && s.leader === '0',
    30,
  );
  t.like(lost, { leader: '0' }, 'no leader without a majority');
  t.false(
    await until(
      () => healthy(alone, tls),
      (h) => !h,
      30,
    ),
    `${alone}/health without a majority`,
  );
  for (const child of members) child.kill('SIGKILL');
}

daemonTest(
  'a rendered 3-member etcd cluster, started from its env files, keeps quorum at one loss',
  async (t) => {
    t.timeout(120_000);
    await quorumBehaviour(t, await startEtcd(t, '127.0.41', 'env'));
  },
);

daemonTest(
  'the same cluster started from the rendered flags (the docker form) behaves the same',
  async (t) => {
    t.timeout(120_000);
    await quorumBehaviour(t, await startEtcd(t, '127.0.42', 'flags'));
  },
);

daemonTest(
  'with TLS from `k8sm-render pki`: https with the client cert works, without one it fails',
  async (t) => {
    t.timeout(120_000);
    const cluster = await startEtcd(t, '127.0.43', 'env', { tls: { pkiDir: 'pki' } });
    const tree = join(cluster.cwd, 'out/hosts/etcd-1/etc/etcd/ssl');
    const clientTls = {
      ca: readFileSync(join(tree, 'ca.crt'), 'utf8'),
      cert: readFileSync(join(tree, 'healthcheck-client.crt'), 'utf8'),
      key: readFileSync(join(tree, 'healthcheck-client.key'), 'utf8'),
    };
    const url = cluster.urls[0] ?? '';
    t.true(await until(() => healthy(url, clientTls), Boolean), 'health over https with the client cert');
    const withoutCert = await call(`${url}/health`, 'GET', { ca: clientTls.ca });
    t.not(withoutCert.status, 200, 'client-cert-auth refuses a client without a certificate');
    const plain = await call(`${url.replace('https:', 'http:')}/health`, 'GET');
    t.not(plain.status, 200, 'no plain http on the client port');
    await quorumBehaviour(t, cluster, clientTls);
  },
);
