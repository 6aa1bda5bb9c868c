import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import test from 'ava';
import fc from 'fast-check';
import {
  type CommandArtifact,
  type ShellLine,
  ShellValueError,
  sh,
  shComment,
  shContinued,
  shLines,
  shScript,
} from '../src/index.js';

/** What bash itself makes of a line: the words its printfs print, NUL-separated. */
function bashWords(line: ShellLine): string[] {
  const run = spawnSync('bash', ['-c', line], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: tmpdir() },
  });
  if (run.status !== 0) throw new Error(`bash failed (${run.status}): ${run.stderr}`);
  return run.stdout.split('\0').slice(0, -1);
}

const HOSTILE = [
  '$(k8sm_pwned)',
  '`k8sm_pwned`',
  'a; k8sm_pwned',
  'a | k8sm_pwned',
  'a && k8sm_pwned',
  'a\nk8sm_pwned',
  "it's",
  "'",
  '"',
  'a"b\'c',
  '\\',
  'a\\',
  '$VAR',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a parameter expansion is the payload
  '${HOME}',
  '*',
  '?',
  '[a]',
  '~',
  '~root',
  '-rf',
  '--flag=x',
  '{{ lookup("pipe", "id") }}',
  '{a,b}',
  'zoné ✓ 漢字',
  '',
  ' ',
  '\t',
  '#comment',
  'a=b',
  '!!',
  '<(k8sm_pwned)',
  '>out',
  '\r',
];

test('every hostile word comes back from bash as exactly one word, alone, in a list or beside text', (t) => {
  // one bash for the whole table: a printf per word, then the list
  const lines = HOSTILE.map((word) => sh`printf '%s\\0' ${word} --flag=${word} -v ${word}:${word}:ro`);
  t.deepEqual(bashWords(shLines([...lines, sh`printf '%s\\0' ${HOSTILE}`])), [
    ...HOSTILE.flatMap((word) => [word, `--flag=${word}`, '-v', `${word}:${word}:ro`]),
    ...HOSTILE,
  ]);
});

test('arbitrary strings without NUL round-trip through sh and bash unchanged', (t) => {
  const word = fc
    .string({ unit: 'binary', maxLength: 40 })
    .filter((s) => !s.includes('\0') && !/\p{Cs}/u.test(s));
  fc.assert(
    fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), word, (list, one) => {
      t.deepEqual(bashWords(sh`printf '%s\\0' ${list} x${one}y`), [...list, `x${one}y`]);
    }),
    { numRuns: 100 },
  );
});

test('numbers are written as they are; safe words stay bare, so plain commands keep their bytes', (t) => {
  t.is<string, string>(
    sh`install -d -m 0750 ${['/var/lib/zookeeper', '/var/log/zk']} ${2181}`,
    'install -d -m 0750 /var/lib/zookeeper /var/log/zk 2181',
  );
  t.is<string, string>(sh`-e SERVERS=${'10.0.0.1,10.0.0.2'}`, '-e SERVERS=10.0.0.1,10.0.0.2');
  t.is<string, string>(sh`docker run ${'a b'}`, `docker run 'a b'`);
});

test('a NUL in a value is refused with a named error', (t) => {
  const error = t.throws(() => sh`echo ${'a\0b'}`, { instanceOf: ShellValueError });
  t.is(error?.code, 'K8SM_SHELL_VALUE');
  t.regex(error?.message ?? '', /NUL byte.*remove it from the spec/);
  t.throws(() => sh`echo ${['ok', '\0']}`, { instanceOf: ShellValueError });
});

test('a value where quoting would not make it one word is refused when the line is built', (t) => {
  const x = '$(k8sm_pwned)';
  for (const build of [
    () => sh`echo "${x}"`,
    () => sh`echo 'a ${x}'`,
    () => sh`echo "$(basename "${x}")"`,
    () => sh`echo \`${x}\``,
    () => sh`# comment ${x}`,
    () => sh`echo ok # ${x}`,
    () => sh`echo \\${x}`,
    () => sh`echo $${x}`,
    () => sh`echo \${X:-${x}}`,
    () => sh`echo $(( ${x} ))`,
    () => sh`cat <<EOF\n${x}\nEOF`,
  ])
    t.throws(build, { instanceOf: TypeError }, build.toString());
  // quoted words, comments and command substitutions that close before the value are fine
  t.is<string, string>(sh`echo 'a' "b" $(c "d") a#b ${x}`, `echo 'a' "b" $(c "d") a#b '$(k8sm_pwned)'`);
  t.is<string, string>(sh`# note\necho ${x}`, `# note\necho '$(k8sm_pwned)'`);
  t.is<string, string>(sh`read -r a <<< "$b" && echo ${x}`, `read -r a <<< "$b" && echo '$(k8sm_pwned)'`);
  t.is<string, string>(sh`echo $(printf ${x})`, `echo $(printf '$(k8sm_pwned)')`);
});

test('comments refuse a line break, which would end the comment and start a command', (t) => {
  t.is<string, string>(shComment('# cluster demo'), '# cluster demo');
  t.throws(() => shComment('# demo\nk8sm_pwned'), { instanceOf: ShellValueError });
  t.throws(() => shComment('demo'), { instanceOf: TypeError });
});

test('lines join as steps, continued commands and whole scripts', (t) => {
  const run = shContinued([sh`docker run -d`, sh`-v ${'/a b'}:/x`, sh`image`]);
  t.is<string, string>(run, "docker run -d \\\n  -v '/a b':/x \\\n  image");
  t.deepEqual(bashWords(shLines([sh`true`, sh`printf '%s\\0' ${'x y'}`])), ['x y']);
  t.is<string, string>(shScript([sh`set -eu`, run]), `set -eu\n${run}\n`);
});

test('only sh makes a ShellLine: a template string is not a command, nor a ShellLine a value of sh', (t) => {
  const dir = '/var/lib/zk$(k8sm_pwned)';
  const step: CommandArtifact = {
    kind: 'command',
    host: 'zk1',
    order: 100,
    // @ts-expect-error a template string is not a ShellLine: tsc refuses the unquoted command
    command: `install -d ${dir}`,
    component: 'zookeeper',
  };
  // @ts-expect-error sh cannot tell a ShellLine from a string at run time and would quote it twice
  const twice = sh`sudo ${sh`true`}`;
  t.is<string, string>(step.command, `install -d ${dir}`);
  t.is<string, string>(twice, 'sudo true');
});
