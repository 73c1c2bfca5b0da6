import { describe, expect, it } from 'vitest';
import { DaichoError } from '../../errors/index.ts';
import { validateFilter } from '../index.ts';
import { createSalesCatalog } from '../test-support/sales-catalog.ts';

const catalog = createSalesCatalog({ dealFields: [{ name: 'broken', type: 'formula', valueType: 'number', formula: { expression: 'nope + 1', returnType: 'number' }, filterable: true, sortable: true }] });

function problemsOf(raw: unknown): Array<{ path: string; code: string }> {
  try {
    validateFilter(raw, 'deal', catalog);
  } catch (error) {
    if (!(error instanceof DaichoError)) throw error;
    expect(error.code).toBe('INVALID_FILTER');
    expect(error.status).toBe(400);
    return (error.details as { problems: Array<{ path: string; code: string }> }).problems.map(({ path, code }) => ({ path, code }));
  }
  return [];
}

const nested = (depth: number): unknown => (depth === 0 ? { field: 'name', op: 'eq', value: 'x' } : { not: nested(depth - 1) });

describe('validateFilter', () => {
  it.each([
    ['not an object', 'stage = won', [{ path: '', code: 'invalidNode' }]],
    ['an array at the root', [{ field: 'name', op: 'eq', value: 'x' }], [{ path: '', code: 'invalidNode' }]],
    ['and that is not a list', { and: { field: 'name' } }, [{ path: '/and', code: 'invalidNode' }]],
    ['a group with extra keys', { and: [], or: [] }, [{ path: '', code: 'invalidNode' }]],
    ['an unknown key in a condition', { field: 'name', op: 'eq', value: 'x', extra: 1 }, [{ path: '/extra', code: 'unknownKey' }]],
    ['an unknown field', { field: 'nmae', op: 'eq', value: 'x' }, [{ path: '/field', code: 'unknownField' }]],
    ['an unknown field behind a lookup', { and: [{ field: 'account.nope', op: 'eq', value: 'x' }] }, [{ path: '/and/0/field', code: 'unknownField' }]],
    ['a path into a text field', { field: 'name.first', op: 'eq', value: 'x' }, [{ path: '/field', code: 'unknownField' }]],
    ['a hostile field name', { field: 'name"; drop table deal; --', op: 'eq', value: 'x' }, [{ path: '/field', code: 'invalidPath' }]],
    ['a field that is not filterable', { field: 'notes', op: 'contains', value: 'x' }, [{ path: '/field', code: 'notFilterable' }]],
    ['a compound field without component', { field: 'billingAddress', op: 'eq', value: 'x' }, [{ path: '/field', code: 'invalidPath' }]],
    ['an unknown component', { field: 'billingAddress.planet', op: 'eq', value: 'x' }, [{ path: '/field', code: 'unknownField' }]],
    ['an unknown operator', { field: 'name', op: 'like', value: 'x' }, [{ path: '/op', code: 'unknownOperator' }]],
    ['an operator the type does not take', { field: 'amount', op: 'contains', value: 1 }, [{ path: '/op', code: 'operatorNotAllowed' }]],
    ['ordering a picklist', { field: 'stage', op: 'lt', value: 'won' }, [{ path: '/op', code: 'operatorNotAllowed' }]],
    ['text for a number', { field: 'amount', op: 'gt', value: '1000' }, [{ path: '/value', code: 'invalidValue' }]],
    ['a picklist value that does not exist', { field: 'stage', op: 'eq', value: 'Won' }, [{ path: '/value', code: 'invalidValue' }]],
    ['a bad date', { field: 'closeDate', op: 'eq', value: '2026-02-30' }, [{ path: '/value', code: 'invalidValue' }]],
    ['a date-time without offset', { field: 'lastContact', op: 'gt', value: '2026-02-03T10:00:00' }, [{ path: '/value', code: 'invalidValue' }]],
    ['an id that is no uuid', { field: 'account', op: 'eq', value: 'acme' }, [{ path: '/value', code: 'invalidValue' }]],
    ['a missing value', { field: 'name', op: 'eq' }, [{ path: '/value', code: 'missingValue' }]],
    ['isNull with a non-boolean', { field: 'name', op: 'isNull', value: 'yes' }, [{ path: '/value', code: 'invalidValue' }]],
    ['in without a list', { field: 'name', op: 'in', value: 'x' }, [{ path: '/value', code: 'invalidValue' }]],
    ['a bad list item', { field: 'quantity', op: 'in', value: [1, 'two', 3] }, [{ path: '/value/1', code: 'invalidValue' }]],
    ['between with one value', { field: 'quantity', op: 'between', value: [1] }, [{ path: '/value', code: 'invalidValue' }]],
    ['a relative date on a number', { field: 'quantity', op: 'eq', value: { $date: 'today' } }, [{ path: '/value', code: 'invalidValue' }]],
    ['lastNDays without n', { field: 'closeDate', op: 'eq', value: { $date: 'lastNDays' } }, [{ path: '/value/n', code: 'invalidValue' }]],
    ['n where none belongs', { field: 'closeDate', op: 'eq', value: { $date: 'thisWeek', n: 2 } }, [{ path: '/value/n', code: 'invalidValue' }]],
    ['an unknown relative date', { field: 'closeDate', op: 'eq', value: { $date: 'someday' } }, [{ path: '/value', code: 'invalidValue' }]],
    ['an unknown variable', { field: 'ownerId', op: 'eq', value: { $var: 'user.email' } }, [{ path: '/value', code: 'unknownVariable' }]],
    ['now on a date field', { field: 'closeDate', op: 'lt', value: { $var: 'now' } }, [{ path: '/value', code: 'invalidValue' }]],
    ['a relative date in an in list', { field: 'closeDate', op: 'in', value: [{ $date: 'today' }] }, [{ path: '/value/0', code: 'invalidValue' }]],
    ['a broken formula field', { field: 'broken', op: 'gt', value: 1 }, [{ path: '/field', code: 'invalidFormulaField' }]],
    ['nothing, for a path through two lookups', { field: 'account.owner.id', op: 'isNull' }, []],
  ])('reports %s', (_name, raw, expected) => {
    expect(problemsOf(raw)).toEqual(expected);
  });

  it('reports every problem at once, each by JSON pointer', () => {
    const problems = problemsOf({
      or: [{ field: 'nope', op: 'eq', value: 1 }, { and: [{ field: 'amount', op: 'between', value: ['a', 2] }] }, { not: { field: 'name', op: 'regex', value: '.' } }],
    });
    expect(problems).toEqual([
      { path: '/or/0/field', code: 'unknownField' },
      { path: '/or/1/and/0/value/0', code: 'invalidValue' },
      { path: '/or/2/not/op', code: 'unknownOperator' },
    ]);
  });

  it('enforces the limits: depth 8, 200 conditions, lists of 1000, texts of 1000 characters, 3 lookups', () => {
    expect(problemsOf(nested(7))).toEqual([]);
    expect(problemsOf(nested(8))).toEqual([{ path: '/not/not/not/not/not/not/not/not', code: 'tooDeep' }]);
    expect(problemsOf(nested(1000))).toEqual([{ path: '/not/not/not/not/not/not/not/not', code: 'tooDeep' }]);
    const condition = { field: 'quantity', op: 'eq', value: 1 };
    expect(problemsOf({ and: Array.from({ length: 200 }, () => condition) })).toEqual([]);
    expect(problemsOf({ and: Array.from({ length: 100_000 }, () => condition) })).toEqual([{ path: '', code: 'tooManyConditions' }]);
    expect(problemsOf({ field: 'quantity', op: 'in', value: Array.from({ length: 1000 }, (_, index) => index) })).toEqual([]);
    const started = Date.now();
    expect(problemsOf({ field: 'quantity', op: 'in', value: Array.from({ length: 100_000 }, (_, index) => index) })).toEqual([{ path: '/value', code: 'listTooLong' }]);
    expect(Date.now() - started).toBeLessThan(500);
    expect(problemsOf({ field: 'name', op: 'contains', value: 'x'.repeat(1000) })).toEqual([]);
    expect(problemsOf({ field: 'name', op: 'contains', value: 'x'.repeat(1001) })).toEqual([{ path: '/value', code: 'valueTooLong' }]);
    expect(problemsOf({ field: 'account.owner.email', op: 'eq', value: 'a@b.jp' })).toEqual([]);
  });

  it('refuses paths through more than three lookups', () => {
    const deep = createSalesCatalog({ accountFields: [{ name: 'parent', type: 'lookup', valueType: 'id', column: 'parent_id', target: 'account', filterable: true, sortable: true }] });
    expect(() => validateFilter({ field: 'account.parent.parent.name', op: 'eq', value: 'x' }, 'deal', deep)).not.toThrow();
    expect(() => validateFilter({ field: 'account.parent.parent.parent.name', op: 'eq', value: 'x' }, 'deal', deep)).toThrow(
      expect.objectContaining({ details: { problems: [expect.objectContaining({ path: '/field', code: 'tooManyLookups' })] } }),
    );
  });

  it('returns a normalised copy: isNull defaults to true, ids in lower case, unknown keys never kept', () => {
    const raw = { and: [{ field: 'name', op: 'isNull' }, { field: 'account', op: 'in', value: ['0192B2A4-0000-7000-8000-00000000000A'] }] };
    const filter = validateFilter(raw, 'deal', catalog);
    expect(filter).toEqual({
      and: [
        { field: 'name', op: 'isNull', value: true },
        { field: 'account', op: 'in', value: ['0192b2a4-0000-7000-8000-00000000000a'] },
      ],
    });
    expect(filter).not.toBe(raw);
    expect(JSON.parse(JSON.stringify(filter))).toEqual(filter);
  });

  it('accepts every operator a field kind takes, variables and relative dates', () => {
    const accepted = [
      { field: 'name', op: 'startsWith', value: '100%' },
      { field: 'tags', op: 'contains', value: ['a', 'b'] },
      { field: 'tags', op: 'eq', value: [] },
      { field: 'ownerId', op: 'eq', value: { $var: 'user.id' } },
      { field: 'lastContact', op: 'gte', value: { $var: 'today' } },
      { field: 'lastContact', op: 'lt', value: { $var: 'now' } },
      { field: 'lastContact', op: 'eq', value: '2026-03-31' },
      { field: 'closeDate', op: 'between', value: [{ $date: 'lastNDays', n: 30 }, '2026-12-31'] },
      { field: 'amount.currency', op: 'in', value: ['JPY', 'USD'] },
      { field: 'billingAddress.city', op: 'contains', value: '京都' },
      { field: 'total', op: 'gt', value: 1000 },
      { field: 'label', op: 'startsWith', value: 'A' },
      { or: [] },
    ];
    for (const raw of accepted) expect(problemsOf(raw)).toEqual([]);
  });
});
