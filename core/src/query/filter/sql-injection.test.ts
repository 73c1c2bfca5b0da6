// Test plan row 45: no user text reaches the SQL text. Values travel only as bind parameters;
// field names, operators and time zones that are not the catalog's own are refused before any
// SQL is built.

import fc from 'fast-check';
import { createSqlCompiler } from '../../testing/index.ts';
import { describe, expect, it } from 'vitest';
import { errorCodeOf } from '../test-support/error-code.ts';
import { compileFilter, compileFormula, compileJoins, compileSort, createQueryContext, createQueryScope, validateFilter, validateSort } from '../index.ts';
import { textLiteral } from '../test-support/formula-arbitraries.ts';
import { createSalesCatalog } from '../test-support/sales-catalog.ts';

const catalog = createSalesCatalog();
const compiler = createSqlCompiler();
const context = createQueryContext({ timeZone: 'Asia/Tokyo', userId: '00000000-0000-7000-8000-000000000001' });

const marker = 'HOSTILE';
const hostileUnit = fc.constantFrom("'", '"', ';', '--', '/*', '*/', '$1', '\\', ' ', 'DROP TABLE deal', ')', '(', '\n', '%', '_', 'é', '😀', 'or 1=1', '::text');
const hostileText = fc.string({ unit: hostileUnit, minLength: 1, maxLength: 8 }).map((text) => `${marker}${text}`);
const textPaths = ['name', 'account.name', 'account.owner.email', 'billingAddress.city', 'amount.currency', 'label'];

const hostileCondition = fc.oneof(
  fc.record({ field: fc.constantFrom(...textPaths), op: fc.constantFrom('eq', 'ne', 'lt', 'gte', 'contains', 'startsWith'), value: hostileText }),
  fc.record({ field: fc.constantFrom(...textPaths), op: fc.constantFrom('in', 'notIn'), value: fc.array(hostileText, { maxLength: 3 }) }),
  fc.record({ field: fc.constantFrom(...textPaths), op: fc.constant('between'), value: fc.tuple(hostileText, hostileText) }),
);
const { hostileFilter } = fc.letrec<{ hostileFilter: unknown }>((tie) => ({
  hostileFilter: fc.oneof(
    { maxDepth: 3 },
    hostileCondition,
    fc.record({ and: fc.array(tie('hostileFilter'), { maxLength: 3 }) }),
    fc.record({ or: fc.array(tie('hostileFilter'), { maxLength: 3 }) }),
    fc.record({ not: tie('hostileFilter') }),
  ),
}));


describe('SQL injection', () => {
  it('never puts a filter value into the SQL text: every value is a parameter', () => {
    fc.assert(
      fc.property(hostileFilter, (raw) => {
        const scope = createQueryScope(catalog, 'deal', 't');
        const where = compileFilter(validateFilter(raw, 'deal', catalog), scope, context);
        const { sql: text, parameters } = where.compile(compiler);
        expect(text).not.toContain(marker);
        expect(compileJoins(scope).compile(compiler).sql).not.toContain(marker);
        // Each value is bound exactly once (contains and startsWith bind it folded, inside a pattern).
        const occurrences = (json: string) => json.match(new RegExp(marker, 'gi'))?.length ?? 0;
        expect(occurrences(JSON.stringify(parameters))).toBe(occurrences(JSON.stringify(raw)));
      }),
      { numRuns: 300, seed: 45 },
    );
  });

  it('refuses hostile field names, operators and sort paths before building SQL', () => {
    const hostileName = fc.string({ unit: hostileUnit, minLength: 1, maxLength: 6 }).map((text) => `name${text}`);
    fc.assert(
      fc.property(hostileName, (name) => {
        expect(errorCodeOf(() => validateFilter({ field: name, op: 'eq', value: 'x' }, 'deal', catalog))).toBe('INVALID_FILTER');
        expect(errorCodeOf(() => validateFilter({ field: `account.${name}`, op: 'eq', value: 'x' }, 'deal', catalog))).toBe('INVALID_FILTER');
        expect(errorCodeOf(() => validateFilter({ field: 'name', op: name, value: 'x' }, 'deal', catalog))).toBe('INVALID_FILTER');
        expect(errorCodeOf(() => validateSort([{ field: name, direction: 'asc' }], 'deal', catalog))).toBe('INVALID_SORT');
        expect(errorCodeOf(() => validateSort([{ field: 'name', direction: name }], 'deal', catalog))).toBe('INVALID_SORT');
        expect(errorCodeOf(() => createQueryContext({ timeZone: name }))).toBe('INVALID_QUERY');
      }),
      { numRuns: 300, seed: 46 },
    );
  });

  it('binds formula texts and the time zone as parameters', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const scope = createQueryScope(catalog, 'deal', 't');
        const formula = `IF(CONTAINS(name, ${textLiteral(text)}), TEXT(DATEVALUE(lastContact)), ${textLiteral(text)} & stage)`;
        const compiled = compileFormula(formula, scope, context).compile(compiler);
        expect(compiled.sql).not.toContain(marker);
        expect(compiled.sql).not.toContain('Asia/Tokyo');
        expect(compiled.parameters).toContain(text);
        expect(compiled.parameters).toContain('Asia/Tokyo');
      }),
      { numRuns: 200, seed: 47 },
    );
  });

  it('writes only catalog names in a sort', () => {
    const scope = createQueryScope(catalog, 'deal', 't');
    const { orderBy } = compileSort(validateSort([{ field: 'account.name', direction: 'desc' }, { field: 'total', direction: 'asc' }], 'deal', catalog), scope, context);
    expect(orderBy.compile(compiler).sql).toBe('"j1"."name" collate "C" desc nulls first, (trim_scale(("t"."amount")::numeric) * trim_scale(("t"."quantity")::numeric)) asc nulls last');
  });
});
