import { ensemble } from '@k8sm/testkit-fixtures';
import test from 'ava';
import { IMAGE_PATTERN, PATH_PATTERN, specJsonSchema } from '../src/index.js';
import { host, load, type SpecIn, threeMasters } from './helpers.js';

// What an attacker puts in a spec string that reaches `install -d`, `docker -v`, zoo.cfg or Jinja.
const PAYLOADS = [
  '$(touch /tmp/k8sm-pwned)',
  '`touch /tmp/k8sm-pwned`',
  '; touch /tmp/k8sm-pwned',
  '| touch /tmp/k8sm-pwned',
  '&& touch /tmp/k8sm-pwned',
  '\nserver.9=10.6.6.6:2888:3888\nskipACL=yes',
  '{{ lookup("pipe", "id") }}',
  "'",
  '"',
  ' ',
  ':/etc',
  '/../../etc',
  '\u0000',
];

const set = (spec: SpecIn, path: (string | number)[], value: unknown): SpecIn => {
  let node = spec as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string | number, unknown>;
  }
  node[path.at(-1) as string] = value;
  return spec;
};

const etcdSpec = () => ensemble({ name: 'e', component: 'etcd', prefix: 'etcd' }, { version: '3.4.23' });
const PATH_FIELDS: [name: string, spec: () => SpecIn, path: (string | number)[]][] = [
  ['zookeeper.dataDir', threeMasters, ['zookeeper', 'dataDir']],
  ['zookeeper.dataLogDir', threeMasters, ['zookeeper', 'dataLogDir']],
  ['a host’s zookeeper.dataDir', threeMasters, ['hosts', 1, 'zookeeper', 'dataDir']],
  ['mesos.workDir', threeMasters, ['mesos', 'workDir']],
  ['mesos.logDir', threeMasters, ['mesos', 'logDir']],
  ['mesos.agent.workDir', threeMasters, ['mesos', 'agent', 'workDir']],
  ['etcd.dataDir', etcdSpec, ['etcd', 'dataDir']],
];

for (const [name, spec, path] of PATH_FIELDS)
  test(`${name}: every shell, config-line and Jinja payload is refused at its JSON path`, (t) => {
    for (const payload of PAYLOADS) {
      const report = load(set(spec(), path, `/var/lib/x${payload}`));
      const f = report.findings.find((x) => x.path.join('.') === path.join('.'));
      t.is(f?.severity, 'error', `${JSON.stringify(payload)}: ${JSON.stringify(report.findings)}`);
      t.is(f?.check, 'schema');
      t.falsy(report.plan, JSON.stringify(payload));
    }
  });

test('a path written with a trailing or doubled slash means the normalised path', (t) => {
  const spec = threeMasters();
  set(spec, ['zookeeper', 'dataDir'], '/var/lib/zookeeper/');
  host(spec, 1).zookeeper = { dataDir: '/data//zk//' };
  const plan = load(spec).plan;
  t.deepEqual(
    plan?.zookeeper?.members.map((m) => m.dataDir),
    ['/var/lib/zookeeper', '/data/zk', '/var/lib/zookeeper'],
  );
});

test('each refused path says what is wrong with it', (t) => {
  const message = (dir: string) =>
    load(threeMasters({ zookeeper: { version: '3.4.6', dataDir: dir } })).findings[0]?.message;
  t.is(message('var/lib/zk'), 'write an absolute path, starting with /');
  t.regex(message('/var/lib/../zk') ?? '', /"\." or "\.\." segments/);
  t.regex(message('/var/lib/zk\nskipACL=yes') ?? '', /spaces, newlines or other control characters/);
  t.regex(message('/var/lib/zk$(id)') ?? '', /^"\$" is not allowed in a path/);
});

const DIGEST = `sha256:${'a'.repeat(64)}`;
test('docker images follow the distribution reference grammar', (t) => {
  const accepted = [
    'mesoscloud/zookeeper:3.4.6',
    'zhpooer/etcd:v2.2.1',
    'registry.k8s.io/pause:3.9',
    'localhost:5000/team/zk_server__x:1.0-rc.1',
    `quay.io/coreos/etcd@${DIGEST}`,
    `quay.io/coreos/etcd:v3.4.23@${DIGEST}`,
  ];
  const refused = [
    'zhpooer/etcd:v2.2.1 $(id)',
    'zhpooer/etcd:v2.2.1;id',
    'mesoscloud/ZooKeeper:3.4.6',
    'mesoscloud/zookeeper:3.4.6\n--privileged',
    'mesoscloud/zookeeper:-bad',
    '-v /:/host alpine',
    '',
  ];
  for (const image of accepted) {
    t.regex(image, IMAGE_PATTERN);
    const spec = threeMasters({ zookeeper: { version: '3.4.6', runtime: 'docker', image } });
    t.truthy(load(spec).plan, image);
  }
  for (const image of refused) {
    t.notRegex(image, IMAGE_PATTERN);
    const report = load(threeMasters({ zookeeper: { version: '3.4.6', runtime: 'docker', image } }));
    const f = report.findings.find((x) => x.path.join('.') === 'zookeeper.image');
    t.regex(f?.message ?? '', /is not a Docker image reference/, JSON.stringify(image));
  }
  for (const path of [
    ['mesos', 'image'],
    ['mesos', 'agent', 'image'],
    ['marathon', 'image'],
    ['haproxy', 'image'],
  ]) {
    const spec = threeMasters();
    set(spec, path, 'x $(id)');
    t.true(
      load(spec).findings.some((f) => f.path.join('.') === path.join('.')),
      path.join('.'),
    );
  }
});

test('the JSON Schema carries the same path and image patterns, so editors flag them too', (t) => {
  const text = JSON.stringify(specJsonSchema());
  t.true(text.includes(JSON.stringify(PATH_PATTERN.source)));
  t.true(text.includes(JSON.stringify(IMAGE_PATTERN.source)));
  // an editor's validator compiles the pattern as ECMA-262, as here
  const editor = new RegExp(PATH_PATTERN.source);
  t.true(editor.test('/var/lib/zookeeper/'));
  t.false(editor.test('/var/lib/zk;id'));
});
