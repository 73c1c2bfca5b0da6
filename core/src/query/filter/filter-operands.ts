// Which operators each kind of field takes, and the checking of condition values against the
// field's type: literals, variables ($var) and relative dates ($date).

import { filterLimits, filterVariableNames, relativeDateNames, type FilterOperator, type RelativeDateName } from '@daicho/sdk';
import type { QueryValueType } from '../catalog.ts';
import { parseIsoDate, parseIsoDateTime } from '../calendar/civil-date.ts';
import { decimalFromNumber } from '../formula/decimal.ts';
import type { ResolvedFieldPath } from '../paths/field-paths.ts';
import { quoteInput, type FilterProblem } from '../query-errors.ts';
import type { ConditionOperand, ScalarOperand } from './filter-model.ts';

const textOperators: readonly FilterOperator[] = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'notIn', 'contains', 'startsWith', 'isNull', 'between'];
const operatorsByKind: Record<string, readonly FilterOperator[]> = {
  text: textOperators,
  picklist: ['eq', 'ne', 'in', 'notIn', 'isNull'],
  number: ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'notIn', 'isNull', 'between'],
  boolean: ['eq', 'ne', 'isNull'],
  date: ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'notIn', 'isNull', 'between'],
  datetime: ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'isNull', 'between'],
  id: ['eq', 'ne', 'in', 'notIn', 'isNull'],
  textList: ['eq', 'ne', 'in', 'notIn', 'contains', 'isNull'],
  json: [],
};

/** The operators a resolved path accepts. */
export function operatorsFor(resolved: ResolvedFieldPath): readonly FilterOperator[] {
  const isPicklist = resolved.field.type === 'picklist' && resolved.part.kind === 'value';
  return operatorsByKind[isPicklist ? 'picklist' : resolved.valueType] ?? [];
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Collects problems while checking one condition's value. */
export interface OperandChecker {
  problems: FilterProblem[];
  /** JSON pointer of the condition's `value`. */
  pointer: string;
}

function report(checker: OperandChecker, pointer: string, code: FilterProblem['code'], message: string): undefined {
  checker.problems.push({ path: pointer, code, message });
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasOnlyKeys(value: Record<string, unknown>, allowed: readonly string[]): boolean {
  return Object.keys(value).every((key) => allowed.includes(key));
}

function typeName(valueType: QueryValueType): string {
  return valueType === 'datetime' ? 'date-time' : valueType === 'textList' ? 'text' : valueType;
}

/** Checks one scalar operand: a literal of the field's type, a variable or (where allowed) a relative date. */
function checkScalar(raw: unknown, resolved: ResolvedFieldPath, pointer: string, checker: OperandChecker, allowRange: boolean): ScalarOperand | undefined {
  const { valueType } = resolved;
  if (isPlainObject(raw) && '$var' in raw) {
    const name = raw.$var;
    if (!hasOnlyKeys(raw, ['$var']) || typeof name !== 'string' || !(filterVariableNames as readonly string[]).includes(name)) {
      return report(checker, pointer, 'unknownVariable', `Unknown variable: use one of ${filterVariableNames.join(', ')}`);
    }
    if (name === 'user.id' && valueType === 'id') return { kind: 'variable', name };
    if (name === 'now' && valueType === 'datetime') return { kind: 'variable', name };
    if (name === 'today' && allowRange && (valueType === 'date' || valueType === 'datetime')) return { kind: 'relativeDate', name: 'today', n: 1 };
    return report(checker, pointer, 'invalidValue', `The variable ${name} cannot be compared with ${quoteInput(resolved.path)} here`);
  }
  if (isPlainObject(raw) && '$date' in raw) {
    const name = raw.$date;
    if (!hasOnlyKeys(raw, ['$date', 'n']) || typeof name !== 'string' || !(relativeDateNames as readonly string[]).includes(name)) {
      return report(checker, pointer, 'invalidValue', `Unknown relative date: use one of ${relativeDateNames.join(', ')}`);
    }
    if (!allowRange || (valueType !== 'date' && valueType !== 'datetime')) {
      return report(checker, pointer, 'invalidValue', `A relative date cannot be used with ${quoteInput(resolved.path)} here`);
    }
    const takesCount = name === 'lastNDays' || name === 'nextNDays';
    const n = raw.n;
    if (takesCount && !(typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= filterLimits.maxRelativeDays)) {
      return report(checker, `${pointer}/n`, 'invalidValue', `${name} needs n, a whole number from 1 to ${filterLimits.maxRelativeDays}`);
    }
    if (!takesCount && n !== undefined) return report(checker, `${pointer}/n`, 'invalidValue', `${name} takes no n`);
    return { kind: 'relativeDate', name: name as RelativeDateName, n: takesCount ? (n as number) : 1 };
  }
  if (typeof raw === 'string' && raw.length > filterLimits.maxStringLength) {
    return report(checker, pointer, 'valueTooLong', `A value has at most ${filterLimits.maxStringLength} characters`);
  }
  if (typeof raw === 'string' && raw.includes('\u0000')) {
    return report(checker, pointer, 'invalidValue', 'Text cannot contain the NUL character');
  }
  const literal = checkLiteral(raw, resolved, allowRange);
  if (literal === undefined) {
    const expected = valueType === 'date' ? 'a date (YYYY-MM-DD)' : valueType === 'datetime' ? 'a date-time (ISO 8601 with offset) or a date' : `a ${typeName(valueType)}`;
    return report(checker, pointer, 'invalidValue', `${quoteInput(resolved.path)} compares with ${expected}, not ${JSON.stringify(raw)?.slice(0, 60)}`);
  }
  if (literal === 'notAValue') {
    return report(checker, pointer, 'invalidValue', `${JSON.stringify(raw)?.slice(0, 60)} is not one of the values of ${quoteInput(resolved.path)}`);
  }
  return literal;
}

function checkLiteral(raw: unknown, resolved: ResolvedFieldPath, allowRange: boolean): ScalarOperand | 'notAValue' | undefined {
  switch (resolved.valueType) {
    case 'text':
    case 'textList': {
      if (typeof raw !== 'string') return undefined;
      const values = resolved.part.kind === 'value' ? resolved.field.values : undefined;
      if (values && !values.includes(raw)) return 'notAValue';
      return { kind: 'literal', value: raw };
    }
    case 'number':
      return typeof raw === 'number' && Number.isFinite(raw) ? { kind: 'literal', value: decimalFromNumber(raw) } : undefined;
    case 'boolean':
      return typeof raw === 'boolean' ? { kind: 'literal', value: raw } : undefined;
    case 'id':
      return typeof raw === 'string' && uuidPattern.test(raw) ? { kind: 'literal', value: raw.toLowerCase() } : undefined;
    case 'date': {
      const day = typeof raw === 'string' ? parseIsoDate(raw) : undefined;
      return day === undefined ? undefined : { kind: 'literal', value: day };
    }
    case 'datetime': {
      if (typeof raw !== 'string') return undefined;
      const instant = parseIsoDateTime(raw);
      if (instant !== undefined) return { kind: 'literal', value: instant };
      const day = allowRange ? parseIsoDate(raw) : undefined;
      return day === undefined ? undefined : { kind: 'day', day };
    }
    case 'json':
      return undefined;
  }
}

function checkList(raw: unknown, resolved: ResolvedFieldPath, checker: OperandChecker): ScalarOperand[] | undefined {
  if (!Array.isArray(raw)) return report(checker, checker.pointer, 'invalidValue', 'This operator takes a list of values');
  if (raw.length > filterLimits.maxListItems) {
    return report(checker, checker.pointer, 'listTooLong', `A list has at most ${filterLimits.maxListItems} values`);
  }
  const values = raw.map((item, index) => checkScalar(item, resolved, `${checker.pointer}/${index}`, checker, false));
  return values.every((value) => value !== undefined) ? (values as ScalarOperand[]) : undefined;
}

/** Checks the value of a condition whose field and operator are known and compatible. */
export function checkOperand(op: FilterOperator, raw: unknown, resolved: ResolvedFieldPath, checker: OperandChecker): ConditionOperand | undefined {
  if (op === 'isNull') {
    if (raw === undefined) return { kind: 'isNull', isNull: true };
    return typeof raw === 'boolean' ? { kind: 'isNull', isNull: raw } : report(checker, checker.pointer, 'invalidValue', 'isNull takes true or false');
  }
  if (raw === undefined) return report(checker, checker.pointer, 'missingValue', `The operator ${op} needs a value`);
  const isList = resolved.valueType === 'textList';
  if (op === 'in' || op === 'notIn' || (isList && (op === 'eq' || op === 'ne'))) {
    const values = checkList(raw, resolved, checker);
    return values && { kind: 'list', values };
  }
  if (isList && op === 'contains') {
    const values = Array.isArray(raw) ? checkList(raw, resolved, checker) : [checkScalar(raw, resolved, checker.pointer, checker, false)];
    return values && values.every((value) => value !== undefined) ? { kind: 'list', values: values as ScalarOperand[] } : undefined;
  }
  if (op === 'between') {
    if (!Array.isArray(raw) || raw.length !== 2) return report(checker, checker.pointer, 'invalidValue', 'between takes a list of two values: [low, high]');
    const low = checkScalar(raw[0], resolved, `${checker.pointer}/0`, checker, true);
    const high = checkScalar(raw[1], resolved, `${checker.pointer}/1`, checker, true);
    return low && high && { kind: 'pair', low, high };
  }
  if (Array.isArray(raw)) return report(checker, checker.pointer, 'invalidValue', `The operator ${op} takes one value, not a list`);
  const allowRange = op !== 'contains' && op !== 'startsWith';
  const value = checkScalar(raw, resolved, checker.pointer, checker, allowRange);
  return value && { kind: 'one', value };
}
