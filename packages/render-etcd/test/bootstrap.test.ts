import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Artifact, type ClusterPlan, loadSpec } from '@k8sm/spec';
import {
  commandsOf,
  contentOf,
  ensemble,
  etcdBootstrapError,
  etcdOptionsFromEnv,
  etcdOptionsFromFlags,
  exampleNames,
  exampleText,
  fakePki,
  planOf,
} from '@k8sm/testkit';
import test from 'ava';
import { ETCD_CONF, renderEtcd } from '../src/index.js';

// Every rendered member, read the way its consumer reads it (the env file sourced by a real sh,
// the docker run words split by a real sh), must pass etcd's bootstrap check: the model in
// @k8sm/testkit etcd-bootstrap.ts, cited from etcd's etcdserver/config.go.

const scratch = mkdtempSync(join(tmpdir(), 'k8sm-etcd-bootstrap-'));
test.after.always(() => rmSync(scratch, { recursive: true, force: true }));

/** ETCD_* of an env file as sh (and systemd's EnvironmentFile=, for what k8sm writes) reads it. */
function sourced(content: string): Record<string, string> {
  const file = join(scratch, 'etcd.conf');
  writeFileSync(file, content);
  const r = spawnSync('/bin/sh', ['-c', 'set -a; . "$1"; exec env -0', 'sh', file], {
    encoding: 'utf8',
    env: {},
  });
  if (r.status !== 0) throw new Error(`sh could not source ${ETCD_CONF}: ${r.stderr}`);
  return Object.fromEntries(
    r.stdout
      .split('\0')
      .filter((kv) => kv.startsWith('ETCD_'))
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}

/** The argv a real sh gives `docker run …`, after the image (and /usr/local/bin/etcd on 3.x). */
function dockerRunWords(script: string, image: string): string[] {
  const r = spawnSync('/bin/sh', ['-c', `docker() { printf '%s\\0' "$@"; }\n${script}`], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`sh could not run the script: ${r.stderr}`);
  const words = r.stdout.split('\0').slice(0, -1);
  const after = words.indexOf(image) + 1;
  return words.slice(words[after] === '/usr/local/bin/etcd' ? after + 1 : after);
}

/** Each member's bootstrap error (or undefined) from its rendered files. */
function verdicts(plan: ClusterPlan): Record<string, string | undefined> {
  const etcd = plan.etcd;
  if (!etcd) throw new Error('no etcd in this plan');
  const out: Artifact[] = renderEtcd(plan, etcd.tls ? fakePki(plan) : {});
  return Object.fromEntries(
    etcd.members.map((m) => {
      const options =
        etcd.runtime === 'docker'
          ? etcdOptionsFromFlags(
              dockerRunWords(
                commandsOf(out, m.host).find((c) => c.includes('docker run')) ?? '',
                etcd.image ?? '',
              ),
            )
          : etcdOptionsFromEnv(sourced(contentOf(out, m.host, ETCD_CONF)));
      return [m.host, etcdBootstrapError(options)];
    }),
  );
}

const allStart = (plan: ClusterPlan) =>
  Object.fromEntries((plan.etcd?.members ?? []).map((m) => [m.host, undefined]));

const withEtcd = exampleNames().filter(
  (name) => /^etcd:/m.test(exampleText(name)) || /"etcd":/.test(exampleText(name)),
);

test('the model refuses what etcd 3.4 refused: legacy peer URLs missing from initial-cluster', (t) => {
  t.is(
    etcdBootstrapError({
      name: 'm1',
      'initial-advertise-peer-urls': 'http://10.0.0.1:2380,http://10.0.0.1:7001',
      'initial-cluster': 'm1=http://10.0.0.1:2380,m2=http://10.0.0.2:2380',
      'initial-cluster-state': 'new',
    }),
    '--initial-advertise-peer-urls has http://10.0.0.1:7001 but missing from --initial-cluster=m1=http://10.0.0.1:2380,m1=http://10.0.0.1:7001',
  );
  t.regex(
    etcdBootstrapError({
      name: 'm3',
      'initial-advertise-peer-urls': 'http://10.0.0.3:2380',
      'initial-cluster': 'm1=http://10.0.0.1:2380',
    }) ?? '',
    /couldn't find local name "m3"/,
  );
  t.regex(
    etcdBootstrapError({
      name: 'm1',
      'initial-advertise-peer-urls': 'http://10.0.0.1:2380',
      'initial-cluster': 'm1=http://10.0.0.1:2380,m2=http://10.0.0.1:2380',
    }) ?? '',
    /has duplicate url/,
  );
  t.regex(
    etcdBootstrapError({
      name: 'm1',
      'initial-advertise-peer-urls': '10.0.0.1:2380',
      'initial-cluster': 'm1=10.0.0.1:2380',
    }) ?? '',
    /cannot parse URL|scheme/,
  );
});

test('every example with etcd renders members that pass etcd’s bootstrap check', (t) => {
  t.true(withEtcd.length >= 3, withEtcd.join(' '));
  for (const name of withEtcd) {
    const plan = planOf(exampleText(name), name);
    t.deepEqual(verdicts(plan), allStart(plan), name);
  }
});

test('… and so does each of them with legacyPorts turned the other way', (t) => {
  for (const name of withEtcd) {
    const spec = loadSpec(exampleText(name), name).spec;
    if (!spec?.etcd) throw new Error(`${name} has no etcd section`);
    const legacyPorts = !spec.etcd.legacyPorts;
    const flipped = { ...spec, etcd: { ...spec.etcd, legacyPorts } };
    if (spec.etcd.clientPort === 4001 || spec.etcd.peerPort === 7001) {
      // the guide's own ports are the legacy ones: the port check refuses serving them twice
      const report = loadSpec(JSON.stringify(flipped), name);
      t.deepEqual([...new Set(report.findings.map((f) => f.check))], ['port-clash'], name);
      continue;
    }
    const plan = planOf(flipped);
    t.deepEqual(verdicts(plan), allStart(plan), `${name} with legacyPorts ${legacyPorts}`);
  }
});

test('2.x and 3.x, package and docker, legacy ports on and off, peer TLS on and off: every member bootstraps', (t) => {
  let cases = 0;
  for (const version of ['2.2.1', '3.0.17', '3.1.0', '3.4.23', '3.5.17'])
    for (const runtime of ['package', 'docker'])
      for (const legacyPorts of [false, true])
        for (const peer of [false, true]) {
          const section = {
            version,
            runtime,
            legacyPorts,
            ...(peer ? { tls: { peer, pkiDir: 'pki' } } : {}),
          };
          const plan = planOf(ensemble({ name: 'boot', component: 'etcd', prefix: 'e' }, section));
          t.deepEqual(verdicts(plan), allStart(plan), JSON.stringify(section));
          cases++;
        }
  t.is(cases, 40);
});

test('initial-cluster names every advertised peer URL of each member, in member order', (t) => {
  const plan = planOf(
    ensemble({ name: 'boot', component: 'etcd', prefix: 'e' }, { version: '2.2.1', legacyPorts: true }),
  );
  t.is(
    plan.etcd?.initialCluster,
    [1, 2, 3].map((i) => `e${i}=http://10.0.0.${i}:2380,e${i}=http://10.0.0.${i}:7001`).join(','),
  );
});
