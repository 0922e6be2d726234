import { describe, expect, it } from 'vitest';
import { mappingJsonSchema } from '../../../src/mapping/schema.js';

describe('mappings/mapping.schema.json', () => {
  // Generated from the zod schema; `npx vitest run -u --config test/vitest.config.ts
  // test/unit/mapping/json-schema.test.ts` rewrites it after a change to src/mapping/schema.ts.
  it('is the JSON Schema of the zod schema', async () => {
    await expect(`${JSON.stringify(mappingJsonSchema(), null, 2)}\n`).toMatchFileSnapshot('../../../mappings/mapping.schema.json');
  });

  it('describes the two forms of a field', () => {
    const schema = mappingJsonSchema() as { properties: { fields: { additionalProperties: { anyOf: Array<{ type: string }> } } } };
    expect(schema.properties.fields.additionalProperties.anyOf.map((s) => s.type)).toEqual(['string', 'object']);
  });
});
