// The type rules of every operator and function: how many arguments, of which types, and what
// type comes out. NULL (type `null`) fits any argument.

import type { FormulaReturnType } from '@daicho/sdk';
import type { FormulaType } from './formula-ast.ts';

export type SignatureResult = FormulaType | { argument: number; message: string };

export interface OperationSignature {
  minArgs: number;
  maxArgs: number;
  resultType(args: readonly FormulaType[]): SignatureResult;
  /** The type an argument is used as, given all argument types and the result: gives NULL a SQL type. */
  argumentType(index: number, args: readonly FormulaType[], result: FormulaType): FormulaType;
}

/** How operators appear in messages. */
export const operatorSymbols: Record<string, string> = {
  ADD: '+',
  SUB: '-',
  MUL: '*',
  DIV: '/',
  NEG: 'unary -',
  CONCAT: '&',
  EQ: '=',
  NE: '<>',
  LT: '<',
  LE: '<=',
  GT: '>',
  GE: '>=',
  AND: 'AND',
  OR: 'OR',
  NOT: 'NOT',
};

function fits(actual: FormulaType, expected: FormulaReturnType): boolean {
  return actual === 'null' || actual === expected;
}

function wrongType(argument: number, expected: string, actual: FormulaType): { argument: number; message: string } {
  return { argument, message: `expects ${expected} as argument ${argument + 1}, not ${actual}` };
}

/** Arguments of fixed types (the last ones optional when minArgs is lower). */
function fixed(parameters: readonly FormulaReturnType[], result: FormulaReturnType, minArgs = parameters.length): OperationSignature {
  return {
    minArgs,
    maxArgs: parameters.length,
    resultType(args) {
      for (const [index, type] of args.entries()) {
        const expected = parameters[index]!;
        if (!fits(type, expected)) return wrongType(index, expected === 'number' ? 'a number' : `a ${expected}`, type);
      }
      return result;
    },
    argumentType: (index) => parameters[index] ?? 'null',
  };
}

/** The common type of arguments that must agree, or the index of the first that does not. */
function commonType(args: readonly FormulaType[], indexes: readonly number[]): FormulaType | { argument: number; type: FormulaType } {
  let common: FormulaType = 'null';
  for (const index of indexes) {
    const type = args[index]!;
    if (type === 'null') continue;
    if (common === 'null') common = type;
    else if (type !== common) return { argument: index, type };
  }
  return common;
}

function sameTypes(minArgs: number, maxArgs: number, allowed: readonly FormulaReturnType[] | 'any', result: 'same' | FormulaReturnType): OperationSignature {
  return {
    minArgs,
    maxArgs,
    resultType(args) {
      const common = commonType(
        args,
        args.map((_, index) => index),
      );
      if (typeof common === 'object') return { argument: common.argument, message: `needs arguments of one type, but argument ${common.argument + 1} is ${common.type}` };
      if (allowed !== 'any' && common !== 'null' && !allowed.includes(common)) {
        return { argument: 0, message: `works on ${allowed.join(', ')}, not ${common}` };
      }
      return result === 'same' ? common : result;
    },
    argumentType(_index, args, resultType) {
      const common = commonType(
        args,
        args.map((_, index) => index),
      );
      if (typeof common === 'object') return 'null';
      return common === 'null' && result === 'same' ? resultType : common;
    },
  };
}

const ifSignature: OperationSignature = {
  minArgs: 3,
  maxArgs: 3,
  resultType(args) {
    if (!fits(args[0]!, 'boolean')) return wrongType(0, 'a condition (boolean)', args[0]!);
    const common = commonType(args, [1, 2]);
    if (typeof common === 'object') return { argument: 2, message: `returns ${args[1]} in one branch and ${common.type} in the other` };
    return common;
  },
  argumentType: (index, _args, result) => (index === 0 ? 'boolean' : result),
};

const caseSignature: OperationSignature = {
  minArgs: 4,
  maxArgs: 1 + 2 * 200 + 1,
  resultType(args) {
    if (args.length % 2 !== 0) return { argument: args.length - 1, message: 'takes an expression, pairs of value and result, and a default result' };
    const valueIndexes = [0, ...args.map((_, index) => index).filter((index) => index > 0 && index < args.length - 1 && index % 2 === 1)];
    const values = commonType(args, valueIndexes);
    if (typeof values === 'object') return { argument: values.argument, message: `compares ${args[0]} with ${values.type}` };
    const resultIndexes = args.map((_, index) => index).filter((index) => index > 0 && (index % 2 === 0 || index === args.length - 1));
    const results = commonType(args, resultIndexes);
    if (typeof results === 'object') return { argument: results.argument, message: `returns different types (argument ${results.argument + 1} is ${results.type})` };
    return results;
  },
  argumentType(index, args, result) {
    const isValue = index === 0 || (index % 2 === 1 && index < args.length - 1);
    if (!isValue) return result;
    const values = commonType(args, [0, ...args.map((_, i) => i).filter((i) => i % 2 === 1 && i < args.length - 1)]);
    return typeof values === 'object' ? 'null' : values;
  },
};

/** Takes one argument of any type (TEXT, ISBLANK). */
function anyArgument(result: FormulaReturnType): OperationSignature {
  return { minArgs: 1, maxArgs: 1, resultType: () => result, argumentType: (_index, args) => args[0] ?? 'null' };
}

const arithmetic = fixed(['number', 'number'], 'number');
const comparison = sameTypes(2, 2, ['number', 'text', 'date', 'datetime'], 'boolean');
const logical = (minArgs: number): OperationSignature => ({
  minArgs,
  maxArgs: 200,
  resultType(args) {
    const index = args.findIndex((type) => !fits(type, 'boolean'));
    return index === -1 ? 'boolean' : wrongType(index, 'a condition (boolean)', args[index]!);
  },
  argumentType: () => 'boolean',
});

/** Every operator (by operation name) and function (by upper-case name). */
export const operationSignatures: Readonly<Record<string, OperationSignature>> = {
  ADD: arithmetic,
  SUB: arithmetic,
  MUL: arithmetic,
  DIV: arithmetic,
  NEG: fixed(['number'], 'number'),
  CONCAT: fixed(['text', 'text'], 'text'),
  EQ: sameTypes(2, 2, 'any', 'boolean'),
  NE: sameTypes(2, 2, 'any', 'boolean'),
  LT: comparison,
  LE: comparison,
  GT: comparison,
  GE: comparison,
  AND: logical(1),
  OR: logical(1),
  NOT: fixed(['boolean'], 'boolean'),
  IF: ifSignature,
  CASE: caseSignature,
  ISBLANK: anyArgument('boolean'),
  BLANKVALUE: sameTypes(2, 2, 'any', 'same'),
  LEN: fixed(['text'], 'number'),
  UPPER: fixed(['text'], 'text'),
  LOWER: fixed(['text'], 'text'),
  TRIM: fixed(['text'], 'text'),
  LEFT: fixed(['text', 'number'], 'text'),
  RIGHT: fixed(['text', 'number'], 'text'),
  MID: fixed(['text', 'number', 'number'], 'text'),
  CONTAINS: fixed(['text', 'text'], 'boolean'),
  BEGINS: fixed(['text', 'text'], 'boolean'),
  SUBSTITUTE: fixed(['text', 'text', 'text'], 'text'),
  TEXT: anyArgument('text'),
  VALUE: fixed(['text'], 'number'),
  ROUND: fixed(['number', 'number'], 'number', 1),
  ABS: fixed(['number'], 'number'),
  FLOOR: fixed(['number'], 'number'),
  CEILING: fixed(['number'], 'number'),
  MIN: sameTypes(1, 200, ['number', 'date', 'datetime'], 'same'),
  MAX: sameTypes(1, 200, ['number', 'date', 'datetime'], 'same'),
  MOD: arithmetic,
  TODAY: fixed([], 'date'),
  NOW: fixed([], 'datetime'),
  DATE: fixed(['number', 'number', 'number'], 'date'),
  YEAR: fixed(['date'], 'number'),
  MONTH: fixed(['date'], 'number'),
  DAY: fixed(['date'], 'number'),
  ADDDAYS: fixed(['date', 'number'], 'date'),
  ADDMONTHS: fixed(['date', 'number'], 'date'),
  DAYSBETWEEN: fixed(['date', 'date'], 'number'),
  DATEVALUE: fixed(['datetime'], 'date'),
};

/** Names of the functions a formula can call (operators excluded), for docs and messages. */
export const formulaFunctionNames = Object.keys(operationSignatures).filter((name) => !(name in operatorSymbols) || name === 'AND' || name === 'OR' || name === 'NOT');
