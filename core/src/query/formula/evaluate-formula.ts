// Checked formulas evaluated on a record in memory, with the same results as their SQL: exact
// decimals for numbers, code-point text order, SQL's blank (NULL) rules.

import { formatIsoDate } from '../calendar/civil-date.ts';
import type { QueryContext } from '../query-context.ts';
import { readRecordPath, readTypedValue, type RecordData } from '../values/record-values.ts';
import { decimalToNumber, trimScale, type Decimal } from './decimal.ts';
import type { CheckedFormula, FormulaValue, TypedFormulaNode } from './formula-ast.ts';
import { memoryOperations } from './formula-operations.memory.ts';

/** A formula's value as the records API shows it: number, text, boolean, `YYYY-MM-DD`, ISO date-time, or null. */
export type FormulaResult = string | number | boolean | null;

/**
 * Evaluates a checked formula on a record in the records API's JSON shape. Lookups that the
 * formula's paths pass through must be expanded as nested objects; an empty lookup gives blank.
 * @example
 * const checked = checkFormula('amount * 1.1', 'deal', catalog);
 * evaluateFormula(checked, { amount: { amount: 100, currency: 'JPY' } }, context); // 110
 */
export function evaluateFormula(formula: CheckedFormula, record: RecordData, context: QueryContext): FormulaResult {
  const value = evaluateFormulaValue(formula, record, context);
  if (value === null) return null;
  switch (formula.returnType) {
    case 'number':
      return decimalToNumber(value as Decimal);
    case 'date':
      return formatIsoDate(value as number);
    case 'datetime':
      return new Date(value as number).toISOString();
    default:
      return value as string | boolean;
  }
}

/** The formula's value in comparison form: Decimal, text, boolean, epoch day or epoch ms. */
export function evaluateFormulaValue(formula: CheckedFormula, record: RecordData, context: QueryContext): FormulaValue {
  return evaluateNode(formula.root, record, context);
}

function evaluateNode(node: TypedFormulaNode, record: RecordData, context: QueryContext): FormulaValue {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'field': {
      const { present, owner, raw } = readRecordPath(record, node.resolved);
      if (!present) return null;
      if (node.formula) return evaluateNode(node.formula.root, owner!, context);
      const value = readTypedValue(node.resolved.valueType, raw, node.resolved.path);
      return node.type === 'number' && value !== null ? trimScale(value as Decimal) : (value as FormulaValue);
    }
    case 'call': {
      const args = node.args.map((arg) => evaluateNode(arg, record, context));
      return memoryOperations[node.name]!(
        args,
        node.args.map((arg) => arg.type),
        context,
      );
    }
  }
}
