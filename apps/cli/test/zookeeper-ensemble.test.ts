import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import test from 'ava';
import { removeTempDirs, render, tempDir, writeSpec } from './helpers.js';

// A real three-member ensemble from Debian's zookeeper package, started from the files that
// k8sm-render wrote, on three loopback "hosts". In CI a missing package fails the test.
const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
const available = existsSync(ZOOKEEPER_JAR) && existsSync('/usr/bin/java');
const daemonTest = available || process.env.CI === 'true' ? test.serial : test.skip;

const HOSTS = ['127.0.40.1', '127.0.40.2', '127.0.40.3'];
const children: ChildProcess[] = [];

test.after.always(() => {
  for (const child of children) child.kill('SIGKILL');
  removeTempDirs();
});

/** Send a four-letter word and read the reply to EOF (the server closes the socket), bounded. */
function fourLetterWord(host: string, word: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port: 2181 });
    let reply = '';
    const done = (text: string) => {
      socket.destroy();
      resolve(text);
    };
    socket.setTimeout(timeoutMs, () => done(`timeout after ${timeoutMs} ms`));
    socket.on('connect', () => socket.write(word));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.length > 65536) done(reply);
    });
    socket.on('end', () => done(reply));
    socket.on('error', (error) => done(`error: ${error.message}`));
  });
}

const modeOf = (reply: string) => /^Mode: (\w+)/m.exec(reply)?.[1] ?? 'down';

/** Poll every host until `accept` holds for the modes, at most `seconds`. */
async function waitForModes(
  hosts: string[],
  accept: (modes: string[]) => boolean,
  seconds = 60,
): Promise<string[]> {
  let modes: string[] = [];
  for (let i = 0; i < seconds * 2; i++) {
    modes = await Promise.all(hosts.map(async (h) => modeOf(await fourLetterWord(h, 'srvr'))));
    if (accept(modes)) return modes;
    await new Promise((r) => setTimeout(r, 500));
  }
  return modes;
}

daemonTest(
  'a rendered three-member ensemble elects one leader and keeps quorum until two members are gone',
  async (t) => {
    t.timeout(150_000);
    t.true(
      available,
      `Debian's zookeeper package is missing (${ZOOKEEPER_JAR}): the test command installs it`,
    );
    const cwd = tempDir();
    const data = join(cwd, 'data');
    const spec = {
      name: 'zk-loopback',
      hosts: HOSTS.map((address, i) => ({
        name: `zk${i + 1}`,
        address,
        roles: ['zookeeper'],
        // Three "hosts" share this machine: each binds its client port and AdminServer to its own address.
        zookeeper: {
          dataDir: join(data, `zk${i + 1}`),
          clientPortAddress: address,
          adminServer: { address },
        },
      })),
      zookeeper: { version: '3.8.0', tickTime: 500, initLimit: 10, syncLimit: 5 },
    };
    const r = render([writeSpec(cwd, 'zk.json', spec), '-o', 'out'], cwd);
    t.is(r.code, 0, r.stderr);

    for (const [i, host] of ['zk1', 'zk2', 'zk3'].entries()) {
      const tree = join(cwd, 'out/hosts', host);
      const dataDir = join(data, host);
      mkdirSync(dataDir, { recursive: true });
      copyFileSync(join(tree, dataDir, 'myid'), join(dataDir, 'myid'));
      // Start exactly the ExecStart of the rendered unit, pointed at the rendered zoo.cfg.
      const unit = readFileSync(join(tree, 'etc/systemd/system/zookeeper.service'), 'utf8');
      const execStart = /^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '';
      const [java, ...args] = execStart
        .replace('/etc/zookeeper/conf/zoo.cfg', join(tree, 'etc/zookeeper/conf/zoo.cfg'))
        .replace('-Dzookeeper.log.dir=/var/log/zookeeper', `-Dzookeeper.log.dir=${join(data, `log${i + 1}`)}`)
        .split(' ');
      const child = spawn(java ?? 'java', args, { stdio: 'ignore' });
      children.push(child);
    }

    const modes = await waitForModes(
      HOSTS,
      (m) => m.filter((x) => x === 'leader').length === 1 && m.filter((x) => x === 'follower').length === 2,
    );
    t.deepEqual([...modes].sort(), ['follower', 'follower', 'leader']);
    // stat and ruok answer only because the rendered whitelist names them (3.5.3+ allows srvr alone).
    t.regex(await fourLetterWord(HOSTS[0] ?? '', 'stat'), /^Zookeeper version: 3\.8/m);
    t.is(await fourLetterWord(HOSTS[1] ?? '', 'ruok'), 'imok');
    t.regex(
      await fourLetterWord(HOSTS[2] ?? '', 'wchc'),
      /is not executed because it is not in the whitelist/,
    );

    // Stop one member (a follower): the other two still hold quorum.
    const follower = modes.indexOf('follower');
    children[follower]?.kill('SIGKILL');
    const rest = HOSTS.filter((_, i) => i !== follower);
    const two = await waitForModes(rest, (m) => m.includes('leader') && m.includes('follower'));
    t.deepEqual([...two].sort(), ['follower', 'leader']);

    // Stop a second: one of three is no majority, and the last one stops serving.
    const second = HOSTS.indexOf(rest[0] ?? '');
    children[second]?.kill('SIGKILL');
    const last = rest[1] ?? '';
    let reply = '';
    for (let i = 0; i < 60 && !/not currently serving requests/.test(reply); i++) {
      reply = await fourLetterWord(last, 'srvr');
      await new Promise((r) => setTimeout(r, 500));
    }
    t.regex(reply, /This ZooKeeper instance is not currently serving requests/);
  },
);
