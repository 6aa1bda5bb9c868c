import { readFileSync } from 'node:fs';
import test from 'ava';
import { specJsonSchemaText } from '../src/index.js';

const shipped = readFileSync(new URL('../../schema/k8sm-spec.schema.json', import.meta.url), 'utf8');

interface JsonSchema {
  type?: string;
  required?: string[];
  additionalProperties?: unknown;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
}

const schema = JSON.parse(shipped) as JsonSchema;
const prop = (node: JsonSchema | undefined, key: string): JsonSchema | undefined => node?.properties?.[key];

test('the shipped JSON Schema is byte for byte the one the zod schema generates', (t) => {
  t.is(
    shipped,
    specJsonSchemaText(),
    'schema/k8sm-spec.schema.json drifted from the zod schema: run `pnpm --filter @k8sm/spec schema:write`',
  );
});

test('the JSON Schema refuses unknown keys at the top and in hosts', (t) => {
  t.is(schema.type, 'object');
  t.is(schema.additionalProperties, false);
  const hostItem = prop(schema, 'hosts')?.items;
  t.is(hostItem?.additionalProperties, false);
  t.deepEqual([...(hostItem?.required ?? [])].sort(), ['address', 'name', 'roles']);
  t.is(prop(schema, 'zookeeper')?.additionalProperties, false);
  t.is(prop(prop(hostItem, 'zookeeper'), 'clientport'), undefined);
});

test('the JSON Schema shows defaults and what is required', (t) => {
  const zookeeper = prop(schema, 'zookeeper');
  t.is(prop(zookeeper, 'clientPort')?.default, 2181);
  t.is(prop(zookeeper, 'peerPort')?.default, 2888);
  t.deepEqual(zookeeper?.required, ['version']);
  t.deepEqual([...(schema.required ?? [])].sort(), ['hosts', 'name']);
  t.truthy(prop(schema, '$schema'), 'a spec may name its schema for editors');
});
