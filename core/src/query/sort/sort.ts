// Sorts: validation of `[{ field, direction }]` against an object, and ORDER BY over a query
// scope. Nulls sort last ascending and first descending (PostgreSQL's default: blank is greatest);
// text sorts by code point (collation "C"), the order filters use for lt/gt.

import { filterLimits, type Sort } from '@daicho/sdk';
import { sql, type RawBuilder } from 'kysely';
import type { QueryCatalog, QueryObject, QueryValueType } from '../catalog.ts';
import { DaichoError } from '../../errors/index.ts';
import { checkFieldFormula } from '../formula/check-formula.ts';
import { compileFormulaAt } from '../formula/compile-formula.ts';
import { isPathProblem, resolveFieldPath, type ResolvedFieldPath } from '../paths/field-paths.ts';
import { compilePathPresence, compileStoredPath, type QueryScope } from '../paths/query-scope.ts';
import type { QueryContext } from '../query-context.ts';
import { queryErrors, quoteInput, type FilterProblem } from '../query-errors.ts';

declare const validSortBrand: unique symbol;

/** A sort that {@link validateSort} accepted for one object. */
export type ValidSort = Sort & { readonly [validSortBrand]: true };

interface ValidatedSort {
  objectName: string;
  keys: { resolved: ResolvedFieldPath; direction: 'asc' | 'desc' }[];
}

const validatedSorts = new WeakMap<object, ValidatedSort>();
const unsortableTypes: readonly QueryValueType[] = ['textList', 'json'];

/**
 * Checks a sort against an object: at most 8 keys, each a sortable field path and a direction.
 * @throws DaichoError `INVALID_SORT` whose `details.problems` lists `{ path, code, message }`.
 * @example
 * const sort = validateSort([{ field: 'account.name', direction: 'asc' }], 'deal', catalog);
 */
export function validateSort(raw: unknown, object: string | QueryObject, catalog: QueryCatalog): ValidSort {
  const root = typeof object === 'string' ? catalog.object(object) : object;
  if (!root) throw queryErrors.invalidSort([{ path: '', code: 'unknownField', message: `There is no object ${quoteInput(String(object))}` }]);
  const problems: FilterProblem[] = [];
  if (!Array.isArray(raw)) throw queryErrors.invalidSort([{ path: '', code: 'invalidNode', message: 'A sort is a list of { "field", "direction" }' }]);
  if (raw.length > filterLimits.maxSortKeys) {
    throw queryErrors.invalidSort([{ path: '', code: 'tooManySortKeys', message: `A sort has at most ${filterLimits.maxSortKeys} keys` }]);
  }
  const keys: ValidatedSort['keys'] = [];
  for (const [index, key] of raw.entries()) {
    const pointer = `/${index}`;
    if (typeof key !== 'object' || key === null || Array.isArray(key)) {
      problems.push({ path: pointer, code: 'invalidNode', message: 'A sort key is { "field", "direction" }' });
      continue;
    }
    const { field, direction, ...rest } = key as Record<string, unknown>;
    for (const extra of Object.keys(rest)) problems.push({ path: `${pointer}/${extra}`, code: 'unknownKey', message: `A sort key has no key ${quoteInput(extra)}` });
    if (direction !== 'asc' && direction !== 'desc') problems.push({ path: `${pointer}/direction`, code: 'invalidDirection', message: 'direction is "asc" or "desc"' });
    const resolved =
      typeof field === 'string'
        ? resolveFieldPath(catalog, root, field, { use: 'sort', maxLookups: filterLimits.maxLookups })
        : { code: 'invalidPath' as const, message: 'field is a path of API names, as text' };
    if (isPathProblem(resolved)) {
      problems.push({ path: `${pointer}/field`, code: resolved.code, message: resolved.message });
    } else if (unsortableTypes.includes(resolved.valueType)) {
      problems.push({ path: `${pointer}/field`, code: 'notSortable', message: `${quoteInput(resolved.path)} cannot be used in sorts` });
    } else if (resolved.field.formula && !formulaChecks(catalog, resolved)) {
      problems.push({ path: `${pointer}/field`, code: 'invalidFormulaField', message: `The formula of ${quoteInput(resolved.path)} is not valid here` });
    } else if (direction === 'asc' || direction === 'desc') {
      keys.push({ resolved, direction });
    }
  }
  if (problems.length > 0) throw queryErrors.invalidSort(problems);
  const sort = keys.map(({ resolved, direction }) => ({ field: resolved.path, direction }));
  validatedSorts.set(sort, { objectName: root.name, keys });
  return sort as ValidSort;
}

function formulaChecks(catalog: QueryCatalog, resolved: ResolvedFieldPath): boolean {
  try {
    checkFieldFormula(catalog, resolved.object, resolved.field);
    return true;
  } catch (error) {
    if (error instanceof DaichoError) return false;
    throw error;
  }
}

/** One compiled key: its expression serves keyset pagination as well as ORDER BY. */
export interface CompiledSortKey {
  path: string;
  direction: 'asc' | 'desc';
  valueType: QueryValueType;
  /** The value sorted on (text with `collate "C"`). */
  expression: RawBuilder<unknown>;
}

export interface CompiledSort {
  /** `expr asc nulls last, expr desc nulls first, …`, for after ORDER BY; empty SQL when no keys. */
  orderBy: RawBuilder<unknown>;
  keys: CompiledSortKey[];
}

/**
 * Compiles a validated sort over the scope (adding the joins its paths need).
 * @param context needed when a key is a formula field that uses TODAY(), NOW() or DATEVALUE().
 * @example
 * const { orderBy } = compileSort(sort, scope, context);
 * sql`select … order by ${orderBy}, t.id`;
 */
export function compileSort(sort: ValidSort, scope: QueryScope, context?: QueryContext): CompiledSort {
  const validated = validatedSorts.get(sort);
  if (!validated || validated.objectName !== scope.object.name) throw new Error(`sorts must pass validateSort for ${scope.object.name} first`);
  const keys = validated.keys.map(({ resolved, direction }): CompiledSortKey => {
    let value: RawBuilder<unknown>;
    if (resolved.field.formula) {
      const formula = checkFieldFormula(scope.catalog, resolved.object, resolved.field);
      const present = compilePathPresence(scope, scope.root, resolved.steps);
      const computed = compileFormulaAt(formula, scope, scope.follow(scope.root, resolved.steps), context ?? contextRequired);
      value = present ? sql`(case when ${present} then ${computed} end)` : computed;
    } else {
      value = compileStoredPath(scope, scope.root, resolved).value;
    }
    const expression = resolved.valueType === 'text' ? sql`${value} collate "C"` : value;
    return { path: resolved.path, direction, valueType: resolved.valueType, expression };
  });
  const parts = keys.map((key) => (key.direction === 'asc' ? sql`${key.expression} asc nulls last` : sql`${key.expression} desc nulls first`));
  return { orderBy: parts.length > 0 ? sql.join(parts) : sql``, keys };
}

function missingContext(): never {
  throw new Error('compileSort needs a context to sort on a formula field that uses TODAY(), NOW() or DATEVALUE()');
}

/** Stands in for a context not given: fine until a formula asks for the time. */
const contextRequired: QueryContext = {
  get variables() {
    return missingContext();
  },
  get now() {
    return missingContext();
  },
  get timeZone() {
    return missingContext();
  },
};
