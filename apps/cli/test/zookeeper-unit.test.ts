import { readFileSync } from 'node:fs';
import test from 'ava';
import {
  fourLetterWord,
  freeSubnet,
  killAll,
  startZookeeper,
  waitForModes,
  ZOOKEEPER_ENVIRONMENT,
  zookeeperAvailable,
} from './daemons.js';
import { removeTempDirs } from './helpers.js';

// The rendered zookeeper.service's ExecStart, split into argv as systemd does, run against Debian
// 12's real zookeeper package: it sources the package's /etc/zookeeper/conf/environment for its
// CLASSPATH, as the package's own init script does. In CI a missing package fails the test.
const daemonTest = zookeeperAvailable || process.env.CI === 'true' ? test.serial : test.skip;

test.after.always(() => {
  killAll();
  removeTempDirs();
});

daemonTest(
  'the unit’s ExecStart starts Debian 12’s ZooKeeper from the package’s CLASSPATH: members answer ruok and srvr, and log to stdout (the journal)',
  async (t) => {
    t.timeout(120_000);
    t.true(zookeeperAvailable, `Debian's zookeeper package is missing (${ZOOKEEPER_ENVIRONMENT})`);
    t.regex(readFileSync(ZOOKEEPER_ENVIRONMENT, 'utf8'), /^CLASSPATH=/m, 'the package sets CLASSPATH');
    const subnet = await freeSubnet([73, 74, 75, 76, 77, 78], [2181, 2888, 3888, 8080]);
    const zk = await startZookeeper(t, 3, subnet);
    // a leader is elected before its followers finish syncing (srvr says "not serving" until then):
    // wait, within 60 s, for the whole ensemble, not for the first leader
    const modes = await waitForModes(zk.hosts, (m) => [...m].sort().join() === 'follower,follower,leader');
    t.deepEqual([...modes].sort(), ['follower', 'follower', 'leader'], modes.join(' '));
    for (const host of zk.hosts) {
      t.is(await fourLetterWord(host, 'ruok'), 'imok', host);
      t.regex(await fourLetterWord(host, 'srvr'), /^Zookeeper version: 3\.8/m, host);
    }
    for (const i of zk.names.keys()) {
      const output = zk.output(i);
      t.notRegex(output, /NOP\) logger/, `${zk.names[i]}: slf4j found a binding`);
      t.regex(output, / - INFO {2}\[.*QuorumPeerConfig@\d+\] - Reading configuration from: /, zk.names[i]);
      t.regex(output, / - INFO {2}\[.*\] - (LEADING|FOLLOWING)/, `${zk.names[i]}: its role is in the log`);
    }
    for (const child of zk.members) child.kill('SIGKILL');
  },
);
