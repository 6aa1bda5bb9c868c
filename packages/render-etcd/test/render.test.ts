import { commandsOf, ensemble, fakePki, fileOf, planOf } from '@k8sm/testkit';
import test from 'ava';
import { etcdFlags, MissingPkiFileError, renderEtcd } from '../src/index.js';

const plan = (etcd: Record<string, unknown>, hostExtra: Record<string, unknown>[] = []) =>
  planOf(ensemble({ name: 'etcd-test', component: 'etcd', prefix: 'e' }, etcd, hostExtra));

const envOf = (content: string) =>
  Object.fromEntries(
    content
      .split('\n')
      .filter((l) => /^[A-Z_0-9]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

test('v3 package form: one env file per member, a unit that loads it and passes no flag', (t) => {
  const out = renderEtcd(plan({ version: '3.5.17' }));
  const env = envOf(fileOf(out, 'e2', '/etc/etcd/etcd.conf')?.content ?? '');
  t.is(env.ETCD_NAME, 'e2');
  t.is(env.ETCD_LISTEN_CLIENT_URLS, 'http://10.0.0.2:2379');
  t.is(env.ETCD_ADVERTISE_CLIENT_URLS, 'http://10.0.0.2:2379');
  t.is(env.ETCD_LISTEN_PEER_URLS, 'http://10.0.0.2:2380');
  t.is(env.ETCD_INITIAL_CLUSTER, 'e1=http://10.0.0.1:2380,e2=http://10.0.0.2:2380,e3=http://10.0.0.3:2380');
  t.is(env.ETCD_INITIAL_CLUSTER_TOKEN, 'etcd-test-etcd');
  t.is(env.ETCD_INITIAL_CLUSTER_STATE, 'new');
  t.is(env.ETCD_DATA_DIR, '/var/lib/etcd');
  t.is(env.ETCD_ENABLE_V2, undefined, 'nothing in this spec needs the v2 API');
  const unit = fileOf(out, 'e2', '/etc/systemd/system/etcd.service')?.content ?? '';
  t.regex(unit, /^EnvironmentFile=\/etc\/etcd\/etcd\.conf$/m);
  t.regex(
    unit,
    /^ExecStart=\/usr\/bin\/etcd$/m,
    'no flag beside the env file: both for one option is fatal from 3.4',
  );
  t.deepEqual(commandsOf(out, 'e2'), [
    'install -d -o etcd -g etcd -m 0700 /var/lib/etcd',
    'systemctl daemon-reload',
    'systemctl enable etcd.service',
    'systemctl restart etcd.service',
  ]);
  // the initial cluster is the same on every member, and its keys are the member names
  const clusters = ['e1', 'e2', 'e3'].map((h) => envOf(fileOf(out, h, '/etc/etcd/etcd.conf')?.content ?? ''));
  t.deepEqual(new Set(clusters.map((c) => c.ETCD_INITIAL_CLUSTER)).size, 1);
  t.deepEqual(
    (env.ETCD_INITIAL_CLUSTER ?? '').split(',').map((e: string) => e.split('=')[0]),
    clusters.map((c) => c.ETCD_NAME),
  );
});

test('per-host ports, data dir and cluster state reach that member and the others’ initial cluster', (t) => {
  const out = renderEtcd(
    plan({ version: '3.4.23' }, [
      {},
      {},
      { etcd: { peerPort: 12380, dataDir: '/data/etcd', initialClusterState: 'existing' } },
    ]),
  );
  const e1 = envOf(fileOf(out, 'e1', '/etc/etcd/etcd.conf')?.content ?? '');
  const e3 = envOf(fileOf(out, 'e3', '/etc/etcd/etcd.conf')?.content ?? '');
  t.regex(e1.ETCD_INITIAL_CLUSTER ?? '', /e3=http:\/\/10\.0\.0\.3:12380$/);
  t.is(e3.ETCD_LISTEN_PEER_URLS, 'http://10.0.0.3:12380');
  t.is(e3.ETCD_DATA_DIR, '/data/etcd');
  t.is(e3.ETCD_INITIAL_CLUSTER_STATE, 'existing');
  t.is(e1.ETCD_INITIAL_CLUSTER_STATE, 'new');
});

test('v2.2 docker form: single-dash flags, legacy ports, the data volume where etcd writes', (t) => {
  const out = renderEtcd(plan({ version: '2.2.1', runtime: 'docker', legacyPorts: true }));
  const run = commandsOf(out, 'e1').find((c) => c.startsWith('docker run')) ?? '';
  t.regex(run, /--net host/);
  t.regex(run, /-v \/var\/lib\/etcd:\/var\/lib\/etcd/);
  t.regex(run, /quay\.io\/coreos\/etcd:v2\.2\.1 \\\n {2}-name=e1/, 'the 2.x image has ENTRYPOINT /etcd');
  t.regex(run, /-data-dir=\/var\/lib\/etcd/);
  t.regex(run, /-listen-client-urls=http:\/\/10\.0\.0\.1:2379,http:\/\/10\.0\.0\.1:4001/);
  t.regex(run, /-listen-peer-urls=http:\/\/10\.0\.0\.1:2380,http:\/\/10\.0\.0\.1:7001/);
  t.notRegex(run.slice(run.indexOf('etcd:v2.2.1')), /--/, 'no double-dash flag for 2.x');
  t.false(
    out.some((a) => a.kind === 'file'),
    'the docker form writes no env file',
  );
});

test('v3 docker form: double-dash flags after the binary, and --enable-v2 when k8sm needs it', (t) => {
  const p = plan({ version: '3.5.17', runtime: 'docker', enableV2: true });
  const run = commandsOf(renderEtcd(p), 'e1').find((c) => c.startsWith('docker run')) ?? '';
  t.regex(run, /quay\.io\/coreos\/etcd:v3\.5\.17 \\\n {2}\/usr\/local\/bin\/etcd \\\n {2}--name=e1/);
  t.regex(run, /--enable-v2=true/);
  const member = p.etcd?.members[0];
  if (!p.etcd || !member) throw new Error('no etcd plan');
  t.deepEqual(
    etcdFlags(p.etcd, member).map((f) => f.slice(0, f.indexOf('='))),
    [
      '--name',
      '--data-dir',
      '--listen-peer-urls',
      '--initial-advertise-peer-urls',
      '--listen-client-urls',
      '--advertise-client-urls',
      '--initial-cluster',
      '--initial-cluster-token',
      '--initial-cluster-state',
      '--enable-v2',
    ],
  );
  const v33 = plan({ version: '3.3.25', enableV2: true });
  t.false(
    (fileOf(renderEtcd(v33), 'e1', '/etc/etcd/etcd.conf')?.content ?? '').includes('ENABLE_V2'),
    'before 3.4 the v2 API is on by default: no switch to write',
  );
});

test('TLS: https everywhere, the PKI files placed on each member with keys 0600', (t) => {
  const p = plan({ version: '3.4.23', tls: { client: true, peer: true, pkiDir: 'pki' } });
  const pki = fakePki(p);
  const out = renderEtcd(p, pki);
  const env = envOf(fileOf(out, 'e1', '/etc/etcd/etcd.conf')?.content ?? '');
  t.is(env.ETCD_LISTEN_CLIENT_URLS, 'https://10.0.0.1:2379');
  t.regex(env.ETCD_INITIAL_CLUSTER ?? '', /^e1=https:\/\/10\.0\.0\.1:2380,e2=https:/);
  t.is(env.ETCD_CLIENT_CERT_AUTH, 'true');
  t.is(env.ETCD_PEER_CLIENT_CERT_AUTH, 'true');
  // every TLS path the env file names is a file this member gets
  for (const key of [
    'ETCD_CERT_FILE',
    'ETCD_KEY_FILE',
    'ETCD_TRUSTED_CA_FILE',
    'ETCD_PEER_CERT_FILE',
    'ETCD_PEER_KEY_FILE',
  ])
    t.truthy(fileOf(out, 'e1', env[key] ?? ''), key);
  t.is(fileOf(out, 'e2', '/etc/etcd/ssl/server.crt')?.content, 'pem of etcd/e2/server.crt\n');
  t.is(fileOf(out, 'e2', '/etc/etcd/ssl/peer.key')?.content, 'pem of etcd/e2/peer.key\n');
  t.is(fileOf(out, 'e2', '/etc/etcd/ssl/server.key')?.mode, 0o600);
  t.is(fileOf(out, 'e2', '/etc/etcd/ssl/healthcheck-client.key')?.mode, 0o600);
  t.is(fileOf(out, 'e2', '/etc/etcd/ssl/ca.crt')?.mode, 0o644);
  t.falsy(fileOf(out, 'e2', '/etc/etcd/ssl/ca.key'), 'the CA key never leaves the PKI dir');
  t.true(commandsOf(out, 'e1').includes('chown -R etcd:etcd /etc/etcd/ssl'), 'User=etcd must read its keys');
  const missing = { ...pki };
  delete missing['etcd/e3/peer.key'];
  const error = t.throws(() => renderEtcd(p, missing), { instanceOf: MissingPkiFileError });
  t.is(error?.file, 'etcd/e3/peer.key');
});

test('client TLS only: peers stay on http, the client side on https', (t) => {
  const p = plan({ version: '3.1.0', tls: { client: true, pkiDir: 'pki' } });
  const pki = fakePki(p);
  const env = envOf(fileOf(renderEtcd(p, pki), 'e1', '/etc/etcd/etcd.conf')?.content ?? '');
  t.is(env.ETCD_ADVERTISE_CLIENT_URLS, 'https://10.0.0.1:2379');
  t.is(env.ETCD_INITIAL_ADVERTISE_PEER_URLS, 'http://10.0.0.1:2380');
  t.is(env.ETCD_PEER_CERT_FILE, undefined);
  t.is(env.ETCD_TRUSTED_CA_FILE, '/etc/etcd/ssl/ca.crt');
});
