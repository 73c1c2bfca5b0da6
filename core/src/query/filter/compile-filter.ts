// Validated filters → a parameterised PostgreSQL boolean expression for a WHERE clause. Only
// catalog names reach the SQL text (through sql.id); every value is a bound parameter.

import { sql, type RawBuilder } from 'kysely';
import type { QueryValueType } from '../catalog.ts';
import { formatIsoDate } from '../calendar/civil-date.ts';
import { compileFormulaAt } from '../formula/compile-formula.ts';
import { formatDecimal, type Decimal } from '../formula/decimal.ts';
import { compilePathPresence, compileStoredPath, type QueryScope } from '../paths/query-scope.ts';
import type { QueryContext } from '../query-context.ts';
import { asciiLowerCase, escapeLikePattern } from '../values/text-rules.ts';
import type { TypedValue } from '../values/record-values.ts';
import { validatedFilterOf, type ValidatedCondition, type ValidatedNode, type ValidFilter } from './filter-model.ts';
import { predicateOf, type Bound, type Predicate } from './filter-predicates.ts';

type Sql = RawBuilder<unknown>;
type Condition = RawBuilder<boolean>;

/**
 * Compiles a validated filter to a boolean SQL expression over the scope's tables. Lookup paths
 * add LEFT JOINs to the scope: render `compileJoins(scope)` after compiling.
 * @throws DaichoError `INVALID_FILTER` when a variable the filter uses has no value in the context.
 * @example
 * const scope = createQueryScope(catalog, 'deal', 't');
 * const where = compileFilter(validateFilter(input, 'deal', catalog), scope, context);
 * const rows = await sql`select t.id from ${tableOf(scope)} as t ${compileJoins(scope)} where ${where}`.execute(db);
 */
export function compileFilter(filter: ValidFilter, scope: QueryScope, context: QueryContext): RawBuilder<boolean> {
  return compileNode(validatedFilterOf(filter, scope.object.name).root, scope, context);
}

function compileNode(node: ValidatedNode, scope: QueryScope, context: QueryContext): Condition {
  switch (node.kind) {
    case 'and':
    case 'or': {
      if (node.children.length === 0) return node.kind === 'and' ? sql<boolean>`true` : sql<boolean>`false`;
      const children = node.children.map((child) => compileNode(child, scope, context));
      return sql<boolean>`(${sql.join(children, node.kind === 'and' ? sql` and ` : sql` or `)})`;
    }
    case 'not':
      return sql<boolean>`(not ${compileNode(node.child, scope, context)})`;
    case 'condition':
      return compileCondition(node, scope, context);
  }
}

function compileCondition(condition: ValidatedCondition, scope: QueryScope, context: QueryContext): Condition {
  const { resolved, formula } = condition;
  let value: Sql;
  let present: Condition | undefined;
  if (formula) {
    const base = scope.follow(scope.root, resolved.steps);
    present = compilePathPresence(scope, scope.root, resolved.steps);
    const computed = compileFormulaAt(formula, scope, base, context);
    value = present ? sql`(case when ${present} then ${computed} end)` : computed;
  } else {
    ({ value, present } = compileStoredPath(scope, scope.root, resolved));
  }
  return compilePredicate(predicateOf(condition, context), value, present, resolved.valueType);
}

/** A typed parameter: `$1::numeric`, `$2::date`, … */
function parameter(valueType: QueryValueType, value: TypedValue): Sql {
  switch (valueType) {
    case 'number':
      return sql`${formatDecimal(value as Decimal)}::numeric`;
    case 'boolean':
      return sql`${value}::boolean`;
    case 'date':
      return sql`${formatIsoDate(value as number)}::date`;
    case 'datetime':
      return sql`${new Date(value as number).toISOString()}::timestamptz`;
    case 'id':
      return sql`${value}::uuid`;
    default:
      return sql`${value}::text`;
  }
}

/** A typed array parameter: `$1::text[]`, `$1::numeric[]`, … */
function arrayParameter(valueType: QueryValueType, values: readonly TypedValue[]): Sql {
  switch (valueType) {
    case 'number':
      return sql`${values.map((value) => formatDecimal(value as Decimal))}::numeric[]`;
    case 'date':
      return sql`${values.map((value) => formatIsoDate(value as number))}::date[]`;
    case 'id':
      return sql`${values}::uuid[]`;
    case 'boolean':
      return sql`${values}::boolean[]`;
    default:
      return sql`${values}::text[]`;
  }
}

/** Holds for blank values too, where the path reached a record. */
function negatedSql(inside: Condition, value: Sql, present: Condition | undefined): Condition {
  const outside = sql<boolean>`(${value} is null or not ${inside})`;
  return present ? sql<boolean>`(${present} and ${outside})` : outside;
}

function boundSql(value: Sql, bound: Bound, side: 'lower' | 'upper', valueType: QueryValueType): Condition {
  const parameterSql = parameter(valueType, bound.value);
  if (side === 'lower') return bound.inclusive ? sql<boolean>`${value} >= ${parameterSql}` : sql<boolean>`${value} > ${parameterSql}`;
  return bound.inclusive ? sql<boolean>`${value} <= ${parameterSql}` : sql<boolean>`${value} < ${parameterSql}`;
}

function compilePredicate(predicate: Predicate, value: Sql, present: Condition | undefined, valueType: QueryValueType): Condition {
  switch (predicate.kind) {
    case 'isNull':
      if (valueType === 'textList') {
        return predicate.isNull ? sql<boolean>`(${value} is null or cardinality(${value}) = 0)` : sql<boolean>`(${value} is not null and cardinality(${value}) > 0)`;
      }
      return predicate.isNull ? sql<boolean>`(${value} is null)` : sql<boolean>`(${value} is not null)`;
    case 'range': {
      const { lower, upper } = predicate;
      let inside: Condition;
      if (lower && upper && lower.inclusive && upper.inclusive && lower.value === upper.value) {
        inside = sql<boolean>`(${value} = ${parameter(valueType, lower.value)})`;
      } else {
        // Text orders by code point (collation "C"), exactly as in memory.
        const ordered = valueType === 'text' ? sql`${value} collate "C"` : value;
        const bounds = [lower && boundSql(ordered, lower, 'lower', valueType), upper && boundSql(ordered, upper, 'upper', valueType)];
        inside = sql<boolean>`(${sql.join(bounds.filter((bound) => bound !== undefined), sql` and `)})`;
      }
      return predicate.negated ? negatedSql(inside, value, present) : sql<boolean>`(${value} is not null and ${inside})`;
    }
    case 'in': {
      const inside = sql<boolean>`(${value} = any(${arrayParameter(valueType, predicate.values)}))`;
      return predicate.negated ? negatedSql(inside, value, present) : sql<boolean>`(${value} is not null and ${inside})`;
    }
    case 'match': {
      const escaped = escapeLikePattern(asciiLowerCase(predicate.text));
      const pattern = predicate.mode === 'contains' ? `%${escaped}%` : `${escaped}%`;
      // Under collation "C", ILIKE folds only A-Z, on every server: the same as in memory.
      return sql<boolean>`(${value} is not null and ${value} collate "C" ilike ${pattern}::text)`;
    }
    case 'set': {
      const values = arrayParameter('textList', predicate.values);
      const inside =
        predicate.mode === 'equals'
          ? sql<boolean>`(${value} @> ${values} and ${value} <@ ${values})`
          : predicate.mode === 'hasAny'
            ? sql<boolean>`(${value} && ${values})`
            : sql<boolean>`(${value} @> ${values})`;
      return predicate.negated ? negatedSql(inside, value, present) : sql<boolean>`(${value} is not null and ${inside})`;
    }
  }
}
