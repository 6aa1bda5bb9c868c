import test from 'ava';
import { formatFinding, loadSpec, parseSpecText, SpecSyntaxError } from '../src/index.js';
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
