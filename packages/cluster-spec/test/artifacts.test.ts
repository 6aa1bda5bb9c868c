import test from 'ava';
import {
  type Artifact,
  type ArtifactComponent,
  ArtifactConflictError,
  ArtifactPathError,
  type CommandArtifact,
  composeArtifacts,
  type FileArtifact,
  sh,
} from '../src/index.js';

const file = (
  host: string | null,
  path: string,
  component: ArtifactComponent = 'zookeeper',
): FileArtifact => ({
  kind: 'file',
  host,
  path,
  mode: 0o644,
  content: `${component} ${path}\n`,
  component,
});

const command = (
  host: string,
  order: number,
  text: string,
  component: ArtifactComponent = 'mesos',
): CommandArtifact => ({
  kind: 'command',
  host,
  order,
  command: sh`${text.split(' ')}`,
  component,
});

test('two renderers writing one path on one host is an error naming both', (t) => {
  const error = t.throws(
    () =>
      composeArtifacts([[file('m1', '/etc/mesos/zk', 'zookeeper')], [file('m1', '/etc/mesos/zk', 'mesos')]]),
    { instanceOf: ArtifactConflictError },
  );
  t.is(error?.code, 'K8SM_ARTIFACT_CONFLICT');
  t.regex(
    error?.message ?? '',
    /^\/etc\/mesos\/zk on host m1 is produced twice: by the zookeeper renderer and by the mesos renderer/,
  );
});

test('one renderer producing a file twice is a conflict too', (t) => {
  t.throws(() => composeArtifacts([[file('m1', '/etc/x'), file('m1', '/etc/x')]]), {
    instanceOf: ArtifactConflictError,
  });
});

test('two cluster files at one path conflict', (t) => {
  const error = t.throws(
    () => composeArtifacts([[file(null, '/plan.json', 'k8sm')], [file(null, '/plan.json', 'marathon')]]),
    {
      instanceOf: ArtifactConflictError,
    },
  );
  t.regex(error?.message ?? '', /^cluster file \/plan\.json .*k8sm.*marathon/);
});

test('the same path on two hosts, or on a host and the cluster, is fine', (t) => {
  const composed = composeArtifacts([
    [file('m1', '/etc/zookeeper/conf/zoo.cfg'), file('m2', '/etc/zookeeper/conf/zoo.cfg')],
    [file(null, '/etc/zookeeper/conf/zoo.cfg', 'k8sm')],
  ]);
  t.deepEqual(
    composed.files.map((f) => [f.host, f.path, f.component]),
    [
      [null, '/etc/zookeeper/conf/zoo.cfg', 'k8sm'],
      ['m1', '/etc/zookeeper/conf/zoo.cfg', 'zookeeper'],
      ['m2', '/etc/zookeeper/conf/zoo.cfg', 'zookeeper'],
    ],
  );
});

test('files come out sorted by host (cluster files first), then path', (t) => {
  const composed = composeArtifacts([
    [file('m2', '/etc/b'), file('m1', '/var/z'), file(null, '/plan.json', 'k8sm')],
    [file('m1', '/etc/a', 'mesos'), file('a1', '/etc/z', 'mesos'), file('m2', '/etc/a', 'mesos')],
  ]);
  t.deepEqual(
    composed.files.map((f) => `${f.host ?? '(cluster)'}:${f.path}`),
    ['(cluster):/plan.json', 'a1:/etc/z', 'm1:/etc/a', 'm1:/var/z', 'm2:/etc/a', 'm2:/etc/b'],
  );
  t.is(composed.files[2]?.content, 'mesos /etc/a\n', 'files are passed through unchanged');
});

test('commands come out sorted by host, then order', (t) => {
  const composed = composeArtifacts([
    [command('m2', 10, 'm2 first'), command('m1', 30, 'm1 third')],
    [
      command('m1', 10, 'm1 first', 'zookeeper'),
      command('a1', 50, 'a1 only'),
      command('m1', 20, 'm1 second'),
    ],
  ]);
  t.deepEqual(
    composed.commands.map((c) => c.command),
    ['a1 only', 'm1 first', 'm1 second', 'm1 third', 'm2 first'],
  );
  t.deepEqual(composed.files, []);
});

test('commands of one order are ordered by component, then text, whatever the input order', (t) => {
  const inputs: Artifact[] = [
    command('m1', 10, 'b', 'zookeeper'),
    command('m1', 10, 'z', 'mesos'),
    command('m1', 10, 'a', 'zookeeper'),
  ];
  const expected = ['z', 'a', 'b'];
  t.deepEqual(
    composeArtifacts([inputs]).commands.map((c) => c.command),
    expected,
  );
  t.deepEqual(
    composeArtifacts([[...inputs].reverse()]).commands.map((c) => c.command),
    expected,
  );
});

test('relative or unnormalised paths are refused', (t) => {
  for (const path of ['etc/x', './etc/x', '/etc/../x', '/../etc/x', '/etc/./x', '/etc//x', '/etc/x/', '/'])
    t.throws(
      () => composeArtifacts([[file('m1', path)]]),
      { instanceOf: ArtifactPathError, message: /absolute and normalised/ },
      path,
    );
  t.notThrows(
    () => composeArtifacts([[file('m1', '/etc/x..y/..z')]]),
    'dots inside a name are no ".." segment',
  );
});
