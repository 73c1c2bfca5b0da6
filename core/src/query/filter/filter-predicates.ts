// A validated condition bound to a context becomes one of five predicates over typed values.
// The SQL compiler and the in-memory evaluator each implement these five, and nothing else:
// that is what keeps their meaning the same.
//
// Every predicate is two-valued (never unknown). A negated predicate (ne, notIn, …) holds for a
// blank value, but only when the path reached a record: through an empty lookup every condition
// is false except `isNull: true`.

import type { FilterOperator } from '@daicho/sdk';
import { relativeDateRange } from '../calendar/relative-dates.ts';
import { startOfLocalDay } from '../calendar/time-zone.ts';
import { checkedTimeZone, todayOf, type QueryContext } from '../query-context.ts';
import { queryErrors } from '../query-errors.ts';
import type { TypedValue } from '../values/record-values.ts';
import type { ScalarOperand, ValidatedCondition } from './filter-model.ts';

/** A bound on a value: `value` itself included or not. */
export interface Bound {
  value: TypedValue;
  inclusive: boolean;
}

export type Predicate =
  | { kind: 'isNull'; isNull: boolean }
  /** lower ≤ v ≤ upper (either side optional, each inclusive or not); negated: outside. */
  | { kind: 'range'; lower?: Bound; upper?: Bound; negated: boolean }
  | { kind: 'in'; values: TypedValue[]; negated: boolean }
  /** Case-insensitive (A-Z) substring or prefix of text. */
  | { kind: 'match'; mode: 'contains' | 'startsWith'; text: string }
  /** Multi-picklists: the same set, any of, all of. */
  | { kind: 'set'; mode: 'equals' | 'hasAny' | 'hasAll'; values: string[]; negated: boolean };

/** What an operand denotes: the single value `low` (when `high` equals it) or a range [low, high). */
interface Span {
  low: TypedValue;
  high: TypedValue;
  highInclusive: boolean;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function spanOf(operand: ScalarOperand, condition: ValidatedCondition, context: QueryContext): Span {
  const isDateTime = condition.resolved.valueType === 'datetime';
  const dayRange = (start: number, end: number): Span =>
    isDateTime
      ? { low: startOfLocalDay(start, checkedTimeZone(context)), high: startOfLocalDay(end, checkedTimeZone(context)), highInclusive: false }
      : { low: start, high: end, highInclusive: false };
  switch (operand.kind) {
    case 'literal':
      return { low: operand.value, high: operand.value, highInclusive: true };
    case 'day':
      return dayRange(operand.day, operand.day + 1);
    case 'relativeDate': {
      const { start, end } = relativeDateRange(operand.name, todayOf(context), operand.n);
      return dayRange(start, end);
    }
    case 'variable': {
      if (operand.name === 'now') return { low: context.now.getTime(), high: context.now.getTime(), highInclusive: true };
      const userId = context.variables['user.id'];
      if (userId === undefined || !uuidPattern.test(userId)) throw queryErrors.variableUnavailable('user.id', `${condition.pointer}/value`);
      return { low: userId.toLowerCase(), high: userId.toLowerCase(), highInclusive: true };
    }
  }
}

function pointOf(operand: ScalarOperand, condition: ValidatedCondition, context: QueryContext): TypedValue {
  return spanOf(operand, condition, context).low;
}

function rangeFor(op: FilterOperator, span: Span): Predicate {
  switch (op) {
    case 'lt':
      return { kind: 'range', upper: { value: span.low, inclusive: false }, negated: false };
    case 'lte':
      return { kind: 'range', upper: { value: span.high, inclusive: span.highInclusive }, negated: false };
    case 'gt':
      return { kind: 'range', lower: { value: span.high, inclusive: !span.highInclusive }, negated: false };
    case 'gte':
      return { kind: 'range', lower: { value: span.low, inclusive: true }, negated: false };
    default:
      return {
        kind: 'range',
        lower: { value: span.low, inclusive: true },
        upper: { value: span.high, inclusive: span.highInclusive },
        negated: op === 'ne',
      };
  }
}

/** Binds a condition to a context: variables, today and relative dates become values. */
export function predicateOf(condition: ValidatedCondition, context: QueryContext): Predicate {
  const { op, operand } = condition;
  switch (operand.kind) {
    case 'isNull':
      return { kind: 'isNull', isNull: operand.isNull };
    case 'pair': {
      const low = spanOf(operand.low, condition, context);
      const high = spanOf(operand.high, condition, context);
      return {
        kind: 'range',
        lower: { value: low.low, inclusive: true },
        upper: { value: high.high, inclusive: high.highInclusive },
        negated: false,
      };
    }
    case 'list': {
      const values = operand.values.map((value) => pointOf(value, condition, context));
      if (condition.resolved.valueType === 'textList') {
        const mode = op === 'contains' ? 'hasAll' : op === 'in' || op === 'notIn' ? 'hasAny' : 'equals';
        return { kind: 'set', mode, values: values as string[], negated: op === 'ne' || op === 'notIn' };
      }
      return { kind: 'in', values, negated: op === 'notIn' };
    }
    case 'one': {
      if (op === 'contains' || op === 'startsWith') return { kind: 'match', mode: op, text: pointOf(operand.value, condition, context) as string };
      return rangeFor(op, spanOf(operand.value, condition, context));
    }
  }
}
