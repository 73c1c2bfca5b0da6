// Validated filters evaluated on one record in memory (workflow conditions, permission checks on
// a record at hand), with exactly the meaning compileFilter gives them in SQL.

import type { QueryValueType } from '../catalog.ts';
import { compareDecimals, type Decimal } from '../formula/decimal.ts';
import { evaluateFormulaValue } from '../formula/evaluate-formula.ts';
import type { QueryContext } from '../query-context.ts';
import { readRecordPath, readTypedValue, type RecordData, type TypedValue } from '../values/record-values.ts';
import { asciiLowerCase, compareCodePoints } from '../values/text-rules.ts';
import { validatedFilterOf, type ValidatedCondition, type ValidatedNode, type ValidFilter } from './filter-model.ts';
import { predicateOf, type Bound, type Predicate } from './filter-predicates.ts';

/**
 * Tells whether a record matches a validated filter. The record has the records API's JSON shape;
 * lookups that the filter's paths pass through must be expanded as nested objects
 * (`{ account: { id, industry } }`), and formula fields are computed from the record's fields.
 * @throws TypeError when a lookup on a path is not expanded, or a value has the wrong type.
 * @example
 * evaluateFilter(filter, { id, stage: 'won', account: { id: accountId, industry: 'retail' } }, context);
 */
export function evaluateFilter(filter: ValidFilter, record: RecordData, context: QueryContext): boolean {
  return evaluateNode(validatedFilterOf(filter).root, record, context);
}

function evaluateNode(node: ValidatedNode, record: RecordData, context: QueryContext): boolean {
  switch (node.kind) {
    case 'and':
      return node.children.every((child) => evaluateNode(child, record, context));
    case 'or':
      return node.children.some((child) => evaluateNode(child, record, context));
    case 'not':
      return !evaluateNode(node.child, record, context);
    case 'condition':
      return evaluateCondition(node, record, context);
  }
}

function evaluateCondition(condition: ValidatedCondition, record: RecordData, context: QueryContext): boolean {
  const { resolved, formula } = condition;
  const { present, owner, raw } = readRecordPath(record, resolved);
  let value: TypedValue = null;
  if (present) {
    value = formula ? (evaluateFormulaValue(formula, owner!, context) as TypedValue) : readTypedValue(resolved.valueType, raw, resolved.path);
  }
  return holds(predicateOf(condition, context), value, present, resolved.valueType);
}

function compare(a: TypedValue, b: TypedValue, valueType: QueryValueType): number {
  switch (valueType) {
    case 'number':
      return compareDecimals(a as Decimal, b as Decimal);
    case 'text':
    case 'id':
      return compareCodePoints(a as string, b as string);
    case 'boolean':
      return Number(a) - Number(b);
    default:
      return (a as number) - (b as number);
  }
}

function withinBound(value: TypedValue, bound: Bound | undefined, side: 'lower' | 'upper', valueType: QueryValueType): boolean {
  if (!bound) return true;
  const order = compare(value, bound.value, valueType);
  if (side === 'lower') return bound.inclusive ? order >= 0 : order > 0;
  return bound.inclusive ? order <= 0 : order < 0;
}

function holds(predicate: Predicate, value: TypedValue, present: boolean, valueType: QueryValueType): boolean {
  if (predicate.kind === 'isNull') {
    const blank = value === null || (valueType === 'textList' && (value as readonly string[]).length === 0);
    return predicate.isNull === blank;
  }
  if (predicate.kind === 'match') {
    if (value === null) return false;
    const text = asciiLowerCase(value as string);
    const part = asciiLowerCase(predicate.text);
    return predicate.mode === 'contains' ? text.includes(part) : text.startsWith(part);
  }
  // Negated predicates hold for blank values, where the path reached a record.
  if (value === null) return predicate.negated && present;
  let inside: boolean;
  switch (predicate.kind) {
    case 'range':
      inside = withinBound(value, predicate.lower, 'lower', valueType) && withinBound(value, predicate.upper, 'upper', valueType);
      break;
    case 'in':
      inside = predicate.values.some((candidate) => compare(value, candidate, valueType) === 0);
      break;
    case 'set': {
      const have = new Set(value as readonly string[]);
      const wanted = new Set(predicate.values);
      const hasAll = [...wanted].every((item) => have.has(item));
      inside =
        predicate.mode === 'hasAny'
          ? [...wanted].some((item) => have.has(item))
          : predicate.mode === 'hasAll'
            ? hasAll
            : hasAll && [...have].every((item) => wanted.has(item));
      break;
    }
  }
  return predicate.negated ? !inside : inside;
}
