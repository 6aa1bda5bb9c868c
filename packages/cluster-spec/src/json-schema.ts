import * as z from 'zod';
import { clusterSpecSchema } from './schema.js';

/** The JSON Schema of the spec (draft 2020-12), for editors: `"$schema": ".../k8sm-spec.schema.json"`. */
export function specJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(clusterSpecSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://unpkg.com/@k8sm/spec/schema/k8sm-spec.schema.json',
  };
}

/** Serialised exactly as shipped in schema/k8sm-spec.schema.json. */
export function specJsonSchemaText(): string {
  return `${JSON.stringify(specJsonSchema(), null, 2)}\n`;
}
