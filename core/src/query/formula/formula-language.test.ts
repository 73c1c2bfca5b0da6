import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DaichoError } from '../../errors/index.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/index.ts';
import type { QueryField } from '../catalog.ts';
import { checkFieldFormula, checkFormula, compileFormula, createQueryContext, createQueryScope, evaluateFormula, parseFormula } from '../index.ts';
import { createSalesCatalog } from '../test-support/sales-catalog.ts';

const catalog = createSalesCatalog();
const context = createQueryContext({ timeZone: 'Asia/Tokyo', now: new Date('2026-03-31T15:30:00.000Z') });

function problemsOf(run: () => unknown): Array<{ position: number; line: number; column: number; code: string }> {
  try {
    run();
  } catch (error) {
    if (!(error instanceof DaichoError)) throw error;
    expect(error.code).toBe('INVALID_FORMULA');
    return (error.details as { problems: Array<{ position: number; line: number; column: number; code: string }> }).problems.map(
      ({ position, line, column, code }) => ({ position, line, column, code }),
    );
  }
  return [];
}

describe('parseFormula', () => {
  it('builds a tree with operator precedence and source positions', () => {
    const { root } = parseFormula('1 + 2 * amount >= 3 && NOT closed');
    expect(root).toMatchObject({ kind: 'call', name: 'AND', start: 0, end: 33 });
    const [comparison, negation] = (root as { args: unknown[] }).args;
    expect(comparison).toMatchObject({ name: 'GE', args: [{ name: 'ADD', args: [{ text: '1' }, { name: 'MUL' }] }, { text: '3' }] });
    expect(negation).toMatchObject({ name: 'NOT', args: [{ kind: 'field', path: 'closed', start: 27, end: 33 }] });
    expect(parseFormula('if(a, "x", \'y\')').root).toMatchObject({ name: 'IF', args: [{ path: 'a' }, { value: 'x' }, { value: 'y' }] });
    expect(parseFormula('"say \\"hi\\"\\n"').root).toMatchObject({ value: 'say "hi"\n' });
    expect(parseFormula('a AND (b) OR AND(c, d)').root).toMatchObject({ name: 'OR', args: [{ name: 'AND' }, { name: 'AND', isOperator: false }] });
  });

  it.each([
    ['1 +', 3, 1, 4],
    ['IF(a, b', 7, 1, 8],
    ['"open', 0, 1, 1],
    ['amount\n  * # 2', 11, 2, 5],
    ['account.', 8, 1, 9],
    ['1 2', 2, 1, 3],
    ['"\\q"', 1, 1, 2],
    ['12abc', 0, 1, 1],
    ['/* never closed', 0, 1, 1],
  ])('reports a syntax error in %j at offset %i (line %i, column %i)', (text, position, line, column) => {
    expect(problemsOf(() => parseFormula(text))).toEqual([{ position, line, column, code: 'syntax' }]);
  });

  it('limits length and nesting', () => {
    expect(problemsOf(() => parseFormula('1'.repeat(4001)))[0]?.code).toBe('tooLong');
    expect(problemsOf(() => parseFormula(`${'('.repeat(50)}1${')'.repeat(50)}`))).toEqual([]);
    expect(problemsOf(() => parseFormula(`${'('.repeat(51)}1${')'.repeat(51)}`))[0]).toMatchObject({ code: 'tooDeep', position: 50 });
    expect(problemsOf(() => parseFormula(Array.from({ length: 1500 }, () => '1').join('+')))).toEqual([]);
  });
});

describe('checkFormula', () => {
  it('returns the type and the field paths read', () => {
    expect(checkFormula('IF(amount > 1000, account.name & "!", UPPER(stage))', 'deal', catalog)).toMatchObject({
      returnType: 'text',
      references: ['amount', 'account.name', 'stage'],
    });
    expect(checkFormula('accountScore * 2', 'deal', catalog)).toMatchObject({ returnType: 'number', formulaFields: ['deal.accountScore', 'account.score'] });
  });

  it.each([
    ['amount + name', 'typeMismatch', 9],
    ['IF(closed, 1, "one")', 'typeMismatch', 14],
    ['IF(amount, 1, 2)', 'typeMismatch', 3],
    ['CASE(stage, 1, "x", "y")', 'typeMismatch', 12],
    ['closeDate + 1', 'typeMismatch', 0],
    ['lastContact < closeDate', 'typeMismatch', 14],
    ['closed < TRUE', 'typeMismatch', 0],
    ['ROUND(amount, 2, 3)', 'wrongArgumentCount', 0],
    ['TODAY(1)', 'wrongArgumentCount', 0],
    ['SUM(amount)', 'unknownFunction', 0],
    ['ADD(1, 2)', 'unknownFunction', 0],
    ['amont * 2', 'unknownField', 0],
    ['account.nope', 'unknownField', 0],
    ['tags', 'unsupportedField', 0],
    ['billingAddress', 'unknownField', 0],
    ['NULL', 'noType', 0],
    ['IF(closed, NULL, NULL)', 'noType', 0],
  ])('refuses %j with %s at %i', (text, code, position) => {
    expect(problemsOf(() => checkFormula(text, 'deal', catalog))[0]).toMatchObject({ code, position });
  });

  it('reports every type error, not only the first', () => {
    expect(problemsOf(() => checkFormula('(amount + name) & (closed * 2)', 'deal', catalog)).map((problem) => problem.code)).toEqual([
      'typeMismatch',
      'typeMismatch',
    ]);
  });

  it('finds cycles between formula fields, also through formulas checked before', () => {
    const formula = (name: string, expression: string): QueryField => ({
      name,
      type: 'formula',
      valueType: 'number',
      formula: { expression, returnType: 'number' },
      filterable: true,
      sortable: true,
    });
    const cyclic = createSalesCatalog({ dealFields: [formula('a', 'b + 1'), formula('b', 'a + 1'), formula('self', 'self')] });
    expect(problemsOf(() => checkFormula('a * 2', 'deal', cyclic))[0]?.code).toBe('circularReference');
    expect(problemsOf(() => checkFormula('self', 'deal', cyclic))[0]?.code).toBe('circularReference');
    const chain = createSalesCatalog({ dealFields: [formula('p', 'q + 1'), formula('q', 'r + 1'), formula('r', '1')] });
    const deal = chain.object('deal')!;
    checkFieldFormula(chain, deal, deal.fields.get('p')!);
    // r is being redefined to use p, which uses r: a cycle, though p's check is cached.
    expect(problemsOf(() => checkFormula('p + 1', 'deal', chain, { fieldName: 'r' }))[0]?.code).toBe('circularReference');
    expect(problemsOf(() => checkFormula('q + 1', 'deal', chain, { fieldName: 'p' }))).toEqual([]);
  });

  it('bounds the size of formulas once the formulas they use are inlined', () => {
    const fields: QueryField[] = [{ name: 'f0', type: 'formula', valueType: 'number', formula: { expression: 'quantity', returnType: 'number' }, filterable: true, sortable: true }];
    for (let level = 1; level <= 14; level++) {
      fields.push({ ...fields[0]!, name: `f${level}`, formula: { expression: `f${level - 1} + f${level - 1}`, returnType: 'number' } });
    }
    const doubling = createSalesCatalog({ dealFields: fields });
    expect(checkFormula('f10', 'deal', doubling).expandedSize).toBeLessThan(10_000);
    expect(problemsOf(() => checkFormula('f14', 'deal', doubling))[0]?.code).toBe('tooComplex');
  });
});

/** Formulas on no record at all, with their value in memory and in SQL. */
const values: Array<[string, string | number | boolean | null]> = [
  ['ROUND(2.5)', 3],
  ['ROUND(-2.5)', -3],
  ['ROUND(1.005, 2)', 1.01],
  ['ROUND(-1.005, 2)', -1.01],
  ['ROUND(1234.5, -2)', 1200],
  ['ROUND(2.675, 2)', 2.68],
  ['0.1 + 0.2 = 0.3', true],
  ['1 / 3 * 3 = 1', false],
  ['TEXT(10 / 4)', '2.5'],
  ['TEXT(1 / 3)', '0.33333333333333333333'],
  ['TEXT(2.50 * 2)', '5'],
  ['1 / 0', null],
  ['MOD(7, 0)', null],
  ['MOD(-7.5, 2)', -1.5],
  ['FLOOR(-0.5)', -1],
  ['CEILING(-0.5)', 0],
  ['ADDMONTHS(DATE(2026, 1, 31), 1)', '2026-02-28'],
  ['ADDMONTHS(DATE(2024, 1, 31), 1)', '2024-02-29'],
  ['ADDMONTHS(DATE(2024, 3, 31), -1)', '2024-02-29'],
  ['ADDMONTHS(DATE(2025, 8, 31), 18)', '2027-02-28'],
  ['DATE(2026, 2, 30)', '2026-03-02'],
  ['DATE(2026, 13, 1)', null],
  ['DATE(10000, 1, 1)', null],
  ['ADDDAYS(DATE(9999, 12, 31), 1)', null],
  ['ADDDAYS(DATE(2026, 2, 28), 1.9)', '2026-03-01'],
  ['DAYSBETWEEN(DATE(2026, 1, 1), DATE(2026, 3, 1))', 59],
  ['YEAR(TODAY()) * 100 + MONTH(TODAY())', 202604],
  ['DATEVALUE(NOW())', '2026-04-01'],
  ['TEXT(NOW())', '2026-03-31T15:30:00.000Z'],
  ['LEN("😀a")', 2],
  ['UPPER("straße é")', 'STRAßE é'],
  ['MID("abcdef", 2, 3)', 'bcd'],
  ['RIGHT("😀ab", 2)', 'ab'],
  ['LEFT("abc", -1)', null],
  ['SUBSTITUTE("aaa", "a", "bb")', 'bbbbbb'],
  ['SUBSTITUTE("abc", "", "x")', 'abc'],
  ['TRIM("\u3000 x \\t")', 'x'],
  ['VALUE(" 12.50 ")', 12.5],
  ['VALUE("1e3")', null],
  ['CASE(2, 1, "one", 2, "two", "many")', 'two'],
  ['CASE(NULL, 1, "one", "many")', 'many'],
  ['IF(NULL, 1, 2)', 2],
  ['AND(NULL, FALSE)', false],
  ['OR(NULL, TRUE)', true],
  ['NOT (NULL = 1)', null],
  ['"a" & NULL', 'a'],
  ['MIN(3, NULL, 1)', 1],
  ['BLANKVALUE("", "x")', 'x'],
  ['ISBLANK("")', true],
  ['CONTAINS("Tokyo", "tok")', false],
  ['BEGINS("Tokyo", "To")', true],
  ['"B" < "a"', true],
  ['"\uffff" < "😀"', true],
];

describe('formula functions', () => {
  let testDatabase: TestDatabase;
  let db: Kysely<unknown>;
  beforeAll(async () => {
    testDatabase = await createTestDatabase(inject('databaseUrl'));
    db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: testDatabase.url, max: 1 }) }) });
  });
  afterAll(async () => {
    await db?.destroy();
    await testDatabase?.drop();
  });

  it.each(values)('%s is %j in memory and in SQL', async (text, expected) => {
    const checked = checkFormula(text, 'deal', catalog);
    expect(evaluateFormula(checked, {}, context)).toEqual(expected);
    const expression = compileFormula(checked, createQueryScope(catalog, 'deal'), context);
    const shown =
      checked.returnType === 'date'
        ? sql`to_char(${expression}, 'YYYY-MM-DD')`
        : checked.returnType === 'number'
          ? sql`(${expression})::float8`
          : expression;
    const { rows } = await sql<{ value: unknown }>`select ${shown} as value`.execute(db);
    expect(rows[0]?.value).toEqual(expected);
  });
});
