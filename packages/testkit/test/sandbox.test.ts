import { existsSync } from 'node:fs';
import test from 'ava';
import { runInSandbox, sandboxMechanism } from '../src/index.js';

const script = (content: string) => `#!/usr/bin/env bash\nset -euo pipefail\n${content}\n`;

test('bubblewrap runs here (Debian bubblewrap, installed by scripts/test.sh)', (t) => {
  t.is(sandboxMechanism(), 'bwrap');
});

test('a payload that runs is caught by the k8sm_pwned stub, a quoted one is not', async (t) => {
  const r = await runInSandbox([
    {
      name: 'h1',
      scripts: [
        { label: 'unquoted', shell: 'bash', content: script('mkdir -p /var/lib/zk$(k8sm_pwned one)') },
        { label: 'quoted', shell: 'bash', content: script("mkdir -p '/var/lib/zk$(k8sm_pwned two)'") },
        { label: 'newline', shell: 'bash', content: script('install -d /x\nk8sm_pwned three') },
      ],
    },
  ]);
  t.deepEqual(
    r.pwned.map((c) => [c.run, ...c.argv]),
    [
      ['unquoted', 'k8sm_pwned', 'one'],
      ['newline', 'k8sm_pwned', 'three'],
    ],
  );
  t.true(
    r.calls.some(
      (c) => c.run === 'quoted' && c.argv[0] === 'mkdir' && c.argv[2] === '/var/lib/zk$(k8sm_pwned two)',
    ),
  );
  t.deepEqual(
    r.exits.map((e) => [e.run, e.code]),
    [
      ['unquoted', 0],
      ['quoted', 0],
      ['newline', 0],
    ],
  );
});

test('argv is logged word by word, newlines kept; unknown commands are logged too', async (t) => {
  const r = await runInSandbox([
    {
      name: 'h',
      scripts: [
        { label: 's', shell: 'bash', content: script("docker run -e 'A=b c\nd' x\nnever-heard-of --x") },
      ],
    },
  ]);
  t.deepEqual(
    r.calls.map((c) => c.argv),
    [
      ['docker', 'run', '-e', 'A=b c\nd', 'x'],
      ['never-heard-of', '--x'],
    ],
  );
});

test('init scripts see the env file placed for them, and start-stop-daemon runs what it starts', async (t) => {
  const init = `#!/bin/sh
DAEMON=/usr/local/bin/kubelet
[ -r /etc/default/kubelet ] && . /etc/default/kubelet
[ -x "$DAEMON" ] || exit 5
start-stop-daemon --start --background --exec /bin/sh -- -c "exec $DAEMON $KUBELET_OPTS >>/var/log/kubelet.log 2>&1"
`;
  const r = await runInSandbox([
    {
      name: 'h',
      files: { '/etc/default/kubelet': 'KUBELET_OPTS="--v=2 --x=\\$(k8sm_pwned deep)"\n' },
      scripts: [{ label: 'init', shell: 'sh', at: '/etc/init.d/kubelet', args: ['start'], content: init }],
    },
  ]);
  t.deepEqual(
    r.exits.map((e) => e.code),
    [0],
  );
  t.deepEqual(
    r.pwned.map((c) => c.argv),
    [['k8sm_pwned', 'deep']],
  );
  t.true(r.calls.some((c) => c.argv[0] === 'kubelet' && c.argv[1] === '--v=2'));
});

test('the root is read-only and the network is loopback at most', async (t) => {
  const r = await runInSandbox([
    {
      name: 'h',
      scripts: [
        { label: 'root', shell: 'bash', content: 'echo x >/etc/k8sm-sandbox-probe' },
        { label: 'net', shell: 'bash', content: 'exec 3<>/dev/tcp/1.1.1.1/53' },
      ],
    },
  ]);
  t.deepEqual(
    r.exits.map((e) => [e.run, e.code !== 0]),
    [
      ['root', true],
      ['net', true],
    ],
  );
  t.false(existsSync('/etc/k8sm-sandbox-probe'));
});
