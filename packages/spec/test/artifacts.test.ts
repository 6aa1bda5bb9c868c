import test from 'ava';
import { type Artifact, ArtifactConflictError, ArtifactPathError, composeArtifacts } from '../src/index.js';

const file = (
  host: string | null,
  path: string,
  component: 'zookeeper' | 'mesos' = 'zookeeper',
): Artifact => ({
  kind: 'file',
  host,
  path,
  mode: 0o644,
  content: 'x\n',
  component,
});

test('two renderers writing one host path is an error naming both', (t) => {
  const error = t.throws(() => composeArtifacts([[file('m1', '/etc/x')], [file('m1', '/etc/x', 'mesos')]]), {
    instanceOf: ArtifactConflictError,
  });
  t.regex(error?.message ?? '', /\/etc\/x on host m1 .*zookeeper.*mesos/);
});

test('the same path on two hosts is fine, and output is sorted', (t) => {
  const composed = composeArtifacts([
    [file('m2', '/etc/b'), file('m1', '/etc/z'), file(null, '/plan.json'), file('m1', '/etc/a')],
    [
      { kind: 'command', host: 'm1', order: 20, command: 'b', component: 'mesos' },
      { kind: 'command', host: 'm1', order: 10, command: 'a', component: 'zookeeper' },
    ],
  ]);
  t.deepEqual(
    composed.files.map((f) => `${f.host}:${f.path}`),
    ['null:/plan.json', 'm1:/etc/a', 'm1:/etc/z', 'm2:/etc/b'],
  );
  t.deepEqual(
    composed.commands.map((c) => c.command),
    ['a', 'b'],
  );
});

test('relative or unnormalised paths are refused', (t) => {
  for (const path of ['etc/x', '/etc/../x', '/etc//x', '/etc/x/'])
    t.throws(() => composeArtifacts([[file('m1', path)]]), { instanceOf: ArtifactPathError }, path);
});
