// The documented meaning of filters, case by case, checked in SQL and in memory alike: blanks,
// empty lookups, LIKE specials, case folding, text order, multi-picklists, tenants.

import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/index.ts';
import { compileFilter, compileJoins, createQueryContext, createQueryScope, evaluateFilter, tableOf, validateFilter } from '../index.ts';
import { createSalesCatalog } from '../test-support/sales-catalog.ts';
import { openSalesDatabase, type SalesData } from '../test-support/sales-data.ts';

const catalog = createSalesCatalog();
const context = createQueryContext({ timeZone: 'Asia/Tokyo', now: new Date('2026-03-31T03:00:00Z'), userId: '00000000-0000-7000-8000-0000000000a1' });

const alice = { id: '00000000-0000-7000-8000-0000000000a1', email: 'alice@example.jp' };
const acme = { id: '00000000-0000-7000-8000-00000000ac01', name: 'ACME', industry: null, tier: 2, owner: alice, ownerId: null, createdAt: null };
const blankAccount = { ...acme, id: '00000000-0000-7000-8000-00000000ac02', name: null, tier: null, owner: null };
const deal = (id: number, fields: Record<string, unknown>) => ({
  id: `00000000-0000-7000-8000-${String(id).padStart(12, '0')}`,
  createdAt: null, ownerId: null, name: null, amount: null, quantity: null, probability: null, closed: null, closeDate: null,
  lastContact: null, stage: null, tags: null, account: null, billingAddress: null,
  ...fields,
});

const data: SalesData = {
  users: [alice],
  accounts: [acme, blankAccount],
  deals: [
    deal(1, { name: '100% sure', account: acme, tags: ['a', 'b'], ownerId: alice }),
    deal(2, { name: '1000 sure', account: blankAccount, tags: [] }),
    deal(3, { name: 'a_b\\c', tags: ['b'], amount: { amount: 1500, currency: 'JPY' }, quantity: 2 }),
    deal(4, { name: 'ÄBC', tags: null, amount: { amount: 999.99, currency: 'USD' } }),
    deal(5, { name: 'äbc', billingAddress: { city: '京都市' } }),
    deal(6, { name: 'Zebra', stage: 'won', closed: true }),
    deal(7, { name: '😀', stage: 'lost', closed: false }),
    deal(8, { name: '\uffff' }),
  ],
};

let testDatabase: TestDatabase;
let db: Kysely<unknown>;

beforeAll(async () => {
  testDatabase = await createTestDatabase(inject('databaseUrl'));
  db = await openSalesDatabase(testDatabase.url, data);
});

afterAll(async () => {
  await db?.destroy();
  await testDatabase?.drop();
});

/** Numbers of the deals a filter selects, after checking that SQL and memory agree. */
async function select(raw: unknown): Promise<number[]> {
  const filter = validateFilter(raw, 'deal', catalog);
  const scope = createQueryScope(catalog, 'deal', 't');
  const where = compileFilter(filter, scope, context);
  const { rows } = await sql<{ id: string }>`select t.id from ${tableOf(scope)} as t ${compileJoins(scope)} where ${where} order by t.id`.execute(db);
  const inSql = rows.map((row) => Number(row.id.slice(-12)));
  const inMemory = data.deals.filter((record) => evaluateFilter(filter, record, context)).map((record) => Number((record.id as string).slice(-12)));
  expect(inSql).toEqual(inMemory);
  return inSql;
}

describe('filter semantics, in SQL and in memory', () => {
  it('treats a blank value as different from any value: ne and notIn include it', async () => {
    expect(await select({ field: 'stage', op: 'eq', value: 'won' })).toEqual([6]);
    expect(await select({ field: 'stage', op: 'ne', value: 'won' })).toEqual([1, 2, 3, 4, 5, 7, 8]);
    expect(await select({ field: 'stage', op: 'notIn', value: ['won', 'lost'] })).toEqual([1, 2, 3, 4, 5, 8]);
    expect(await select({ not: { field: 'closed', op: 'eq', value: true } })).toEqual([1, 2, 3, 4, 5, 7, 8]);
    expect(await select({ field: 'amount', op: 'lt', value: 1000 })).toEqual([4]);
    expect(await select({ not: { field: 'amount', op: 'gte', value: 1000 } })).toEqual([1, 2, 4, 5, 6, 7, 8]);
  });

  it('makes conditions through an empty lookup false, except isNull: true', async () => {
    expect(await select({ field: 'account.name', op: 'ne', value: 'ACME' })).toEqual([2]);
    expect(await select({ field: 'account.tier', op: 'notIn', value: [1] })).toEqual([1, 2]);
    expect(await select({ field: 'account.name', op: 'isNull' })).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(await select({ field: 'account.owner.email', op: 'eq', value: 'alice@example.jp' })).toEqual([1]);
    expect(await select({ not: { field: 'account.owner.email', op: 'eq', value: 'alice@example.jp' } })).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(await select({ field: 'accountScore', op: 'isNull', value: false })).toEqual([1]);
  });

  it('matches contains and startsWith literally (%, _, \\) and folds only A-Z', async () => {
    expect(await select({ field: 'name', op: 'contains', value: '%' })).toEqual([1]);
    expect(await select({ field: 'name', op: 'startsWith', value: '100' })).toEqual([1, 2]);
    expect(await select({ field: 'name', op: 'contains', value: '_' })).toEqual([3]);
    expect(await select({ field: 'name', op: 'contains', value: 'B\\C' })).toEqual([3]);
    expect(await select({ field: 'name', op: 'contains', value: 'bc' })).toEqual([4, 5]);
    expect(await select({ field: 'name', op: 'startsWith', value: 'ä' })).toEqual([5]);
    expect(await select({ field: 'billingAddress.city', op: 'contains', value: '京都' })).toEqual([5]);
  });

  it('orders text by code point, so an emoji sorts after U+FFFF and capitals before small letters', async () => {
    expect(await select({ field: 'name', op: 'gt', value: '\uffff' })).toEqual([7]);
    expect(await select({ field: 'name', op: 'between', value: ['Z', 'a'] })).toEqual([6]);
  });

  it('compares multi-picklists as sets', async () => {
    expect(await select({ field: 'tags', op: 'contains', value: 'b' })).toEqual([1, 3]);
    expect(await select({ field: 'tags', op: 'contains', value: ['a', 'b'] })).toEqual([1]);
    expect(await select({ field: 'tags', op: 'eq', value: ['b', 'a'] })).toEqual([1]);
    expect(await select({ field: 'tags', op: 'in', value: ['a', 'c'] })).toEqual([1]);
    expect(await select({ field: 'tags', op: 'notIn', value: ['a'] })).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(await select({ field: 'tags', op: 'isNull' })).toEqual([2, 4, 5, 6, 7, 8]);
  });

  it('compares a currency by its amount, and its code as text', async () => {
    expect(await select({ field: 'amount', op: 'between', value: [999.99, 1500] })).toEqual([3, 4]);
    expect(await select({ field: 'amount.currency', op: 'eq', value: 'USD' })).toEqual([4]);
    expect(await select({ field: 'total', op: 'eq', value: 3000 })).toEqual([3]);
    expect(await select({ field: 'ownerId', op: 'eq', value: { $var: 'user.id' } })).toEqual([1]);
  });

  it('matches everything with an empty and, nothing with an empty or', async () => {
    expect(await select({ and: [] })).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await select({ or: [] })).toEqual([]);
    expect(await select({ field: 'stage', op: 'in', value: [] })).toEqual([]);
  });

  it('never follows a lookup into another workspace, even where ids are shared', async () => {
    // openSalesDatabase stores every user a second time in workspace ws-2 with the e-mail other-….
    expect(await select({ field: 'account.owner.email', op: 'startsWith', value: 'other-' })).toEqual([]);
    expect(await select({ field: 'ownerId.email', op: 'isNull', value: false })).toEqual([1]);
    const scope = createQueryScope(catalog, 'deal', 't');
    compileFilter(validateFilter({ field: 'account.owner.email', op: 'eq', value: 'x' }, 'deal', catalog), scope, context);
    const compiled = compileJoins(scope).compile(db);
    expect(compiled.sql).toBe(
      'left join "ws_sales"."account" as "j1" on "j1"."id" = "t"."account_id" left join "ws_sales"."app_user" as "j2" on "j2"."id" = "j1"."account_owner_id" and "j2"."workspace_id" = $1',
    );
    expect(compiled.parameters).toEqual(['ws-1']);
  });
});

describe('compiled filters', () => {
  it('join each lookup path once, whatever uses it', () => {
    const scope = createQueryScope(catalog, 'deal', 't');
    const filter = validateFilter(
      { and: [{ field: 'account.name', op: 'eq', value: 'x' }, { field: 'account.owner.email', op: 'eq', value: 'y' }, { field: 'accountScore', op: 'gt', value: 1 }] },
      'deal',
      catalog,
    );
    compileFilter(filter, scope, context);
    expect(scope.joins.map((join) => [join.key, join.alias])).toEqual([
      ['account', 'j1'],
      ['account.owner', 'j2'],
    ]);
  });

  it('read as plain SQL with typed parameters', () => {
    const scope = createQueryScope(catalog, 'deal', 't');
    const filter = validateFilter(
      { or: [{ field: 'name', op: 'contains', value: '50%_off' }, { not: { field: 'closeDate', op: 'eq', value: { $date: 'thisMonth' } } }] },
      'deal',
      catalog,
    );
    const compiled = compileFilter(filter, scope, context).compile(db);
    expect(compiled.sql).toBe(
      '(("t"."name" is not null and "t"."name" collate "C" ilike $1::text) or (not ("t"."close_date" is not null and ("t"."close_date" >= $2::date and "t"."close_date" < $3::date))))',
    );
    expect(compiled.parameters).toEqual(['%50\\%\\_off%', '2026-03-01', '2026-04-01']);
  });
});
