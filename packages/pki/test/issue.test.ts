import { X509Certificate } from 'node:crypto';
import { type EtcdPlan, etcdPkiRequests, loadSpec, pkiFiles } from '@k8sm/spec';
import test from 'ava';
import { describeCertificate, issuePki } from '../src/index.js';

const etcdPlan = (addresses = ['10.0.0.1', '10.0.0.2', '10.0.0.3']): EtcdPlan => {
  const report = loadSpec(
    JSON.stringify({
      name: 'p',
      hosts: addresses.map((address, i) => ({ name: `etcd-${i + 1}`, address, roles: ['etcd'] })),
      etcd: { version: '3.4.23', tls: { client: true, peer: true, pkiDir: 'pki' } },
    }),
    'spec.json',
  );
  if (!report.plan?.etcd) throw new Error(JSON.stringify(report.findings));
  return report.plan.etcd;
};

test('from nothing: the CA, a server and a peer pair per member, two client pairs', async (t) => {
  const requests = etcdPkiRequests(etcdPlan());
  const result = await issuePki(requests, {});
  t.deepEqual(Object.keys(result.created).sort(), pkiFiles(requests).sort());
  t.deepEqual(result.problems, []);
  const ca = new X509Certificate(result.created['etcd/ca.crt'] ?? '');
  const server = new X509Certificate(result.created['etcd/etcd-2/server.crt'] ?? '');
  t.true(server.verify(ca.publicKey));
  t.truthy(server.checkIP('10.0.0.2'));
  t.truthy(server.checkIP('127.0.0.1'));
  t.truthy(server.checkHost('etcd-2'));
  t.truthy(server.checkHost('localhost'));
  t.falsy(server.checkIP('10.0.0.1'), 'each member its own address');
  const client = describeCertificate(result.created['etcd/apiserver-etcd-client.crt'] ?? '');
  t.deepEqual(client.extendedKeyUsages, ['client']);
  t.regex(client.subject, /O=system:masters/);
  t.deepEqual(describeCertificate(result.created['etcd/etcd-1/peer.crt'] ?? '').extendedKeyUsages, [
    'server',
    'client',
  ]);
});

test('a second run keeps everything and issues nothing', async (t) => {
  const requests = etcdPkiRequests(etcdPlan());
  const first = await issuePki(requests, {});
  const again = await issuePki(requests, first.created);
  t.deepEqual(again.created, {});
  t.deepEqual(again.problems, []);
  t.is(again.kept.length, pkiFiles(requests).length / 2);
});

test('a new member gets its pairs from the existing CA; the others are kept', async (t) => {
  const first = await issuePki(etcdPkiRequests(etcdPlan()), {});
  const grown = await issuePki(
    etcdPkiRequests(etcdPlan(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'])),
    first.created,
  );
  t.deepEqual(Object.keys(grown.created).sort(), [
    'etcd/etcd-4/peer.crt',
    'etcd/etcd-4/peer.key',
    'etcd/etcd-4/server.crt',
    'etcd/etcd-4/server.key',
  ]);
  const ca = new X509Certificate(first.created['etcd/ca.crt'] ?? '');
  t.true(new X509Certificate(grown.created['etcd/etcd-4/server.crt'] ?? '').verify(ca.publicKey));
});

test('unusable existing files are problems, never replaced', async (t) => {
  const requests = etcdPkiRequests(etcdPlan());
  const good = (await issuePki(requests, {})).created;
  const other = (await issuePki(requests, {})).created;

  const moved = await issuePki(etcdPkiRequests(etcdPlan(['10.0.0.1', '10.0.0.9', '10.0.0.3'])), good);
  t.true(moved.problems.some((p) => /etcd\/etcd-2\/server\.crt lacks IP:10\.0\.0\.9: remove/.test(p)));
  t.false('etcd/etcd-2/server.crt' in moved.created);

  const swapped = { ...good, 'etcd/etcd-1/server.key': good['etcd/etcd-2/server.key'] ?? '' };
  t.true(
    (await issuePki(requests, swapped)).problems.some((p) =>
      p.startsWith('etcd/etcd-1/server.key does not belong to etcd/etcd-1/server.crt'),
    ),
  );

  const lonely: Record<string, string> = { ...good };
  delete lonely['etcd/etcd-3/peer.crt'];
  const r = await issuePki(requests, lonely);
  t.true(
    r.problems.some((p) => p.startsWith('etcd/etcd-3/peer.crt is missing but etcd/etcd-3/peer.key exists')),
  );
  t.false('etcd/etcd-3/peer.key' in r.created);

  const foreign = {
    ...good,
    'etcd/etcd-1/peer.crt': other['etcd/etcd-1/peer.crt'] ?? '',
    'etcd/etcd-1/peer.key': other['etcd/etcd-1/peer.key'] ?? '',
  };
  t.true(
    (await issuePki(requests, foreign)).problems.includes(
      'etcd/etcd-1/peer.crt was not issued by etcd/ca.crt: remove etcd/etcd-1/peer.crt and .key to issue a new pair',
    ),
  );

  const later = await issuePki(requests, good, { now: new Date(Date.now() + 400 * 86_400_000) });
  t.true(later.problems.some((p) => /etcd\/etcd-1\/server\.crt expired on/.test(p)));
  t.deepEqual(later.created, {});
});

test('openssl agrees: every member and client certificate chains to the CA with the right purpose and SANs', async (t) => {
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, mkdirSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { dirname, join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'k8sm-pki-'));
  try {
    const created = (await issuePki(etcdPkiRequests(etcdPlan()), {})).created;
    for (const [path, content] of Object.entries(created)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const verify = (cert: string, purpose: string) => {
      try {
        return execFileSync(
          'openssl',
          ['verify', '-CAfile', join(dir, 'etcd/ca.crt'), '-purpose', purpose, join(dir, cert)],
          {
            encoding: 'utf8',
            stdio: 'pipe',
          },
        );
      } catch (error) {
        return `failed: ${(error as { stdout?: string }).stdout ?? ''}`;
      }
    };
    for (const member of ['etcd-1', 'etcd-2', 'etcd-3'])
      for (const kind of ['server', 'peer']) {
        const cert = `etcd/${member}/${kind}.crt`;
        t.regex(verify(cert, 'sslserver'), /: OK/, `${cert} as a server`);
        t.regex(verify(cert, 'sslclient'), /: OK/, `${cert} as a client (peers dial each other)`);
        const san = execFileSync(
          'openssl',
          ['x509', '-noout', '-ext', 'subjectAltName', '-in', join(dir, cert)],
          {
            encoding: 'utf8',
          },
        );
        const i = member.slice(-1);
        t.regex(
          san,
          new RegExp(
            `DNS:${member}, DNS:localhost, IP Address:10\\.0\\.0\\.${i}, IP Address:127\\.0\\.0\\.1`,
          ),
        );
      }
    for (const client of ['etcd/apiserver-etcd-client.crt', 'etcd/healthcheck-client.crt']) {
      t.regex(verify(client, 'sslclient'), /: OK/, client);
      t.regex(verify(client, 'sslserver'), /^failed/, `${client} cannot serve`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
