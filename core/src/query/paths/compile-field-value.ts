// Selecting a field by path (a lookup's title, a formula field) with the same joins as the
// query's filter and sort.

import { filterLimits } from '@daicho/sdk';
import { sql, type RawBuilder } from 'kysely';
import { errors } from '../../errors/index.ts';
import { checkFieldFormula } from '../formula/check-formula.ts';
import { compileFormulaAt } from '../formula/compile-formula.ts';
import type { QueryContext } from '../query-context.ts';
import { isPathProblem, resolveFieldPath } from './field-paths.ts';
import { compilePathPresence, compileStoredPath, type QueryScope } from './query-scope.ts';

/**
 * SQL for the value at a field path, for a select list: the column (a currency's amount, a
 * component's text), or the computed formula. Lookups on the path join into the scope.
 * @throws DaichoError `INVALID_QUERY` (parameter `fields`) when the path names no field.
 * @example
 * sql`select t.id, ${compileFieldValue('account.name', scope, context)} as account_name from …`;
 */
export function compileFieldValue(path: string, scope: QueryScope, context: QueryContext): RawBuilder<unknown> {
  const resolved = resolveFieldPath(scope.catalog, scope.object, path, { use: 'formula', maxLookups: filterLimits.maxLookups });
  if (isPathProblem(resolved)) throw errors.invalidQuery('fields', resolved.message);
  if (!resolved.field.formula) return compileStoredPath(scope, scope.root, resolved).value;
  const formula = checkFieldFormula(scope.catalog, resolved.object, resolved.field);
  const computed = compileFormulaAt(formula, scope, scope.follow(scope.root, resolved.steps), context);
  const present = compilePathPresence(scope, scope.root, resolved.steps);
  return present ? sql`(case when ${present} then ${computed} end)` : computed;
}
