import { describe, expect, it } from 'vitest';
import { objectMetaSchema } from '../schemas.ts';
import { fieldTypes } from './field-types.ts';

type JsonSchema = { $defs: Record<string, { properties?: Record<string, unknown>; oneOf?: Array<{ $ref: string }> }> };

describe('object.schema.json', () => {
  const schema = objectMetaSchema as unknown as JsonSchema;

  it('defines exactly the field types of the TypeScript contract, one branch each', () => {
    const branches = schema.$defs.field!.oneOf!.map((branch) => branch.$ref.replace('#/$defs/', '').replace(/Field$/, ''));
    expect(branches.sort()).toEqual([...fieldTypes].sort());
    for (const type of fieldTypes) {
      expect(schema.$defs[`${type}Field`]!.properties!.type).toEqual({ const: type });
    }
  });

  it('gives every field branch the common properties', () => {
    for (const type of fieldTypes) {
      const properties = Object.keys(schema.$defs[`${type}Field`]!.properties!);
      expect(properties).toEqual(expect.arrayContaining(['id', 'column', 'name', 'labels', 'help', 'type']));
    }
  });
});
