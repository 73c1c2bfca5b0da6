// Every operator and function evaluated in memory, each the exact counterpart of its SQL in
// formula-operations.sql.ts: blanks propagate (strict functions), comparisons with a blank are
// blank, AND/OR/NOT follow SQL's three-valued logic, division by zero is blank.

import { addMonthsClamped, formatIsoDate, fromEpochDay, maxEpochDay, minEpochDay, toEpochDay } from '../calendar/civil-date.ts';
import { localEpochDay } from '../calendar/time-zone.ts';
import { checkedTimeZone, todayOf, type QueryContext } from '../query-context.ts';
import {
  asciiLowerCase,
  asciiUpperCase,
  codePointsOf,
  compareCodePoints,
  numberTextPattern,
  trimText,
} from '../values/text-rules.ts';
import {
  absDecimal,
  addDecimals,
  ceilingDecimal,
  compareDecimals,
  decimalFromInteger,
  divideDecimals,
  floorDecimal,
  formatDecimal,
  modDecimals,
  multiplyDecimals,
  negateDecimal,
  parseDecimal,
  roundDecimal,
  subtractDecimals,
  truncateToInteger,
  type Decimal,
} from './decimal.ts';
import type { FormulaType, FormulaValue } from './formula-ast.ts';
import { integerArgumentRanges } from './integer-arguments.ts';

type MemoryOperation = (args: FormulaValue[], types: readonly FormulaType[], context: QueryContext) => FormulaValue;

const numberText = new RegExp(numberTextPattern);

/** An integer argument: truncated toward zero, blank when blank or outside its range. */
function integerArgument(value: FormulaValue, range: readonly [number, number]): number | null {
  if (value === null) return null;
  const integer = truncateToInteger(value as Decimal);
  if (integer === undefined || integer < range[0] || integer > range[1]) return null;
  return integer;
}

function dateInRange(epochDay: number): number | null {
  return epochDay < minEpochDay || epochDay > maxEpochDay ? null : epochDay;
}

/** Compares two non-blank values of one type: negative, zero or positive. */
function compareFormulaValues(a: FormulaValue, b: FormulaValue, type: FormulaType): number {
  if (type === 'number') return compareDecimals(a as Decimal, b as Decimal);
  if (type === 'text') return compareCodePoints(a as string, b as string);
  if (type === 'boolean') return Number(a) - Number(b);
  return (a as number) - (b as number);
}

function commonTypeOf(types: readonly FormulaType[]): FormulaType {
  return types.find((type) => type !== 'null') ?? 'null';
}

function strict(operation: (...args: never[]) => FormulaValue): MemoryOperation {
  return (args) => (args.some((arg) => arg === null) ? null : (operation as (...values: FormulaValue[]) => FormulaValue)(...args));
}

function comparison(test: (order: number) => boolean): MemoryOperation {
  return (args, types) => {
    const [a, b] = args;
    if (a === null || b === null || a === undefined || b === undefined) return null;
    return test(compareFormulaValues(a, b, commonTypeOf(types)));
  };
}

function isBlank(value: FormulaValue, type: FormulaType): boolean {
  return value === null || (type === 'text' && value === '');
}

function extreme(pick: (order: number) => boolean): MemoryOperation {
  return (args, types) => {
    const type = commonTypeOf(types);
    let best: FormulaValue = null;
    for (const value of args) {
      if (value !== null && (best === null || pick(compareFormulaValues(value, best, type)))) best = value;
    }
    return best;
  };
}

function formatText(value: FormulaValue, type: FormulaType): FormulaValue {
  if (value === null) return null;
  switch (type) {
    case 'number':
      return formatDecimal(value as Decimal, true);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'date':
      return formatIsoDate(value as number);
    case 'datetime':
      return new Date(value as number).toISOString();
    default:
      return value as string;
  }
}

const ranges = integerArgumentRanges;

export const memoryOperations: Readonly<Record<string, MemoryOperation>> = {
  ADD: strict((a: Decimal, b: Decimal) => addDecimals(a, b)),
  SUB: strict((a: Decimal, b: Decimal) => subtractDecimals(a, b)),
  MUL: strict((a: Decimal, b: Decimal) => multiplyDecimals(a, b)),
  DIV: strict((a: Decimal, b: Decimal) => divideDecimals(a, b)),
  NEG: strict((a: Decimal) => negateDecimal(a)),
  CONCAT: (args) => args.map((arg) => (arg ?? '') as string).join(''),
  EQ: comparison((order) => order === 0),
  NE: comparison((order) => order !== 0),
  LT: comparison((order) => order < 0),
  LE: comparison((order) => order <= 0),
  GT: comparison((order) => order > 0),
  GE: comparison((order) => order >= 0),
  AND: (args) => (args.includes(false) ? false : args.includes(null) ? null : true),
  OR: (args) => (args.includes(true) ? true : args.includes(null) ? null : false),
  NOT: (args) => (args[0] === null ? null : !args[0]),
  IF: (args) => (args[0] === true ? args[1]! : args[2]!),
  CASE: (args, types) => {
    const subject = args[0]!;
    const type = commonTypeOf([types[0]!, ...types.filter((_, index) => index % 2 === 1 && index < types.length - 1)]);
    for (let index = 1; index < args.length - 1; index += 2) {
      const candidate = args[index]!;
      if (subject !== null && candidate !== null && compareFormulaValues(subject, candidate, type) === 0) return args[index + 1]!;
    }
    return args[args.length - 1]!;
  },
  ISBLANK: (args, types) => isBlank(args[0]!, types[0]!),
  BLANKVALUE: (args, types) => (isBlank(args[0]!, types[0]!) ? args[1]! : args[0]!),
  LEN: strict((text: string) => decimalFromInteger(codePointsOf(text).length)),
  UPPER: strict((text: string) => asciiUpperCase(text)),
  LOWER: strict((text: string) => asciiLowerCase(text)),
  TRIM: strict((text: string) => trimText(text)),
  LEFT: strict((text: string, count: Decimal) => {
    const n = integerArgument(count, ranges.count);
    return n === null ? null : codePointsOf(text).slice(0, n).join('');
  }),
  RIGHT: strict((text: string, count: Decimal) => {
    const n = integerArgument(count, ranges.count);
    return n === null ? null : n === 0 ? '' : codePointsOf(text).slice(-n).join('');
  }),
  MID: strict((text: string, start: Decimal, count: Decimal) => {
    const from = integerArgument(start, ranges.position);
    const n = integerArgument(count, ranges.count);
    return from === null || n === null ? null : codePointsOf(text).slice(from - 1, from - 1 + n).join('');
  }),
  CONTAINS: strict((text: string, part: string) => text.includes(part)),
  BEGINS: strict((text: string, part: string) => text.startsWith(part)),
  SUBSTITUTE: strict((text: string, old: string, replacement: string) => (old === '' ? text : text.split(old).join(replacement))),
  TEXT: (args, types) => formatText(args[0]!, types[0]!),
  VALUE: strict((text: string) => {
    const match = numberText.exec(text);
    return match ? parseDecimal(match[1]!)! : null;
  }),
  ROUND: (args) => {
    if (args[0] === null) return null;
    const digits = args.length > 1 ? integerArgument(args[1]!, ranges.roundingDigits) : 0;
    return digits === null ? null : roundDecimal(args[0] as Decimal, digits);
  },
  ABS: strict((a: Decimal) => absDecimal(a)),
  FLOOR: strict((a: Decimal) => floorDecimal(a)),
  CEILING: strict((a: Decimal) => ceilingDecimal(a)),
  MIN: extreme((order) => order < 0),
  MAX: extreme((order) => order > 0),
  MOD: strict((a: Decimal, b: Decimal) => modDecimals(a, b)),
  TODAY: (_args, _types, context) => todayOf(context),
  NOW: (_args, _types, context) => context.now.getTime(),
  DATE: strict((year: Decimal, month: Decimal, day: Decimal) => {
    const y = integerArgument(year, ranges.year);
    const m = integerArgument(month, ranges.month);
    const d = integerArgument(day, ranges.dayOfMonth);
    return y === null || m === null || d === null ? null : toEpochDay(y, m, 1) + d - 1;
  }),
  YEAR: strict((day: number) => decimalFromInteger(fromEpochDay(day).year)),
  MONTH: strict((day: number) => decimalFromInteger(fromEpochDay(day).month)),
  DAY: strict((day: number) => decimalFromInteger(fromEpochDay(day).day)),
  ADDDAYS: strict((day: number, count: Decimal) => {
    const n = integerArgument(count, ranges.days);
    return n === null ? null : dateInRange(day + n);
  }),
  ADDMONTHS: strict((day: number, count: Decimal) => {
    const n = integerArgument(count, ranges.months);
    return n === null ? null : dateInRange(addMonthsClamped(day, n));
  }),
  DAYSBETWEEN: strict((from: number, to: number) => decimalFromInteger(to - from)),
  DATEVALUE: (args, _types, context) => (args[0] === null ? null : localEpochDay(args[0] as number, checkedTimeZone(context))),
};
