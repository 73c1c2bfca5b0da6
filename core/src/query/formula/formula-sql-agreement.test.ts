// Formula fields are computed by PostgreSQL when records are listed, filtered and sorted, and in
// memory when a workflow looks at a record: both must give the same value, to the last digit.

import fc from 'fast-check';
import type { FormulaReturnType } from '@daicho/sdk';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/index.ts';
import { formatIsoDate } from '../calendar/civil-date.ts';
import { DaichoError } from '../../errors/index.ts';
import { checkFormula, compileFormula, compileJoins, createQueryContext, createQueryScope, tableOf } from '../index.ts';
import { formulaArbitraries } from '../test-support/formula-arbitraries.ts';
import { createSalesCatalog } from '../test-support/sales-catalog.ts';
import { generateSalesData, openSalesDatabase, salesNow, type SalesData } from '../test-support/sales-data.ts';
import { formatDecimal, type Decimal } from './decimal.ts';
import { evaluateFormulaValue } from './evaluate-formula.ts';
import type { FormulaValue } from './formula-ast.ts';

const catalog = createSalesCatalog();
let testDatabase: TestDatabase;
let db: Kysely<unknown>;
let data: SalesData;

beforeAll(async () => {
  testDatabase = await createTestDatabase(inject('databaseUrl'));
  data = generateSalesData(77);
  db = await openSalesDatabase(testDatabase.url, data);
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await testDatabase?.drop();
});

/** Both sides as text: numbers with their full scale, dates as ISO. */
function sqlAsText(expression: RawBuilder<unknown>, type: FormulaReturnType): RawBuilder<unknown> {
  switch (type) {
    case 'date':
      return sql`to_char(${expression}, 'YYYY-MM-DD')`;
    case 'datetime':
      return sql`to_char(${expression} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    default:
      return sql`(${expression})::text`;
  }
}

function memoryAsText(value: FormulaValue, type: FormulaReturnType): string | null {
  if (value === null) return null;
  switch (type) {
    case 'number':
      return formatDecimal(value as Decimal);
    case 'date':
      return formatIsoDate(value as number);
    case 'datetime':
      return new Date(value as number).toISOString();
    default:
      return String(value);
  }
}

describe('formulas in SQL and in memory', () => {
  const formulas = formulaArbitraries(3);
  const anyFormula = fc.oneof(formulas.number, formulas.text, formulas.boolean, formulas.date, formulas.datetime);

  it('compute the same value for every deal', async () => {
    let discriminating = 0;
    await fc.assert(
      fc.asyncProperty(anyFormula, fc.constantFrom('UTC', 'Asia/Tokyo', 'America/Los_Angeles'), async (text, timeZone) => {
        let checked;
        try {
          checked = checkFormula(text, 'deal', catalog);
        } catch (error) {
          // A formula that is blank whatever happens has no type: not what this property is about.
          const codes = error instanceof DaichoError ? (error.details as { problems: { code: string }[] }).problems.map((p) => p.code) : [];
          fc.pre(!codes.every((code) => code === 'noType'));
          throw error;
        }
        const context = createQueryContext({ timeZone, now: salesNow });
        const scope = createQueryScope(catalog, 'deal', 't');
        const value = sqlAsText(compileFormula(checked, scope, context), checked.returnType);
        const { rows } = await sql<{ id: string; value: string | null }>`select t.id, ${value} as value from ${tableOf(scope)} as t ${compileJoins(scope)}`.execute(db);
        const fromSql = new Map(rows.map((row) => [row.id, row.value]));
        if (new Set(fromSql.values()).size > 1) discriminating++;
        for (const deal of data.deals) {
          const inMemory = memoryAsText(evaluateFormulaValue(checked, deal, context), checked.returnType);
          expect({ formula: text, id: deal.id, value: fromSql.get(deal.id as string) }).toEqual({ formula: text, id: deal.id, value: inMemory });
        }
      }),
      { numRuns: Number(process.env.QUERY_PROPERTY_RUNS ?? 300), seed: Number(process.env.QUERY_PROPERTY_SEED ?? 2026) },
    );
    // Formulas that give every deal the same value prove little: most must tell deals apart.
    expect(discriminating).toBeGreaterThan(Number(process.env.QUERY_PROPERTY_RUNS ?? 300) / 3);
  }, 120_000);
});
