// The central promise of the filter language: compiled to SQL and run by PostgreSQL, or evaluated
// in memory on the records API's JSON, a filter selects the same records.

import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/index.ts';
import { compileFilter, compileJoins, createQueryContext, createQueryScope, evaluateFilter, tableOf, validateFilter } from '../index.ts';
import { filterArbitrary } from '../test-support/filter-arbitraries.ts';
import { createSalesCatalog } from '../test-support/sales-catalog.ts';
import { generateSalesData, openSalesDatabase, salesNow, type SalesData } from '../test-support/sales-data.ts';

const catalog = createSalesCatalog();
const timeZones = ['UTC', 'Asia/Tokyo', 'America/New_York', 'Pacific/Kiritimati', 'America/Sao_Paulo'];
const instants = [salesNow, new Date('2026-12-31T23:59:59.999Z'), new Date('2026-06-30T15:00:00.000Z'), new Date('2025-12-31T14:59:00.000Z')];

let testDatabase: TestDatabase;
let db: Kysely<unknown>;
let data: SalesData;

beforeAll(async () => {
  testDatabase = await createTestDatabase(inject('databaseUrl'));
  data = generateSalesData(20_261_122);
  db = await openSalesDatabase(testDatabase.url, data);
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await testDatabase?.drop();
});

async function selectIds(filter: ReturnType<typeof validateFilter>, context: ReturnType<typeof createQueryContext>): Promise<string[]> {
  const scope = createQueryScope(catalog, 'deal', 't');
  const where = compileFilter(filter, scope, context);
  const result = await sql<{ id: string }>`select t.id from ${tableOf(scope)} as t ${compileJoins(scope)} where ${where}`.execute(db);
  return result.rows.map((row) => row.id).sort();
}

describe('filters in SQL and in memory', () => {
  it('select the same deals, for random filters, time zones and instants', async () => {
    const user = data.users[0]!;
    let matchedSome = 0;
    await fc.assert(
      fc.asyncProperty(filterArbitrary(data), fc.constantFrom(...timeZones), fc.constantFrom(...instants), async (raw, timeZone, now) => {
        const filter = validateFilter(raw, 'deal', catalog);
        const context = createQueryContext({ userId: user.id, timeZone, now });
        const inMemory = data.deals.filter((deal) => evaluateFilter(filter, deal, context)).map((deal) => deal.id as string).sort();
        const inSql = await selectIds(filter, context);
        if (inSql.length > 0 && inSql.length < data.deals.length) matchedSome++;
        expect(inSql).toEqual(inMemory);
      }),
      { numRuns: Number(process.env.QUERY_PROPERTY_RUNS ?? 300), seed: Number(process.env.QUERY_PROPERTY_SEED ?? 42) },
    );
    // The generators must produce filters that discriminate, or the property proves little.
    expect(matchedSome).toBeGreaterThan(Number(process.env.QUERY_PROPERTY_RUNS ?? 300) / 3);
  }, 60_000);

  it('agree on every operator of every field kind, with no nesting', async () => {
    const context = createQueryContext({ userId: data.users[1]!.id, timeZone: 'Asia/Tokyo', now: salesNow });
    await fc.assert(
      fc.asyncProperty(filterArbitrary(data).filter((raw) => typeof raw === 'object' && raw !== null && 'field' in raw), async (raw) => {
        const filter = validateFilter(raw, 'deal', catalog);
        const inMemory = data.deals.filter((deal) => evaluateFilter(filter, deal, context)).map((deal) => deal.id as string).sort();
        expect(await selectIds(filter, context)).toEqual(inMemory);
      }),
      { numRuns: 200, seed: 7 },
    );
  }, 60_000);
});
