import { readdirSync, readFileSync } from 'node:fs';
import test from 'ava';
import {
  ANSIBLE_STAGES,
  COMPONENT_OF_ROLE,
  COMPONENT_REGISTRY,
  COMPONENTS,
  loadSpec,
  probeTargetsOf,
  ROLES,
} from '../src/index.js';

const entries = COMPONENTS.map((c) => [c, COMPONENT_REGISTRY[c]] as const);

test('the components’ roles, in COMPONENTS order, are ROLES: each role belongs to one component', (t) => {
  t.deepEqual(
    entries.flatMap(([, e]) => e.roles),
    [...ROLES],
  );
  t.is(COMPONENT_OF_ROLE['mesos-agent'], 'mesos');
  t.is(COMPONENT_OF_ROLE['k8s-node'], 'kubernetes');
});

test('every role has exactly one Ansible play, numbered 1..n without gaps', (t) => {
  for (const [c, e] of entries)
    t.deepEqual(
      e.ansible.map((s) => s.role),
      [...e.roles],
      `${c}: one stage per role`,
    );
  t.deepEqual(
    ANSIBLE_STAGES.map((s) => s.play),
    ROLES.map((_, i) => i + 1),
  );
});

test('quorum members are changed one at a time before any batch of agents or nodes', (t) => {
  const firstBatch = ANSIBLE_STAGES.findIndex((s) => s.serial === 'batch');
  t.true(firstBatch > 0);
  t.true(ANSIBLE_STAGES.slice(firstBatch).every((s) => s.serial === 'batch'));
  t.deepEqual(
    ANSIBLE_STAGES.filter((s) => s.serial === 'batch').map((s) => s.role),
    ['mesos-agent', 'k8s-node'],
  );
});

test('step-order bands do not overlap and rise in COMPONENTS order', (t) => {
  const bands = entries.map(([, e]) => e.steps);
  for (const b of bands) t.true(b.from <= b.to);
  for (let i = 1; i < bands.length; i++)
    t.true(
      (bands[i - 1]?.to ?? 0) < (bands[i]?.from ?? 0),
      `${COMPONENTS[i - 1]} ends before ${COMPONENTS[i]}`,
    );
});

/** Every command of the CLI's golden outputs (one per example), with its component and order. */
function goldenCommands(): { component: string; order: number; command: string }[] {
  const golden = new URL('../../../../apps/cli/test/golden/', import.meta.url);
  return readdirSync(golden).flatMap(
    (example) => JSON.parse(readFileSync(new URL(`${example}/manifest.json`, golden), 'utf8')).commands,
  );
}

test('every rendered step lies in its component’s step-order band', (t) => {
  const commands = goldenCommands();
  t.true(commands.length > 100);
  for (const c of commands) {
    const band = COMPONENT_REGISTRY[c.component as (typeof COMPONENTS)[number]]?.steps;
    t.true(
      band !== undefined && band.from <= c.order && c.order <= band.to,
      `${c.component} step ${c.order}`,
    );
  }
});

test('every service a component’s steps start is one of its services', (t) => {
  const started =
    /systemctl (?:enable|restart|reload-or-restart) (.+)|--name ([a-z0-9-]+)|service ([a-z-]+) restart|^start ([a-z0-9-]+)$/m;
  let units = 0;
  for (const c of goldenCommands()) {
    const m = started.exec(c.command);
    if (!m) continue;
    const names = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').split(' ').map((u) => u.replace(/\.service$/, ''));
    const services: readonly string[] =
      COMPONENT_REGISTRY[c.component as (typeof COMPONENTS)[number]].services;
    for (const name of names) {
      units++;
      t.true(services.includes(name), `${c.component} starts ${name}`);
    }
  }
  t.true(units > 20);
});

test('probe targets come from each component’s entry, quorums first, a system only when it has members', (t) => {
  const report = loadSpec(
    JSON.stringify({
      name: 'probe',
      hosts: [1, 2, 3].map((i) => ({
        name: `m${i}`,
        address: `10.0.0.${i}`,
        roles: ['zookeeper', 'mesos-master', 'marathon', 'etcd', 'k8s-master', 'haproxy'],
        ...(i === 2 ? { zookeeper: { clientPortAddress: '10.0.0.2', clientPort: 2182 } } : {}),
      })),
      zookeeper: { version: '3.4.14' },
      mesos: { version: '1.11.0' },
      marathon: { version: '1.11.24', httpPort: 8090 },
      etcd: { version: '3.5.16' },
      kubernetes: { version: '1.30.8', flavor: 'standalone', pkiDir: 'pki' },
      haproxy: { version: '2.6', frontendPort: 7443 },
    }),
    'probe.json',
  );
  if (!report.plan) throw new Error(report.findings.map((f) => f.message).join('\n'));
  const at = (port: number, scheme = 'http') => [1, 2, 3].map((i) => `${scheme}://10.0.0.${i}:${port}`);
  t.deepEqual(probeTargetsOf(report.plan), [
    { system: 'zookeeper', members: ['10.0.0.1:2181', '10.0.0.2:2182', '10.0.0.3:2181'] },
    { system: 'etcd', members: at(2379) },
    { system: 'mesos', members: at(5050) },
    { system: 'marathon', members: at(8090) },
    {
      system: 'apiserver',
      members: at(6443, 'https'),
      // Node,RBAC admit an anonymous /readyz: the cluster CA only, no client pair
      credentials: { field: 'kubernetes.pkiDir', pkiDir: 'pki', ca: 'kubernetes/ca.crt' },
    },
  ]);
  const { zookeeper: _zk, mesos: _mesos, ...rest } = report.plan;
  t.deepEqual(
    probeTargetsOf(rest).map((e) => e.system),
    ['etcd', 'marathon', 'apiserver'],
  );
});

test('--spec presents the spec PKI: etcd with client TLS its CA and health-check pair; apiservers under AlwaysAllow theirs', (t) => {
  const plan = (etcd: object, kubernetes: object) => {
    const report = loadSpec(
      JSON.stringify({
        name: 'tls',
        hosts: [1, 2, 3].map((i) => ({
          name: `m${i}`,
          address: `10.0.0.${i}`,
          roles: ['etcd', 'k8s-master'],
        })),
        etcd: { version: '3.5.16', ...etcd },
        kubernetes: { version: '1.30.8', flavor: 'standalone', pkiDir: 'kpki', ...kubernetes },
      }),
      'tls.json',
    );
    if (!report.plan) throw new Error(report.findings.map((f) => f.message).join('\n'));
    return Object.fromEntries(probeTargetsOf(report.plan).map((x) => [x.system, x.credentials]));
  };
  const on = plan({ tls: { client: true, peer: true, pkiDir: 'epki' } }, { authorization: ['AlwaysAllow'] });
  t.deepEqual(on.etcd, {
    field: 'etcd.tls.pkiDir',
    pkiDir: 'epki',
    ca: 'etcd/ca.crt',
    cert: 'etcd/healthcheck-client.crt',
    key: 'etcd/healthcheck-client.key',
  });
  // AlwaysAllow turns anonymous requests off: a probe without the pair would get 401
  t.deepEqual(on.apiserver, {
    field: 'kubernetes.pkiDir',
    pkiDir: 'kpki',
    ca: 'kubernetes/ca.crt',
    cert: 'kubernetes/apiserver-healthcheck-client.crt',
    key: 'kubernetes/apiserver-healthcheck-client.key',
  });
  const off = plan({}, {});
  t.is(off.etcd, undefined);
  t.is(off.apiserver?.cert, undefined);
});
