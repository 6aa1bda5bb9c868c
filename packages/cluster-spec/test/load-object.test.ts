import { readFileSync } from 'node:fs';
import { exampleNames, examplePath, threeMasters } from '@k8sm/testkit-fixtures';
import test from 'ava';
import { parse } from 'yaml';
import { formatFinding, loadSpec } from '../src/index.js';

test('loadSpec takes a spec object: the plan of every example is the plan of its text', (t) => {
  for (const name of exampleNames()) {
    const text = readFileSync(examplePath(name), 'utf8');
    const fromText = loadSpec(text, name);
    const fromObject = loadSpec(parse(text) as object, name);
    t.truthy(fromText.plan, name);
    t.deepEqual(fromObject.plan, fromText.plan, name);
    t.deepEqual(
      fromObject.findings.map((f) => [f.check, f.path]),
      fromText.findings.map((f) => [f.check, f.path]),
      name,
    );
  }
});

test("an object's findings name its JSON path and its place in the JSON it stands for", (t) => {
  const spec = threeMasters({ zookeeper: { version: '3.4.6', tickTime: -1 } });
  const report = loadSpec(spec);
  t.is(report.plan, undefined);
  const finding = report.findings.find((f) => f.path.join('.') === 'zookeeper.tickTime');
  if (!finding) return t.fail(JSON.stringify(report.findings));
  t.regex(formatFinding(finding, '<spec>'), /^<spec>:\d+:\d+: error .*zookeeper\.tickTime/);
  t.is(loadSpec([] as unknown as object).plan, undefined);
});
