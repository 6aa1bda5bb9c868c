import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { removeTempDirs, render, tempDir, writeSpec } from './helpers.js';

// A real three-member ensemble from Debian's zookeeper package, started from the files that
// k8sm-render wrote, on three loopback "hosts". In CI a missing package fails the test.
const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
const available = existsSync(ZOOKEEPER_JAR) && existsSync('/usr/bin/java');
const daemonTest = available || process.env.CI === 'true' ? test.serial : test.skip;

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

async function ensemble(t: ExecutionContext, size: number, subnet: string): Promise<void> {
  t.true(available, `Debian's zookeeper package is missing (${ZOOKEEPER_JAR}): the test command installs it`);
  const hosts = Array.from({ length: size }, (_, i) => `${subnet}.${i + 1}`);
  const names = hosts.map((_, i) => `zk${i + 1}`);
  const cwd = tempDir();
  const data = join(cwd, 'data');
  const spec = {
    name: `zk-loopback-${size}`,
    hosts: hosts.map((address, i) => ({
      name: names[i],
      address,
      roles: ['zookeeper'],
      // Several "hosts" share this machine: each binds its client port and AdminServer to its own address.
      zookeeper: { dataDir: join(data, `zk${i + 1}`), clientPortAddress: address, adminServer: { address } },
    })),
    zookeeper: { version: '3.8.0', tickTime: 500, initLimit: 10, syncLimit: 5 },
  };
  const r = render([writeSpec(cwd, 'zk.json', spec), '-o', 'out'], cwd);
  t.is(r.code, 0, r.stderr);

  const members: ChildProcess[] = [];
  for (const [i, host] of names.entries()) {
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
    members.push(child);
  }
  const count = (modes: string[], mode: string) => modes.filter((m) => m === mode).length;
  const formed = (m: string[]) => count(m, 'leader') === 1 && count(m, 'follower') === m.length - 1;

  const modes = await waitForModes(hosts, formed);
  t.is(count(modes, 'leader'), 1, modes.join(' '));
  t.is(count(modes, 'follower'), size - 1, modes.join(' '));
  // stat and ruok answer only because the rendered whitelist names them (3.5.3+ allows srvr alone).
  t.regex(await fourLetterWord(hosts[0] ?? '', 'stat'), /^Zookeeper version: 3\.8/m);
  t.is(await fourLetterWord(hosts[1] ?? '', 'ruok'), 'imok');
  t.regex(await fourLetterWord(hosts[2] ?? '', 'wchc'), /is not executed because it is not in the whitelist/);

  // Stop as many followers as the ensemble tolerates: the rest still hold quorum.
  const tolerates = size - (Math.floor(size / 2) + 1);
  const stopped = modes.flatMap((m, i) => (m === 'follower' ? [i] : [])).slice(0, tolerates);
  for (const i of stopped) members[i]?.kill('SIGKILL');
  const rest = hosts.filter((_, i) => !stopped.includes(i));
  const after = await waitForModes(rest, formed);
  t.true(formed(after), `after stopping ${tolerates}: ${after.join(' ')}`);

  // One more gone: no majority is left, and every survivor stops serving.
  members[hosts.indexOf(rest[0] ?? '')]?.kill('SIGKILL');
  const survivors = rest.slice(1);
  let replies: string[] = [];
  for (let i = 0; i < 60; i++) {
    replies = await Promise.all(survivors.map((h) => fourLetterWord(h, 'srvr')));
    if (replies.every((x) => /not currently serving requests/.test(x))) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  for (const reply of replies) t.regex(reply, /This ZooKeeper instance is not currently serving requests/);
  for (const child of members) child.kill('SIGKILL');
}

daemonTest(
  'a rendered 3-member ensemble elects one leader, survives one loss, stops serving at two',
  async (t) => {
    t.timeout(150_000);
    await ensemble(t, 3, '127.0.40');
  },
);

daemonTest(
  'a rendered 5-member ensemble elects one leader, survives two losses, stops serving at three',
  async (t) => {
    t.timeout(150_000);
    await ensemble(t, 5, '127.0.41');
  },
);
