import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorCodeOf } from '../test-support/error-code.ts';
import { restrictCatalog, validateFilter, validateSort } from '../index.ts';
import { createSalesCatalog } from '../test-support/sales-catalog.ts';

const catalog = createSalesCatalog();
// The user may not read deal amounts, account tiers or user e-mails.
const hidden = new Set(['deal.amount', 'account.tier', 'user.email']);
const visible = restrictCatalog(catalog, (object, field) => !hidden.has(`${object.name}.${field.name}`));

const paths = ['amount', 'amount.currency', 'account.tier', 'account.owner.email', 'ownerId.email', 'total', 'big', 'accountScore', 'account.score', 'name', 'account.name', 'stage'];
const forbidden = new Set(['amount', 'amount.currency', 'account.tier', 'account.owner.email', 'ownerId.email', 'total', 'big', 'accountScore', 'account.score']);


describe('restrictCatalog (field permissions in queries)', () => {
  it('rejects any filter or sort that reads a hidden field, by any path, formulas included', () => {
    const condition = fc.record({ field: fc.constantFrom(...paths), op: fc.constant('isNull'), value: fc.boolean() });
    const filter = fc.oneof(condition, fc.record({ and: fc.array(condition, { minLength: 1, maxLength: 3 }) }), fc.record({ not: condition }));
    fc.assert(
      fc.property(filter, (raw) => {
        const fields = JSON.stringify(raw).match(/"field":"([^"]+)"/g)!.map((match) => match.slice(9, -1));
        const readsHidden = fields.some((field) => forbidden.has(field));
        expect(errorCodeOf(() => validateFilter(raw, 'deal', visible))).toBe(readsHidden ? 'INVALID_FILTER' : undefined);
        expect(errorCodeOf(() => validateFilter(raw, 'deal', catalog))).toBeUndefined();
        const sortable = fields.filter((field) => field !== 'amount.currency');
        if (sortable.length > 0) {
          const sort = sortable.map((field) => ({ field, direction: 'asc' }));
          expect(errorCodeOf(() => validateSort(sort, 'deal', visible))).toBe(sortable.some((field) => forbidden.has(field)) ? 'INVALID_SORT' : undefined);
        }
      }),
      { numRuns: 200, seed: 46 },
    );
  });
});
