import type { FieldDefinition } from '@daicho/sdk';
import { describe, expect, it } from 'vitest';
import { operatorsFor, toFilter } from './filter-rows.ts';

describe('filter builder rows', () => {
  it('combines complete rows with and, leaving out incomplete ones', () => {
    expect(
      toFilter([
        { key: 1, field: 'stage', op: 'eq', value: 'won' },
        { key: 2, field: 'amount', op: 'gte' },
        { key: 3, field: 'closeDate', op: 'isNull' },
        { key: 4, field: 'title', op: 'contains', value: '' },
      ]),
    ).toEqual({ and: [{ field: 'stage', op: 'eq', value: 'won' }, { field: 'closeDate', op: 'isNull', value: true }] });
  });

  it('gives no filter when no row is complete', () => {
    expect(toFilter([{ key: 1 }])).toBeUndefined();
  });

  it('offers the operators of each field type', () => {
    const field = (type: string, extra: object = {}) => ({ name: 'f', labels: { en: 'F' }, type, ...extra }) as FieldDefinition;
    expect(operatorsFor(field('text'))).toContain('contains');
    expect(operatorsFor(field('currency'))).toEqual(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'isNull']);
    expect(operatorsFor(field('picklist', { values: [] }))).not.toContain('contains');
    expect(operatorsFor(field('boolean'))).toEqual(['eq', 'isNull']);
    expect(operatorsFor(field('json'))).toEqual([]);
  });
});
