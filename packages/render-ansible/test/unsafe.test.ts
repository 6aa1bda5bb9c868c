import { examplePlan, planOf } from '@k8sm/testkit';
import test from 'ava';
import fc from 'fast-check';
import { isScalar, parse, parseDocument, visit } from 'yaml';
import { renderAnsible } from '../src/index.js';
import { ansibleYaml, data, dataYaml, directYaml, named, noqa, unsafe } from '../src/unsafe.js';
import { hostileArtifacts, hostilePlan, hostNames, renderHostile } from './hostile.js';

const readUnsafe = { customTags: [{ tag: '!unsafe', resolve: (text: string) => text }] };

/** Every scalar value of a YAML file (mapping keys left out) with its tag. */
function scalarsOf(content: string): { value: unknown; tag: string | undefined }[] {
  const found: { value: unknown; tag: string | undefined }[] = [];
  visit(parseDocument(content, readUnsafe), {
    Pair: (_, pair) => {
      if (isScalar(pair.value)) found.push({ value: pair.value.value, tag: pair.value.tag });
    },
    Seq: (_, seq) => {
      for (const item of seq.items) if (isScalar(item)) found.push({ value: item.value, tag: item.tag });
    },
  });
  return found;
}

test('unsafe strings come back exactly, each on one line, whatever they hold', (t) => {
  const texts = [
    "{{ lookup('pipe', 'id') }}",
    "it's",
    'back\\slash "quoted"',
    'two\nlines',
    ' leading and trailing ',
    'tab\there',
    'nel\u0085 and ls\u2028 and ps\u2029',
    'astral \u{1f600}',
    '# not a comment',
    '- not an item',
    'a: b',
    '',
    'x'.repeat(300),
  ];
  const yaml = ansibleYaml(data(texts));
  t.is(yaml.trimEnd().split('\n').length, texts.length, yaml);
  t.true(
    yaml.split('\n').every((l) => l === '' || l.startsWith('- !unsafe ')),
    yaml,
  );
  t.deepEqual(parse(yaml, readUnsafe), texts);
});

test('data() marks strings at any depth and leaves numbers, booleans and keys alone', (t) => {
  const yaml = ansibleYaml(data({ '{{ key }}': [{ path: '/x', n: 7, on: true }] }));
  t.is(yaml, `"{{ key }}":\n  - path: !unsafe '/x'\n    n: 7\n    on: true\n`);
});

test('every payload the plan and the artifacts carry is written !unsafe, in every YAML file', (t) => {
  const { out } = renderHostile('/nonexistent');
  const yamlFiles = out.filter((f) => f.path.endsWith('.yml'));
  t.is(yamlFiles.length, hostNames.length + 2, 'host_vars of each host, group_vars, site.yml');
  for (const f of yamlFiles) {
    const scalars = scalarsOf(f.content);
    const carrying = scalars.filter((s) => String(s.value).includes('{{ 7*7 }}'));
    t.true(
      carrying.every((s) => s.tag === '!unsafe'),
      `${f.path}: ${JSON.stringify(carrying.filter((s) => s.tag !== '!unsafe'))}`,
    );
    if (f.path.startsWith('ansible/host_vars/')) {
      t.true(carrying.length > 0, f.path);
      const strings = scalars.filter((s) => typeof s.value === 'string');
      t.deepEqual(
        strings.filter((s) => s.tag !== '!unsafe'),
        [],
        `${f.path}: host_vars are data, every string in them unsafe`,
      );
    }
  }
  const site = yamlFiles.find((f) => f.path === 'ansible/site.yml');
  t.true(
    scalarsOf(site?.content ?? '').some((s) => s.tag === '!unsafe' && String(s.value).includes('zk-connect')),
    'the gate’s members are a variable of the task',
  );
  t.false(
    out.find((f) => f.path === 'ansible/inventory.ini')?.content.includes('{{'),
    'the inventory holds names only',
  );
});

test('the rollout batch is data in site.yml; our own expressions are not', (t) => {
  const { files, commands } = hostileArtifacts('/nonexistent');
  const site = renderAnsible({ ...hostilePlan('/nonexistent'), rolloutBatch: '50%' }, files, commands).find(
    (f) => f.path === 'ansible/site.yml',
  );
  const plays = parseDocument(site?.content ?? '', readUnsafe).contents;
  const serials: string[] = [];
  visit(plays, {
    Pair: (_, pair) => {
      if (isScalar(pair.key) && pair.key.value === 'serial' && isScalar(pair.value) && pair.value.tag)
        serials.push(`${pair.value.tag} ${pair.value.value}`);
    },
  });
  t.deepEqual(serials, ['!unsafe 50%', '!unsafe 50%'], 'agents and nodes');
  t.regex(site?.content ?? '', /^ {2}become: "\{\{ k8sm_become \}\}"$/m);
});

test('a host name inventory.ini could read as something else is a renderer error, not a line', (t) => {
  const plan = planOf({
    name: 'x',
    hosts: [{ name: 'zk1', address: '10.0.0.1', roles: ['zookeeper'] }],
    zookeeper: { version: '3.8.4' },
  });
  for (const name of ['{{ 7*7 }}', 'zk1 ansible_connection=local', 'zk[1:3]', 'zk1:22', 'zk#1'])
    t.throws(() => renderAnsible({ ...plan, hosts: plan.hosts.map((h) => ({ ...h, name })) }, [], []), {
      message: /cannot be written into inventory\.ini/,
    });
});

test('named(): a name starts with an uppercase letter and holds no Jinja; noqa() writes its comment after the value', (t) => {
  t.is(named('Gate: the master answers'), 'Gate: the master answers');
  for (const bad of [
    'gate: lowercase',
    'etcd, one member at a time',
    'Gate {{ x }}',
    'Gate {% if %}',
    'Two\nlines',
    '',
  ])
    t.throws(() => named(bad), { message: /is no name for Ansible/ }, bad);
  const yaml = ansibleYaml({
    run_once: noqa(true, 'run-once[task]'),
    state: noqa('directory', 'risky-file-permissions'),
  });
  t.is(yaml, 'run_once: true # noqa: run-once[task]\nstate: directory # noqa: risky-file-permissions\n');
  t.deepEqual(parse(yaml), { run_once: true, state: 'directory' });
});

test('long lines of our own fold at a blank and read back the same; an unsafe value stays on one line', (t) => {
  const jinja = `{{ ${Array.from({ length: 40 }, (_, i) => `(x${i} | length > 0)`).join(' and ')} }}`;
  const long = `${'an unsafe word '.repeat(30)}{{ 7*7 }}`;
  const yaml = ansibleYaml({ vars: { jinja, long: unsafe(long) } });
  const lines = yaml.trimEnd().split('\n');
  t.true(
    lines.every((l) => l.length <= 160 || l.startsWith('  long: !unsafe ')),
    yaml,
  );
  t.is(lines.filter((l) => l.includes('unsafe word')).length, 1, 'the unsafe value on one line');
  t.true(lines.length > 3, 'the expression folded');
  t.deepEqual(parse(yaml, readUnsafe), { vars: { jinja, long } });
});

// dataYaml writes host_vars without the yaml library's document: the yaml library is the oracle.
const KEYS = [
  'ansible_host',
  'k8sm_files',
  'kubernetes',
  'path',
  'mode',
  'a1',
  'x_y',
  'yes',
  'null',
  'On',
  'two words',
  'x-y',
  '1st',
  '',
];
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    "it's",
    'a "b"',
    '#x',
    '- y',
    'k: v',
    '\u2028',
    '\u0085',
    ' ',
    '',
    '{{ x }}',
    'x'.repeat(200),
  ),
);
const scalar = fc.oneof(text.map(unsafe), fc.nat(), fc.integer({ min: -5, max: -1 }), fc.constant(1.5));
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
  list: fc.array(fc.oneof(scalar, tie('map')), { maxLength: 4 }),
  map: fc.dictionary(fc.constantFrom(...KEYS), tie('tree'), { maxKeys: 4 }),
}));

test('dataYaml writes what the yaml library writes, byte for byte, for any data', (t) => {
  fc.assert(
    fc.property(tree, (value) => dataYaml(value) === ansibleYaml(value)),
    { numRuns: 3000 },
  );
  t.pass();
});

test("dataYaml's own writer takes every host's vars the renderer writes, hostile ones too, as the yaml library writes them", (t) => {
  const asUnsafe = { customTags: [{ tag: '!unsafe', resolve: (text: string) => unsafe(text) }] };
  const files = [
    ...renderHostile("{{ lookup('pipe', 'id') }}'\"").out,
    ...renderAnsible(examplePlan('k8s-on-mesos-ha.yaml'), [], []),
  ].filter((f) => f.path.startsWith('ansible/host_vars/'));
  t.true(files.length > 3);
  for (const f of files) {
    const body = f.content.slice(f.content.indexOf('\n') + 1);
    const value = parse(body, asUnsafe);
    t.is(directYaml(value), body, f.path);
    t.is(ansibleYaml(value), body, f.path);
  }
});
