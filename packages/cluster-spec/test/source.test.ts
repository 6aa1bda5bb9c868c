import test from 'ava';
import {
  formatFinding,
  formatPath,
  loadSpec,
  parseSpecText,
  SPEC_LIMITS,
  SpecSyntaxError,
  SpecTooLargeError,
} from '../src/index.js';
import { host, load, threeMasters } from './helpers.js';

const syntaxError = (text: string, file: string): SpecSyntaxError => {
  try {
    loadSpec(text, file);
  } catch (error) {
    if (error instanceof SpecSyntaxError) return error;
    throw error;
  }
  throw new Error(`${file} loaded without a syntax error`);
};

// JSON ---------------------------------------------------------------------------------------------

test('a trailing comma in a list names its line and column', (t) => {
  const text = '{\n  "name": "x",\n  "hosts": ["a", "b",]\n}\n';
  const error = syntaxError(text, 'bad.json');
  t.is(error.line, 3);
  t.is(error.column, 22, 'the "]" where a value was expected');
  t.is(error.file, 'bad.json');
  t.is(error.code, 'K8SM_SPEC_SYNTAX');
  t.regex(error.message, /^bad\.json:3:22: invalid JSON: .*trailing comma/);
});

test('a trailing comma in a mapping points where the next key was expected', (t) => {
  const text = '{\n  "name": "x",\n  "hosts": [],\n}\n';
  const error = syntaxError(text, 'bad.json');
  t.deepEqual([error.line, error.column], [4, 1]);
  t.regex(error.message, /^bad\.json:4:1: invalid JSON: expected a "quoted" key \(a trailing comma\?\)/);
});

test('line and column survive CRLF line ends', (t) => {
  const error = syntaxError('{\r\n  "name": "x",\r\n  "hosts": ["a",]\r\n}\r\n', 'crlf.json');
  t.deepEqual([error.line, error.column], [3, 17]);
});

test('comments in a JSON spec are refused with a pointer to YAML', (t) => {
  const error = syntaxError('{\n  // the demo\n  "name": "x"\n}', 'c.json');
  t.deepEqual([error.line, error.column], [2, 3]);
  t.regex(error.message, /comments are not allowed in JSON \(use a \.yaml spec/);
});

test('duplicate keys in JSON are an error, not a silently lost value', (t) => {
  const text = '{\n  "name": "a",\n  "hosts": [],\n  "name": "b"\n}';
  t.notThrows(() => JSON.parse(text), 'JSON.parse alone would keep "b" and say nothing');
  const error = syntaxError(text, 'dup.json');
  t.deepEqual([error.line, error.column], [4, 3]);
  t.regex(error.message, /^dup\.json:4:3: invalid JSON: duplicate key "name"/);
});

test('duplicate keys are found in nested mappings too, and after a nested mapping closes', (t) => {
  const nested = '{\n  "zookeeper": {\n    "version": "3.4.6",\n    "version": "3.8.4"\n  }\n}';
  t.is(syntaxError(nested, 'n.json').line, 4);
  const afterNested = '{\n  "zookeeper": { "version": "3.4.6" },\n  "zookeeper": {}\n}';
  t.is(syntaxError(afterNested, 'n.json').line, 3);
});

test('the same key in sibling or nested mappings is no duplicate', (t) => {
  // every host has a "name", and so does the spec: none of them repeats a key of its own mapping
  t.notThrows(() => load(threeMasters()));
  t.notThrows(() => loadSpec('{"zookeeper": {"version": "3.4.6"}, "version": 1}', 'x.json'));
});

test('a file without an extension is read as JSON when it starts with "{"', (t) => {
  const error = syntaxError('{"name": "a", "name": "b"}', 'spec');
  t.regex(error.message, /^spec:1:15: invalid JSON: duplicate key/);
});

// YAML ---------------------------------------------------------------------------------------------

test('badly indented YAML names the line', (t) => {
  const text = 'name: x\nhosts:\n  - name: a\n   address: 10.0.0.1\n';
  const error = syntaxError(text, 'bad.yaml');
  t.is(error.line, 4);
  t.regex(error.message, /^bad\.yaml:4:\d+: invalid YAML: /);
  t.notRegex(error.message, /at line \d+/, 'the position is given once, in front');
});

test('tabs as YAML indentation name their line', (t) => {
  const error = syntaxError('name: x\nhosts:\n\t- a\n', 'tab.yml');
  t.is(error.line, 3);
  t.regex(error.message, /^tab\.yml:3:1: invalid YAML: .*[Tt]ab/);
});

test('duplicate keys in YAML are an error too', (t) => {
  const error = syntaxError('name: a\nhosts: []\nname: b\n', 'dup.yaml');
  t.is(error.line, 3);
  t.regex(error.message, /invalid YAML: .*unique/);
});

const asYaml = [
  '# the same spec as threeMasters(), in YAML',
  'name: demo',
  'hosts:',
  '  - { name: m1, address: 10.16.40.1, roles: [zookeeper, mesos-master, marathon] }',
  '  - name: m2',
  '    address: 10.16.40.2',
  '    roles:',
  '      - zookeeper',
  '      - mesos-master',
  '      - marathon',
  '  - { name: m3, address: 10.16.40.3, roles: [zookeeper, mesos-master, marathon] }',
  '  - { name: a1, address: 10.16.40.11, roles: [mesos-agent] }',
  'zookeeper: { version: 3.4.6 }',
  'mesos:',
  '  version: "1.11.0"',
  "marathon: { version: '1.11.24' }",
  '',
].join('\n');

test('a YAML spec reads as the same data as the equivalent JSON', (t) => {
  const yaml = parseSpecText(asYaml, 'spec.yaml');
  const json = parseSpecText(JSON.stringify(threeMasters(), null, 2), 'spec.json');
  t.is(yaml.format, 'yaml');
  t.is(json.format, 'json');
  t.deepEqual(yaml.data, json.data);
  t.deepEqual(yaml.data, threeMasters());
});

test('a YAML spec and its JSON give the same plan', (t) => {
  const fromYaml = loadSpec(asYaml, 'spec.yaml');
  t.deepEqual(fromYaml.findings, []);
  t.truthy(fromYaml.plan);
  t.deepEqual(fromYaml.plan, load(threeMasters()).plan);
});

// positions of findings -----------------------------------------------------------------------------

test('a finding on hosts[1].address points at that line of a JSON spec', (t) => {
  const spec = threeMasters();
  host(spec, 1).address = '10.16.40.300';
  const text = JSON.stringify(spec, null, 2);
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('10.16.40.300')) + 1;
  t.true(line > 10, 'the bad address is deep in the file, not on its first lines');
  const report = loadSpec(text, 'spec.json');
  const finding = report.findings.find((f) => f.path.join('.') === 'hosts.1.address');
  t.is(finding?.position?.line, line);
  t.is(finding?.position?.column, (lines[line - 1]?.indexOf('"address"') ?? -1) + 1, 'at the key');
  if (finding)
    t.regex(
      formatFinding(finding, 'spec.json'),
      new RegExp(`^spec\\.json:${line}:\\d+: error hosts\\[1\\]\\.address: `),
    );
});

test('a finding on a nested path points at its line of a YAML spec', (t) => {
  const text = [
    'name: demo',
    'hosts:',
    '  - name: a',
    '    address: 10.0.0.1',
    '    roles: [zookeeper]',
    '  - name: b',
    '    address: 10.0.0.2',
    '    roles: [zookeeper]',
    '    zookeeper:',
    '      clientPort: "2182"',
    'zookeeper:',
    '  version: 3.8.4',
    '',
  ].join('\n');
  const finding = loadSpec(text, 'spec.yaml').findings.find(
    (f) => f.path.join('.') === 'hosts.1.zookeeper.clientPort',
  );
  t.deepEqual(finding?.position, { line: 10, column: 7 });
});

test('a missing key is located at the mapping that lacks it', (t) => {
  const text = [
    '{',
    '  "name": "a",',
    '  "hosts": [{ "name": "x", "address": "10.0.0.1", "roles": ["zookeeper"] }],',
    '  "zookeeper": {',
    '    "clientPort": 2181',
    '  }',
    '}',
  ].join('\n');
  const finding = loadSpec(text, 'spec.json').findings.find((f) => f.path.join('.') === 'zookeeper.version');
  t.regex(finding?.message ?? '', /"version" is required/);
  t.deepEqual(finding?.position, { line: 4, column: 3 });
});

test('a semantic finding is located too', (t) => {
  const spec = threeMasters({ mesos: { version: '1.11.0', quorum: 1 } });
  const text = JSON.stringify(spec, null, 2);
  const line = text.split('\n').findIndex((l) => l.includes('"quorum"')) + 1;
  const finding = loadSpec(text, 'spec.json').findings.find((f) => f.check === 'quorum-not-majority');
  t.is(finding?.position?.line, line);
});

// bounded and hostile input ----------------------------------------------------------------------

test('a spec larger than the limit is refused before it is parsed, the limit stated', (t) => {
  const text = `{"name": "x", "description": "${'a'.repeat(SPEC_LIMITS.bytes)}"}`;
  const error = t.throws(() => loadSpec(text, 'big.json'), { instanceOf: SpecTooLargeError });
  t.is(error?.code, 'K8SM_SPEC_TOO_LARGE');
  t.regex(error?.message ?? '', /^big\.json: the spec is larger than 4 MiB \(4194304 bytes\)/);
});

test('JSON nested 100,000 deep is a located syntax error, not a stack overflow', (t) => {
  const error = syntaxError(`{"hosts": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`, 'deep.json');
  t.deepEqual([error.line, error.column], [1, 11 + SPEC_LIMITS.depth - 1]);
  t.regex(error.message, /nested more than 64 levels deep/);
});

test('YAML nested deep, in flow or block style, is a located syntax error', (t) => {
  for (const [text, column] of [
    ['['.repeat(100_000), 65],
    [`${'- '.repeat(100_000)}x`, 129],
    [`${'{a: '.repeat(100_000)}`, 257],
  ] as const) {
    const error = syntaxError(text, 'deep.yaml');
    t.deepEqual([error.line, error.column], [1, column], text.slice(0, 8));
    t.regex(error.message, /^deep\.yaml:1:\d+: invalid YAML: nested more than 64 levels deep/);
  }
});

test('an undefined YAML alias is a located syntax error (was "internal error")', (t) => {
  const error = syntaxError('name: x\nhosts: *nodes\n', 'a.yaml');
  t.deepEqual([error.line, error.column], [2, 8]);
  t.regex(error.message, /the alias \*nodes names no anchor: write &nodes on a node above it/);
});

test('an alias inside the node it names is refused (it has no JSON form)', (t) => {
  const error = syntaxError('name: x\nhosts: &h [*h]\n', 'a.yaml');
  t.deepEqual([error.line, error.column], [2, 12]);
  t.regex(error.message, /inside the node it names/);
});

test('an alias bomb is refused at the alias that crosses the limit, before it is expanded', (t) => {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (const [i, name] of [...'bcdefghi'].entries())
    lines.push(`${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`);
  const started = Date.now();
  const error = syntaxError(lines.join('\n'), 'bomb.yaml');
  t.true(Date.now() - started < 2000);
  t.deepEqual([error.line, error.column], [5, 8], 'd has 9 × 9 × 9 nodes; the 10,000th comes in at e');
  t.regex(error.message, /aliases copy in more than 10000 nodes \(an alias bomb\?\)/);
});

test('ordinary anchors and merge keys are accepted and read as the merged data', (t) => {
  const yaml = [
    'name: demo',
    'hosts:',
    '  - &first { name: zk1, address: 10.0.0.1, roles: [zookeeper] }',
    '  - { <<: *first, name: zk2, address: 10.0.0.2 }',
    '  - <<: *first',
    '    name: zk3',
    '    address: 10.0.0.3',
    '    bogus: 1',
    'zookeeper: { version: 3.8.4 }',
  ].join('\n');
  const source = parseSpecText(yaml, 'm.yaml');
  t.deepEqual((source.data as { hosts: unknown[] }).hosts[1], {
    name: 'zk2',
    address: '10.0.0.2',
    roles: ['zookeeper'],
  });
  const report = loadSpec(yaml, 'm.yaml');
  t.deepEqual(
    report.findings.map((f) => [formatFinding(f, 'm.yaml').split('\n')[0]]),
    [['m.yaml:8:5: error hosts[2].bogus: unknown key "bogus"']],
  );
  t.deepEqual(
    source.locate(['hosts', 2, 'roles']),
    { line: 3, column: 44 },
    'a merged key: where it was written',
  );
});

test('a UTF-8 byte-order mark is accepted in JSON and YAML, and positions ignore it', (t) => {
  const spec = threeMasters();
  const json = `\uFEFF${JSON.stringify(spec, null, 2)}`;
  t.truthy(loadSpec(json, 'bom.json').plan);
  t.truthy(loadSpec(json, 'spec').plan, 'sniffed as JSON behind the mark');
  t.truthy(loadSpec(`\uFEFF${JSON.stringify(spec)}`, 'bom.yaml').plan);
  const error = syntaxError('\uFEFF{\n  "name": "x",\n}', 'bom.json');
  t.deepEqual([error.line, error.column], [3, 1]);
});

test('__proto__ is refused like any unknown key, in JSON and YAML, in objects and under records', (t) => {
  const json =
    '{"name": "x", "__proto__": {"polluted": 1}, "hosts": [{"name": "a", "address": "10.0.0.1", "roles": ["mesos-agent"]}],\n' +
    ' "mesos": {"version": "1.11.0", "agent": {"attributes": {"__proto__": "x"}}}}';
  const yaml = json; // JSON is YAML: the same text through the YAML parser
  for (const [text, file] of [
    [json, 'p.json'],
    [yaml, 'p.yaml'],
  ] as const) {
    const report = loadSpec(text, file);
    const found = report.findings.map((f) => [formatPath(f.path), f.message, f.position?.line]);
    t.deepEqual(
      found.filter(([, m]) => /__proto__/.test(String(m))),
      [
        ['__proto__', 'unknown key "__proto__"', 1],
        ['mesos.agent.attributes.__proto__', 'unknown key "__proto__"', 2],
      ],
      file,
    );
    t.is(report.plan, undefined);
    t.is(({} as { polluted?: number }).polluted, undefined);
  }
});

test('a merge key on something other than a mapping is a located syntax error (was "internal error")', (t) => {
  for (const [text, at] of [
    ['<<: 0\nname: x\n', [1, 5]],
    ['a: &a [1]\nb: { <<: *a }\n', [2, 10]],
    ['a: &a {x: 1}\nb:\n  <<: [*a, 2]\n', [3, 12]],
  ] as const) {
    const error = syntaxError(text, 'm.yaml');
    t.deepEqual([error.line, error.column], at, text);
    t.regex(error.message, /a merge key \(<<\) takes a mapping or an alias of one/);
  }
});
