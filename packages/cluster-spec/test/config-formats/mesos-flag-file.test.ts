import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigValueError, type FlagFile, flagFile, flagPairs, pairFile } from '@k8sm/spec';
import test from 'ava';
import { CONTROL, PRINTABLE, refusedOrReadBack, refusesAll } from './hostile.js';

const SLAVE = '/etc/mesos-slave';

// The argv loop of slave() in mesosphere/mesos-deb-packaging's mesos-init-wrapper, run by real
// bash on a copy of the directory (only $etc_slave differs); it prints the arguments NUL-separated.
const WRAPPER = `
set -o errexit -o nounset -o pipefail
etc_slave="$1"; args=(); attributes=(); resources=()
for f in "$etc_slave"/*
do
  if [[ -f $f ]]
  then
    name="$(basename "$f")"
    if [[ $name == '?'* ]]
    then args+=( --"\${name#'?'}" )
    else args+=( --"$name"="$(cat "$f")" )
    fi
  fi
done
for f in "$etc_slave"/attributes/*
do [[ ! -s $f ]] || attributes+=( "$(basename "$f")":"$(cat "$f")" )
done
if [[ \${#attributes[@]} -gt 0 ]]
then
  formatted="$(printf ';%s' "\${attributes[@]}")"
  args+=( --attributes="\${formatted:1}" )
fi
for f in "$etc_slave"/resources/*
do [[ ! -s $f ]] || resources+=( "$(basename "$f")":"$(cat "$f")" )
done
if [[ \${#resources[@]} -gt 0 ]]
then
  formatted="$(printf ';%s' "\${resources[@]}")"
  args+=( --resources="\${formatted:1}" )
fi
if [[ "\${args[@]:-}" == *'--no-logger'* ]]; then echo NO-LOGGER; fi
printf '%s\\0' "\${args[@]}"
`;

/** The argv the wrapper builds from each set of flag files. */
function wrapperArgv(sets: readonly (readonly FlagFile[])[]): string[][] {
  return sets.map((files) => {
    const root = mkdtempSync(join(tmpdir(), 'k8sm-mesos-flags-'));
    for (const f of files) {
      const path = join(root, f.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.content);
    }
    const run = spawnSync('bash', ['-c', WRAPPER, 'wrapper', join(root, SLAVE)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
    return run.stdout.split('\0').slice(0, -1);
  });
}

/** Mesos' Attributes::parse: tokens at `;` and newline, each split at its first `:` (src/common/attributes.cpp). */
const mesosPairs = (text: string) =>
  text
    .split(/[;\n]/)
    .filter((token) => token !== '')
    .map((token) => [token.slice(0, token.indexOf(':')), token.slice(token.indexOf(':') + 1)]);

const carry = PRINTABLE.filter((v) => !v.includes('--no-logger'));

test('the init wrapper gives exactly `--<flag>=<value>` for each flag file, or the writer refuses it', (t) => {
  refusedOrReadBack(
    t,
    `${SLAVE}/work_dir`,
    [...CONTROL, ...PRINTABLE, '/var/lib/mesos\n--no-logger', 'x --no-logger', ''],
    (value) => JSON.stringify(flagFile(SLAVE, 'work_dir', value)),
    (written) =>
      wrapperArgv(written.map((w) => [JSON.parse(w) as FlagFile])).map((argv) =>
        argv.length === 1 && argv[0]?.startsWith('--work_dir=') ? argv[0].slice(11) : undefined,
      ),
    [...carry, ''],
  );
});

test('an agent attribute reaches Mesos as exactly one pair with exactly the value, or is refused', (t) => {
  const values = [...CONTROL, ...PRINTABLE, 'rack1;evil:yes', 'rack1\nevil:yes', ''];
  refusedOrReadBack(
    t,
    `${SLAVE}/attributes/rack`,
    values,
    (value) => JSON.stringify(pairFile(SLAVE, 'attributes', 'rack', value)),
    (written) =>
      wrapperArgv(written.map((w) => [JSON.parse(w) as FlagFile])).map((argv) => {
        const pairs =
          argv.length === 1 && argv[0]?.startsWith('--attributes=') ? mesosPairs(argv[0].slice(13)) : [];
        return pairs.length === 1 && pairs[0]?.[0] === 'rack' ? pairs[0][1] : undefined;
      }),
    carry.filter((v) => !v.includes(';')),
  );
  // the docker runtime's MESOS_ATTRIBUTES is checked the same way
  t.throws(() => flagPairs(SLAVE, 'attributes', { rack: 'r1;evil:yes' }), { instanceOf: ConfigValueError });
  t.is(flagPairs(SLAVE, 'attributes', { rack: 'r1', zone: 'a:b' }), 'rack:r1;zone:a:b');
});

test('a flag, attribute or resource name that is no plain file name is refused', (t) => {
  refusesAll(t, SLAVE, ['../x', 'a/b', '?x', '', 'a b', '-x'], (name) => flagFile(SLAVE, name, 'v'));
  refusesAll(t, `${SLAVE}/attributes`, ['a:b', 'a;b', '../x'], (key) =>
    pairFile(SLAVE, 'attributes', key, 'v'),
  );
});

test('booleans are the empty ?flag files; values end in one newline', (t) => {
  t.deepEqual(flagFile(SLAVE, 'switch_user', false), { path: `${SLAVE}/?no-switch_user`, content: '' });
  t.deepEqual(flagFile('/etc/marathon/conf', 'checkpoint', false, 'disable_'), {
    path: '/etc/marathon/conf/?disable_checkpoint',
    content: '',
  });
  t.deepEqual(flagFile(SLAVE, 'port', 5052), { path: `${SLAVE}/port`, content: '5052\n' });
  t.deepEqual(wrapperArgv([[flagFile(SLAVE, 'switch_user', false), flagFile(SLAVE, 'port', 5052)]]), [
    ['--no-switch_user', '--port=5052'],
  ]);
});
