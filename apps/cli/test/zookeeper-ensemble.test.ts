import test, { type ExecutionContext } from 'ava';
import { fourLetterWord, killAll, startZookeeper, waitForModes, zookeeperAvailable } from './daemons.js';
import { removeTempDirs } from './helpers.js';

// A real ZooKeeper ensemble from Debian's zookeeper package, started from the files that
// k8sm-render wrote, on loopback "hosts". In CI a missing package fails the test.
const daemonTest = zookeeperAvailable || process.env.CI === 'true' ? test.serial : test.skip;

test.after.always(() => {
  killAll();
  removeTempDirs();
});

async function ensemble(t: ExecutionContext, size: number, subnet: string): Promise<void> {
  const { hosts, members } = await startZookeeper(t, size, subnet);
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
