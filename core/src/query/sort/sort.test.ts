import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DaichoError } from '../../errors/index.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/index.ts';
import { checkFieldFormula } from '../formula/check-formula.ts';
import { compareDecimals, type Decimal } from '../formula/decimal.ts';
import { evaluateFormulaValue } from '../formula/evaluate-formula.ts';
import { compileJoins, compileSort, createQueryContext, createQueryScope, tableOf, validateSort } from '../index.ts';
import { isPathProblem, resolveFieldPath } from '../paths/field-paths.ts';
import { createSalesCatalog } from '../test-support/sales-catalog.ts';
import { generateSalesData, openSalesDatabase, salesNow, type SalesData } from '../test-support/sales-data.ts';
import { readRecordPath, readTypedValue, type RecordData, type TypedValue } from '../values/record-values.ts';
import { compareCodePoints } from '../values/text-rules.ts';

const catalog = createSalesCatalog();
const context = createQueryContext({ timeZone: 'Asia/Tokyo', now: salesNow });

function problemsOf(raw: unknown): Array<{ path: string; code: string }> {
  try {
    validateSort(raw, 'deal', catalog);
    return [];
  } catch (error) {
    if (!(error instanceof DaichoError)) throw error;
    expect(error.code).toBe('INVALID_SORT');
    return (error.details as { problems: Array<{ path: string; code: string }> }).problems.map(({ path, code }) => ({ path, code }));
  }
}

describe('validateSort', () => {
  it.each([
    ['not a list', { field: 'name' }, [{ path: '', code: 'invalidNode' }]],
    ['an unknown field', [{ field: 'nope', direction: 'asc' }], [{ path: '/0/field', code: 'unknownField' }]],
    ['a bad direction', [{ field: 'name', direction: 'up' }], [{ path: '/0/direction', code: 'invalidDirection' }]],
    ['a multi-picklist', [{ field: 'tags', direction: 'asc' }], [{ path: '/0/field', code: 'notSortable' }]],
    ['a field neither filterable nor sortable', [{ field: 'notes', direction: 'asc' }], [{ path: '/0/field', code: 'notFilterable' }]],
    ['an extra key', [{ field: 'name', direction: 'asc', nulls: 'first' }], [{ path: '/0/nulls', code: 'unknownKey' }]],
    ['nine keys', Array.from({ length: 9 }, () => ({ field: 'name', direction: 'asc' })), [{ path: '', code: 'tooManySortKeys' }]],
  ])('reports %s', (_name, raw, expected) => {
    expect(problemsOf(raw)).toEqual(expected);
  });
});

/** The value a sort key reads from a record, in memory. */
function sortValue(record: RecordData, path: string): TypedValue {
  const resolved = resolveFieldPath(catalog, catalog.object('deal')!, path, { use: 'sort', maxLookups: 3 });
  if (isPathProblem(resolved)) throw new Error(resolved.message);
  const { present, owner, raw } = readRecordPath(record, resolved);
  if (!present) return null;
  if (resolved.field.formula) return evaluateFormulaValue(checkFieldFormula(catalog, resolved.object, resolved.field), owner!, context) as TypedValue;
  return readTypedValue(resolved.valueType, raw, path);
}

function compareValues(a: TypedValue, b: TypedValue): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'string') return compareCodePoints(a, b as string);
  if (typeof a === 'object') return compareDecimals(a as Decimal, b as Decimal);
  return Number(a) - Number(b);
}

describe('compileSort', () => {
  let testDatabase: TestDatabase;
  let db: Kysely<unknown>;
  let data: SalesData;
  beforeAll(async () => {
    testDatabase = await createTestDatabase(inject('databaseUrl'));
    data = generateSalesData(99, 150);
    db = await openSalesDatabase(testDatabase.url, data);
  }, 60_000);
  afterAll(async () => {
    await db?.destroy();
    await testDatabase?.drop();
  });

  it('orders as a memory sort by code point would, nulls last ascending and first descending', async () => {
    const paths = ['name', 'amount', 'amount.currency', 'closeDate', 'lastContact', 'closed', 'stage', 'account.name', 'account.owner.email', 'total', 'label', 'billingAddress.city'];
    const keyArbitrary = fc.record({ field: fc.constantFrom(...paths), direction: fc.constantFrom('asc' as const, 'desc' as const) });
    await fc.assert(
      fc.asyncProperty(fc.array(keyArbitrary, { minLength: 1, maxLength: 3 }), async (keys) => {
        const scope = createQueryScope(catalog, 'deal', 't');
        const { orderBy } = compileSort(validateSort(keys, 'deal', catalog), scope, context);
        const { rows } = await sql<{ id: string }>`select t.id from ${tableOf(scope)} as t ${compileJoins(scope)} order by ${orderBy}, t.id`.execute(db);
        const inMemory = [...data.deals].sort((a, b) => {
          for (const key of keys) {
            const order = compareValues(sortValue(a, key.field), sortValue(b, key.field));
            if (order !== 0) return key.direction === 'asc' ? order : -order;
          }
          return compareCodePoints(a.id as string, b.id as string);
        });
        expect(rows.map((row) => row.id)).toEqual(inMemory.map((deal) => deal.id));
      }),
      { numRuns: 60, seed: 12 },
    );
  }, 60_000);
});
