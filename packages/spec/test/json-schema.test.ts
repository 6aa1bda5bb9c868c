import { readFileSync } from 'node:fs';
import test from 'ava';
import { specJsonSchemaText } from '../src/index.js';

const shipped = readFileSync(new URL('../../schema/k8sm-spec.schema.json', import.meta.url), 'utf8');

test('the shipped JSON Schema is the one the zod schema generates', (t) => {
  t.is(shipped, specJsonSchemaText(), 'schema drifted: run `pnpm --filter @k8sm/spec schema:write`');
});

test('the JSON Schema refuses unknown keys and shows defaults', (t) => {
  const schema = JSON.parse(shipped);
  t.is(schema.additionalProperties, false);
  t.is(schema.properties.hosts.items.additionalProperties, false);
  t.is(schema.properties.zookeeper.properties.clientPort.default, 2181);
  t.deepEqual(schema.required.sort(), ['hosts', 'name']);
});
