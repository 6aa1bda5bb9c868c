import test from 'ava';
import { parseEnvironmentFile, parseUnit } from '../src/service-runner.js';
import { splitWords } from '../src/systemd-exec.js';

// The runner reads units as systemd does (systemd.service(5) "Command lines", systemd.exec(5)
// EnvironmentFile=), so that a daemon started here gets the argv and environment it gets on a host.

test('ExecStart= words: blanks split, quotes group with C escapes, $$ and %% are literal', (t) => {
  t.deepEqual(splitWords('/usr/bin/java -cp "/a b:/c" -Dx=\'y z\' a\\ b', {}), [
    '/usr/bin/java',
    '-cp',
    '/a b:/c',
    '-Dx=y z',
    'a b',
  ]);
  t.deepEqual(splitWords('echo $$HOME 100%% "tab\\there"', {}), ['echo', '$HOME', '100%', 'tab\there']);
});

// biome-ignore lint/suspicious/noTemplateCurlyInString: systemd's own ${NAME} syntax
test('ExecStart= variables: ${NAME} inside a word, $NAME alone splits at blanks, unset is empty', (t) => {
  const env = { CLASSPATH: '/etc/zookeeper/conf:/usr/share/java/zookeeper.jar', OPTS: '-Xmx1g  -Da=b' };
  // biome-ignore lint/suspicious/noTemplateCurlyInString: systemd's own ${NAME} syntax
  t.deepEqual(splitWords('java -cp ${CLASSPATH} $OPTS x${UNSET}y', env), [
    'java',
    '-cp',
    '/etc/zookeeper/conf:/usr/share/java/zookeeper.jar',
    '-Xmx1g',
    '-Da=b',
    'xy',
  ]);
});

test('EnvironmentFile=: comments, quotes, blanks around the value, continuation lines', (t) => {
  t.deepEqual(
    parseEnvironmentFile(
      '# comment\n; also\nETCD_NAME=one\nA = " spaced "\nB=\'single\'\nC=long\\\nvalue\n\nJAVA_OPTS=""\n',
    ),
    { ETCD_NAME: 'one', A: ' spaced ', B: 'single', C: 'longvalue', JAVA_OPTS: '' },
  );
});

test('a unit: the [Service] settings, its environment files read, an optional one missing', (t) => {
  const unit = parseUnit(
    [
      '[Unit]',
      'ExecStart=/wrong',
      '[Service]',
      'User=etcd',
      'Environment=A=1 "B=two words"',
      'EnvironmentFile=/etc/etcd/etcd.conf',
      'EnvironmentFile=-/etc/default/missing',
      'ExecStartPre=-/bin/mkdir -p /var/lib/x',
      'ExecStart=/usr/bin/etcd \\',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: systemd's own ${NAME} syntax
      '  --name ${ETCD_NAME}',
    ].join('\n'),
    (path) => (path === '/etc/etcd/etcd.conf' ? 'ETCD_NAME=e1\n' : undefined),
  );
  t.deepEqual(unit.execStart, ['/usr/bin/etcd', '--name', 'e1']);
  t.deepEqual(unit.execStartPre, [['/bin/mkdir', '-p', '/var/lib/x']]);
  t.deepEqual(unit.environment, { A: '1', B: 'two words', ETCD_NAME: 'e1' });
  t.is(unit.user, 'etcd');
  t.throws(() => parseUnit('[Service]\nEnvironmentFile=/nope\nExecStart=/x', () => undefined), {
    message: /EnvironmentFile=\/nope: no such file/,
  });
});
