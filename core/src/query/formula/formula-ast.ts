// The syntax tree of a formula. Operators are calls of named operations (ADD, EQ, AND, …), so that
// type checking, SQL compilation and in-memory evaluation each have one table to keep in step.

import type { FormulaReturnType } from '@daicho/sdk';
import type { ResolvedFieldPath } from '../paths/field-paths.ts';
import type { Decimal } from './decimal.ts';

/** Character offsets into the formula text: [start, end). */
export interface SourceSpan {
  start: number;
  end: number;
}

export type FormulaNode =
  | (SourceSpan & { kind: 'number'; text: string })
  | (SourceSpan & { kind: 'text'; value: string })
  | (SourceSpan & { kind: 'boolean'; value: boolean })
  | (SourceSpan & { kind: 'null' })
  | (SourceSpan & { kind: 'field'; path: string })
  /** An operator (`ADD`, `EQ`, `NEG`, …) or a function (`IF`, `ROUND`, …), by upper-case name. */
  | (SourceSpan & { kind: 'call'; name: string; args: FormulaNode[]; isOperator: boolean });

/** A parsed formula. */
export interface FormulaAst {
  text: string;
  root: FormulaNode;
}

/** The type of an expression: a return type, or `null` for a bare NULL that fits any type. */
export type FormulaType = FormulaReturnType | 'null';

/** A value in memory: text, Decimal (number), boolean, epoch day (date), epoch ms (datetime). */
export type FormulaValue = string | Decimal | boolean | number | null;

export type TypedFormulaNode =
  | (SourceSpan & { kind: 'literal'; type: FormulaType; value: FormulaValue })
  | (SourceSpan & {
      kind: 'field';
      type: FormulaType;
      resolved: ResolvedFieldPath;
      /** Set when the field is itself a formula: it is computed, not read. */
      formula?: CheckedFormula;
    })
  | (SourceSpan & { kind: 'call'; type: FormulaType; name: string; args: TypedFormulaNode[] });

/** A formula that parsed and type-checked against a catalog: ready to compile or evaluate. */
export interface CheckedFormula {
  text: string;
  /** The object the formula belongs to; its field paths start there. */
  objectName: string;
  returnType: FormulaReturnType;
  /** The field paths the formula reads, as written, in order of first use. */
  references: string[];
  root: TypedFormulaNode;
  /** Formula fields it uses, directly or through other formulas, as `object.field`. */
  formulaFields: string[];
  /** Nodes once referenced formulas are inlined: bounds the size of the SQL and the work. */
  expandedSize: number;
}
