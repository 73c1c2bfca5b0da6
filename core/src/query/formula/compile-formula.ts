// Checked formulas → PostgreSQL expressions over a query scope, so formula fields can be
// selected, filtered and sorted in SQL. Formula fields used by a formula are inlined.

import { sql, type RawBuilder } from 'kysely';
import { compilePathPresence, compileStoredPath, type PathBase, type QueryScope } from '../paths/query-scope.ts';
import type { QueryContext } from '../query-context.ts';
import { checkFormula } from './check-formula.ts';
import { formatDecimal, type Decimal } from './decimal.ts';
import type { CheckedFormula, TypedFormulaNode } from './formula-ast.ts';
import { sqlOperations, typedNullSql } from './formula-operations.sql.ts';

/**
 * Compiles a formula of the scope's object to a SQL expression (numbers are `numeric`); joins its
 * lookup paths need are added to the scope.
 * @param formula formula text (checked against the scope's catalog) or a {@link CheckedFormula}.
 * @throws DaichoError `INVALID_FORMULA` when the text does not check.
 * @example
 * const total = compileFormula('amount * quantity', scope, context);
 * sql`select ${total} as total from ${tableOf(scope)} as t ${compileJoins(scope)}`;
 */
export function compileFormula(formula: string | CheckedFormula, scope: QueryScope, context: QueryContext): RawBuilder<unknown> {
  const checked = typeof formula === 'string' ? checkFormula(formula, scope.object.name, scope.catalog) : formula;
  if (checked.objectName !== scope.object.name) {
    throw new Error(`compileFormula: the formula belongs to ${checked.objectName}, the scope to ${scope.object.name}`);
  }
  return compileFormulaAt(checked, scope, scope.root, context);
}

/** Compiles a formula of the object at `base` (the root, or an object reached through lookups). */
export function compileFormulaAt(checked: CheckedFormula, scope: QueryScope, base: PathBase, context: QueryContext): RawBuilder<unknown> {
  return compileNode(checked.root, scope, base, context);
}

function compileNode(node: TypedFormulaNode, scope: QueryScope, base: PathBase, context: QueryContext): RawBuilder<unknown> {
  switch (node.kind) {
    case 'literal':
      return compileLiteral(node);
    case 'field': {
      if (node.formula) {
        const target = scope.follow(base, node.resolved.steps);
        const value = compileFormulaAt(node.formula, scope, target, context);
        const present = compilePathPresence(scope, base, node.resolved.steps);
        // Through an empty lookup the formula is blank, as in memory.
        return present ? sql`(case when ${present} then ${value} end)` : value;
      }
      const { value } = compileStoredPath(scope, base, node.resolved);
      if (node.type === 'number') return sql`trim_scale((${value})::numeric)`;
      if (node.resolved.valueType === 'id') return sql`((${value})::text)`;
      return value;
    }
    case 'call': {
      const args = node.args.map((arg) => compileNode(arg, scope, base, context));
      return sqlOperations[node.name]!(
        args,
        node.args.map((arg) => arg.type),
        context,
      );
    }
  }
}

function compileLiteral(node: TypedFormulaNode & { kind: 'literal' }): RawBuilder<unknown> {
  if (node.value === null) return typedNullSql(node.type);
  switch (node.type) {
    case 'number':
      return sql`${formatDecimal(node.value as Decimal)}::numeric`;
    case 'boolean':
      return sql`${node.value}::boolean`;
    default:
      return sql`${node.value}::text`;
  }
}
