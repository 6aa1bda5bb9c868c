import test from 'ava';
import { loadSpec, SpecSyntaxError } from '../src/index.js';
import { load, threeMasters } from './helpers.js';

test('invalid JSON names file, line and column', (t) => {
  const text = '{\n  "name": "x",\n  "hosts": [],\n}\n';
  const error = t.throws(() => loadSpec(text, 'bad.json'), { instanceOf: SpecSyntaxError });
  t.is(error?.line, 4);
  t.is(error?.column, 1);
  t.regex(error?.message ?? '', /^bad\.json:4:1: invalid JSON: .*trailing comma/);
});

test('duplicate keys in JSON are an error, not a silently lost value', (t) => {
  const text = '{\n  "name": "a",\n  "name": "b"\n}';
  const error = t.throws(() => loadSpec(text, 'dup.json'), { instanceOf: SpecSyntaxError });
  t.is(error?.line, 3);
  t.regex(error?.message ?? '', /duplicate key "name"/);
});

test('invalid YAML names the line', (t) => {
  const text = 'name: x\nhosts:\n  - name: a\n   address: 10.0.0.1\n';
  const error = t.throws(() => loadSpec(text, 'bad.yaml'), { instanceOf: SpecSyntaxError });
  t.regex(error?.message ?? '', /^bad\.yaml:\d+:\d+: invalid YAML/);
  t.true((error?.line ?? 0) >= 3);
});

test('YAML and JSON of the same spec give the same plan', (t) => {
  const spec = threeMasters();
  const yaml = [
    'name: demo',
    'hosts:',
    ...spec.hosts.map(
      (h) => `  - { name: ${h.name}, address: ${h.address}, roles: [${h.roles.join(', ')}] }`,
    ),
    'zookeeper: { version: 3.4.6 }',
    'mesos: { version: 1.11.0 }',
    'marathon: { version: 1.11.24 }',
  ].join('\n');
  const fromYaml = loadSpec(yaml, 'spec.yaml');
  const fromJson = load(spec);
  t.truthy(fromYaml.plan);
  t.deepEqual(fromYaml.plan, fromJson.plan);
});

test('findings point at the line of the offending value', (t) => {
  const spec = threeMasters();
  (spec.hosts[1] as { address: string }).address = '10.16.40.300';
  const text = JSON.stringify(spec, null, 2);
  const report = loadSpec(text, 'spec.json');
  const finding = report.findings.find((f) => f.path.join('.') === 'hosts.1.address');
  const line = text.split('\n').findIndex((l) => l.includes('10.16.40.300')) + 1;
  t.is(finding?.position?.line, line);
});

test('a YAML finding points at its line too', (t) => {
  const text =
    'name: demo\nhosts:\n  - name: a\n    address: 10.0.0.1\n    roles: [zookeeper]\nzookeeper:\n  version: 3.8.4\n  clientPort: "2181"\n';
  const report = loadSpec(text, 'spec.yaml');
  const finding = report.findings.find((f) => f.path.join('.') === 'zookeeper.clientPort');
  t.is(finding?.position?.line, 8);
});
