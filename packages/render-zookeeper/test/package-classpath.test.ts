import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZOOKEEPER_PACKAGE } from '@k8sm/spec';
import { contentOf, ensemble, execStartOf, planOf, systemdExecArgv } from '@k8sm/testkit';
import test from 'ava';
import { renderZookeeper } from '../src/index.js';

// A ZooKeeper 3.4 host from Debian's/Ubuntu's zookeeper packages, modelled from the packaging
// (Debian pkg-java zookeeper 3.4.5+dfsg, mirrored at github:alienth/zookeeper 31a1d2ca):
// - debian/conf_example/environment, installed as /etc/zookeeper/conf/environment: the lines below
//   (CLASSPATH gained netty and slf4j in 50c36a07, "Add missing jars to zookeeper CLASSPATH for
//   3.4.5 release"); JAVA points at a stub that prints its argv instead of /usr/bin/java;
// - debian/libzookeeper-java.classpath: the Class-Path javahelper's jh_classpath writes into
//   zookeeper.jar's manifest (upstream's ant `jar` target writes none, build.xml);
// - QuorumPeerMain's first act is slf4j's LoggerFactory.getLogger; log4j.properties (on the class
//   path through /etc/zookeeper/conf) sets log4j.rootLogger=${zookeeper.root.logger} and defines CONSOLE.
const ENVIRONMENT_3_4 = `NAME=zookeeper
ZOOCFGDIR=/etc/$NAME/conf
CLASSPATH="$ZOOCFGDIR:/usr/share/java/jline.jar:/usr/share/java/log4j-1.2.jar:/usr/share/java/xercesImpl.jar:/usr/share/java/xmlParserAPIs.jar:/usr/share/java/netty.jar:/usr/share/java/slf4j-api.jar:/usr/share/java/slf4j-log4j12.jar:/usr/share/java/zookeeper.jar"
ZOOCFG="$ZOOCFGDIR/zoo.cfg"
ZOO_LOG_DIR=/var/log/$NAME
USER=$NAME
GROUP=$NAME
JAVA=/usr/bin/java
ZOOMAIN="org.apache.zookeeper.server.quorum.QuorumPeerMain"
ZOO_LOG4J_PROP="INFO,ROLLINGFILE"
JMXLOCALONLY=false
JAVA_OPTS=""
`;
const MANIFEST_CLASS_PATH_3_4: Readonly<Record<string, readonly string[]>> = {
  '/usr/share/java/zookeeper.jar': ['jline.jar', 'log4j-1.2.jar', 'xercesImpl.jar', 'xmlParserAPIs.jar'],
};
/** What the server needs on its class path before it can log its first line, and where each is. */
const NEEDED_AT_START: Readonly<Record<string, string>> = {
  'org.apache.zookeeper.server.quorum.QuorumPeerMain': '/usr/share/java/zookeeper.jar',
  'org.slf4j.LoggerFactory': '/usr/share/java/slf4j-api.jar',
  'org.slf4j.impl.StaticLoggerBinder (else the NOP logger)': '/usr/share/java/slf4j-log4j12.jar',
  'org.apache.log4j.Logger': '/usr/share/java/log4j-1.2.jar',
  'log4j.properties': '/etc/zookeeper/conf',
};

/** The JVM's class path: -cp entries, then each jar's manifest Class-Path, relative to the jar. */
function resolvedClassPath(cp: string): string[] {
  return cp
    .split(':')
    .flatMap((entry) => [
      entry,
      ...(MANIFEST_CLASS_PATH_3_4[entry] ?? []).map((jar) => join(entry, '..', jar)),
    ]);
}

const missingAtStart = (cp: string) => {
  const path = resolvedClassPath(cp);
  return Object.entries(NEEDED_AT_START)
    .filter(([, where]) => !path.includes(where))
    .map(([what]) => what);
};

const scratch = mkdtempSync(join(tmpdir(), 'k8sm-zk-classpath-'));
test.after.always(() => rmSync(scratch, { recursive: true, force: true }));

/** Run the rendered ExecStart, split as systemd does, with real sh over the 3.4 environment file. */
function javaArgvOn34(version: string): string[] {
  const stub = join(scratch, 'java');
  writeFileSync(stub, '#!/bin/sh\nprintf \'%s\\0\' "$@"\n');
  chmodSync(stub, 0o755);
  const environment = join(scratch, 'environment');
  writeFileSync(environment, `${ENVIRONMENT_3_4}JAVA=${stub}\n`);
  const plan = planOf(ensemble({ name: 'zk34', component: 'zookeeper', prefix: 'zk' }, { version }));
  const unit = contentOf(renderZookeeper(plan), 'zk1', '/etc/systemd/system/zookeeper.service');
  const [command = '', ...args] = systemdExecArgv(execStartOf(unit)).map((w) =>
    w.replace(ZOOKEEPER_PACKAGE.environmentFile, environment),
  );
  const r = spawnSync(command, args, { encoding: 'utf8', env: {} });
  if (r.status !== 0) throw new Error(`ExecStart failed: ${r.stderr}`);
  return r.stdout.split('\0').slice(0, -1);
}

test('on a 3.4 package host the unit runs java with the package’s CLASSPATH, which holds all the server needs to start and log', (t) => {
  for (const version of ['3.4.5', '3.4.6', '3.4.13']) {
    const argv = javaArgvOn34(version);
    const cp = argv[argv.indexOf('-cp') + 1] ?? '';
    t.true(cp.startsWith('/etc/zookeeper/conf:/usr/share/java/jline.jar:'), `${version}: ${cp}`);
    t.deepEqual(missingAtStart(cp), [], `${version}: ${cp}`);
    t.true(argv.includes('-Dzookeeper.root.logger=INFO,CONSOLE'), argv.join(' '));
    t.deepEqual(argv.slice(-2), [
      'org.apache.zookeeper.server.quorum.QuorumPeerMain',
      '/etc/zookeeper/conf/zoo.cfg',
    ]);
  }
});

test('the class path the unit used before lacks slf4j on a 3.4 package host: QuorumPeerMain cannot load', (t) => {
  t.deepEqual(missingAtStart('/etc/zookeeper/conf:/usr/share/java/zookeeper.jar'), [
    'org.slf4j.LoggerFactory',
    'org.slf4j.impl.StaticLoggerBinder (else the NOP logger)',
  ]);
});

test('3.5 and later add the slf4j-log4j12 binding and log4j 1.2 to the package’s CLASSPATH', (t) => {
  const plan = planOf(ensemble({ name: 'zk38', component: 'zookeeper', prefix: 'zk' }, { version: '3.8.0' }));
  t.deepEqual(plan.zookeeper?.loggingJars, [
    '/usr/share/java/slf4j-log4j12.jar',
    '/usr/share/java/log4j-1.2.jar',
  ]);
  const unit = contentOf(renderZookeeper(plan), 'zk1', '/etc/systemd/system/zookeeper.service');
  const words = systemdExecArgv(execStartOf(unit));
  t.is(words[0], '/bin/sh');
  t.regex(
    words[2] ?? '',
    /^\. \/etc\/zookeeper\/conf\/environment && exec "\$JAVA" -cp "\$CLASSPATH":\/usr\/share\/java\/slf4j-log4j12\.jar:\/usr\/share\/java\/log4j-1\.2\.jar /,
  );
});
