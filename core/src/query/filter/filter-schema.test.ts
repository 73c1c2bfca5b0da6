// The meta-schema checks a filter's shape for the admin UI and plugin builds; validateFilter checks
// the same shape and more. Whatever validateFilter accepts, the schema must accept too.

import filterSchema from '@daicho/sdk/schemas/filter.schema.json' with { type: 'json' };
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateFilter } from '../index.ts';
import { filterArbitrary } from '../test-support/filter-arbitraries.ts';
import { createSalesCatalog } from '../test-support/sales-catalog.ts';
import { generateSalesData } from '../test-support/sales-data.ts';

const ajv = new Ajv2020({ strict: true, allErrors: true });
const matchesSchema = ajv.compile(filterSchema);

describe('filter.schema.json', () => {
  it('accepts every filter validateFilter accepts', () => {
    const catalog = createSalesCatalog();
    fc.assert(
      fc.property(filterArbitrary(generateSalesData(3, 20)), (raw) => {
        const normalised = validateFilter(raw, 'deal', catalog);
        expect(matchesSchema(raw), JSON.stringify(matchesSchema.errors)).toBe(true);
        expect(matchesSchema(normalised)).toBe(true);
      }),
      { numRuns: 300, seed: 9 },
    );
  });

  it.each([
    ['a condition with an extra key', { field: 'name', op: 'eq', value: 'x', extra: true }],
    ['an unknown operator', { field: 'name', op: 'like', value: 'x' }],
    ['a missing value', { field: 'name', op: 'eq' }],
    ['isNull with text', { field: 'name', op: 'isNull', value: 'yes' }],
    ['in with one value', { field: 'name', op: 'in', value: 'x' }],
    ['between with three values', { field: 'amount', op: 'between', value: [1, 2, 3] }],
    ['a hostile field path', { field: 'name; drop table deal', op: 'eq', value: 'x' }],
    ['lastNDays without n', { field: 'closeDate', op: 'eq', value: { $date: 'lastNDays' } }],
    ['today with n', { field: 'closeDate', op: 'eq', value: { $date: 'today', n: 1 } }],
    ['an unknown variable', { field: 'ownerId', op: 'eq', value: { $var: 'user.email' } }],
    ['a group with two keys', { and: [], or: [] }],
  ])('refuses %s, as validateFilter does', (_name, raw) => {
    expect(matchesSchema(raw)).toBe(false);
    expect(() => validateFilter(raw, 'deal', createSalesCatalog())).toThrow(expect.objectContaining({ code: 'INVALID_FILTER' }));
  });
});
