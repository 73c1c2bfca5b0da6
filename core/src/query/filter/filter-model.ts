// What validation makes of a filter: a tree whose conditions carry their resolved field path
// and typed operands. compileFilter and evaluateFilter both walk this tree, never the raw JSON.

import type { Filter, FilterOperator, RelativeDateName } from '@daicho/sdk';
import type { CheckedFormula } from '../formula/formula-ast.ts';
import type { ResolvedFieldPath } from '../paths/field-paths.ts';
import type { TypedValue } from '../values/record-values.ts';

/** One operand of a condition, before the context (user, now, time zone) is known. */
export type ScalarOperand =
  /** A typed literal: text, Decimal, boolean, epoch day (date), epoch ms (date-time), lower-case id. */
  | { kind: 'literal'; value: TypedValue }
  /** A `YYYY-MM-DD` compared with a date-time field: that day in the caller's time zone. */
  | { kind: 'day'; day: number }
  | { kind: 'relativeDate'; name: RelativeDateName; n: number }
  | { kind: 'variable'; name: 'user.id' | 'now' };

export type ConditionOperand =
  | { kind: 'isNull'; isNull: boolean }
  | { kind: 'one'; value: ScalarOperand }
  | { kind: 'list'; values: ScalarOperand[] }
  | { kind: 'pair'; low: ScalarOperand; high: ScalarOperand };

export interface ValidatedCondition {
  kind: 'condition';
  /** JSON pointer of the condition in the filter, for errors raised when it runs. */
  pointer: string;
  resolved: ResolvedFieldPath;
  /** The field's checked formula, when the path ends on a formula field. */
  formula?: CheckedFormula;
  op: FilterOperator;
  operand: ConditionOperand;
}

export type ValidatedNode =
  | { kind: 'and' | 'or'; children: ValidatedNode[] }
  | { kind: 'not'; child: ValidatedNode }
  | ValidatedCondition;

export interface ValidatedFilter {
  objectName: string;
  root: ValidatedNode;
}

declare const validFilterBrand: unique symbol;

/** A filter that {@link validateFilter} accepted for one object: the only kind that compiles or evaluates. */
export type ValidFilter = Filter & { readonly [validFilterBrand]: true };

const validatedFilters = new WeakMap<object, ValidatedFilter>();

export function rememberValidatedFilter(filter: Filter, validated: ValidatedFilter): ValidFilter {
  validatedFilters.set(filter, validated);
  return filter as ValidFilter;
}

/** The validated tree of a filter returned by validateFilter (for `objectName`, when given). */
export function validatedFilterOf(filter: ValidFilter, objectName?: string): ValidatedFilter {
  const validated = validatedFilters.get(filter);
  if (!validated) throw new Error('filters must pass validateFilter before they compile or evaluate');
  if (objectName !== undefined && validated.objectName !== objectName) {
    throw new Error(`the filter was validated for ${validated.objectName}, not ${objectName}`);
  }
  return validated;
}
