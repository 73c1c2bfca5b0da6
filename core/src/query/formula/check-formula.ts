// Type checking of formulas against a catalog: every field path resolved, every operator and
// function given arguments of the right types, formula fields that reference formula fields
// inlined (with a cycle check), and the size after inlining bounded.

import type { FormulaReturnType } from '@daicho/sdk';
import type { QueryCatalog, QueryField, QueryObject } from '../catalog.ts';
import { DaichoError } from '../../errors/index.ts';
import { isPathProblem, resolveFieldPath, type ResolvedFieldPath } from '../paths/field-paths.ts';
import { queryErrors, quoteInput, type FormulaProblem, type FormulaProblemCode } from '../query-errors.ts';
import { parseDecimal } from './decimal.ts';
import type { CheckedFormula, FormulaNode, FormulaType, TypedFormulaNode } from './formula-ast.ts';
import { formulaLimits, formulaProblemAt, parseFormula } from './formula-parser.ts';
import { formulaFunctionNames, operationSignatures, operatorSymbols } from './formula-signatures.ts';

export interface CheckFormulaOptions {
  /** The formula field being defined, so that a reference back to it is reported as a cycle. */
  fieldName?: string;
}

/** The type a field path has in a formula, or why it cannot be used. */
function formulaTypeOf(resolved: ResolvedFieldPath): FormulaType | undefined {
  switch (resolved.valueType) {
    case 'id':
      return 'text';
    case 'textList':
    case 'json':
      return undefined;
    default:
      return resolved.valueType;
  }
}

const checkedFieldFormulas = new WeakMap<QueryCatalog, WeakMap<QueryField, CheckedFormula>>();

interface CheckState {
  catalog: QueryCatalog;
  object: QueryObject;
  text: string;
  /** `object.field` keys of the formula fields being checked, outermost first. */
  stack: readonly string[];
  problems: FormulaProblem[];
  references: string[];
  formulaFields: string[];
}

type CheckedNode = TypedFormulaNode | undefined;

/**
 * Parses and type-checks a formula of an object.
 * @returns the checked formula: its return type, the field paths it reads, and a typed tree that
 *   {@link compileFormula} and {@link evaluateFormula} take.
 * @throws DaichoError `INVALID_FORMULA` whose `details.problems` carry position, code and message.
 * @example
 * const { returnType, references } = checkFormula('amount * (1 - discount / 100)', 'deal', catalog);
 */
export function checkFormula(text: string, objectName: string, catalog: QueryCatalog, options: CheckFormulaOptions = {}): CheckedFormula {
  const object = catalog.object(objectName);
  if (!object) throw queryErrors.invalidFormula([formulaProblemAt(text, 0, 'unknownField', `There is no object ${quoteInput(objectName)}`)]);
  const stack = options.fieldName === undefined ? [] : [`${object.name}.${options.fieldName}`];
  return checkWithStack(text, object, catalog, stack);
}

/**
 * The checked formula of a stored formula field, cached per catalog and field.
 * @throws DaichoError `INVALID_FORMULA` when the stored expression no longer checks.
 */
export function checkFieldFormula(catalog: QueryCatalog, object: QueryObject, field: QueryField): CheckedFormula {
  return checkStoredFormula(catalog, object, field, []);
}

function checkStoredFormula(catalog: QueryCatalog, object: QueryObject, field: QueryField, stack: readonly string[]): CheckedFormula {
  if (!field.formula) throw new Error(`field ${field.name} is not a formula`);
  let perCatalog = checkedFieldFormulas.get(catalog);
  if (!perCatalog) {
    perCatalog = new WeakMap();
    checkedFieldFormulas.set(catalog, perCatalog);
  }
  const cached = perCatalog.get(field);
  if (cached) return cached;
  const checked = checkWithStack(field.formula.expression, object, catalog, [...stack, `${object.name}.${field.name}`]);
  perCatalog.set(field, checked);
  return checked;
}

function checkWithStack(text: string, object: QueryObject, catalog: QueryCatalog, stack: readonly string[]): CheckedFormula {
  const ast = parseFormula(text);
  const state: CheckState = { catalog, object, text, stack, problems: [], references: [], formulaFields: [] };
  const checkedRoot = checkNode(ast.root, state);
  const root = checkedRoot && settleNullTypes(checkedRoot, checkedRoot.type);
  if (root && root.type === 'null') state.problems.push(formulaProblemAt(text, 0, 'noType', 'The formula is always blank: it needs a type'));
  if (!root || state.problems.length > 0) throw queryErrors.invalidFormula(state.problems);
  const expandedSize = sizeOf(root);
  if (expandedSize > formulaLimits.maxExpandedSize) {
    throw queryErrors.invalidFormula([
      formulaProblemAt(text, 0, 'tooComplex', `The formula, with the formulas it uses, exceeds ${formulaLimits.maxExpandedSize} parts`),
    ]);
  }
  const { references, formulaFields } = state;
  return { text, objectName: object.name, returnType: root.type as FormulaReturnType, references, formulaFields, root, expandedSize };
}

/** Gives blank sub-expressions (NULL, IF(c, NULL, NULL), …) the type their position needs, so their SQL is typed. */
function settleNullTypes(node: TypedFormulaNode, expected: FormulaType): TypedFormulaNode {
  const type = node.type === 'null' ? expected : node.type;
  if (node.kind !== 'call') return type === node.type ? node : { ...node, type };
  const signature = operationSignatures[node.name]!;
  const argTypes = node.args.map((arg) => arg.type);
  const args = node.args.map((arg, index) => settleNullTypes(arg, signature.argumentType(index, argTypes, type)));
  return { ...node, type, args };
}

function sizeOf(node: TypedFormulaNode): number {
  if (node.kind === 'field') return 1 + (node.formula?.expandedSize ?? 0);
  if (node.kind === 'literal') return 1;
  return node.args.reduce((total, arg) => total + sizeOf(arg), 1);
}

function problem(state: CheckState, position: number, code: FormulaProblemCode, message: string): undefined {
  state.problems.push(formulaProblemAt(state.text, position, code, message));
  return undefined;
}

function checkNode(node: FormulaNode, state: CheckState): CheckedNode {
  const span = { start: node.start, end: node.end };
  switch (node.kind) {
    case 'number':
      return { ...span, kind: 'literal', type: 'number', value: parseDecimal(node.text)! };
    case 'text':
      return { ...span, kind: 'literal', type: 'text', value: node.value };
    case 'boolean':
      return { ...span, kind: 'literal', type: 'boolean', value: node.value };
    case 'null':
      return { ...span, kind: 'literal', type: 'null', value: null };
    case 'field':
      return checkField(node.path, span, state);
    case 'call':
      return checkCall(node, state);
  }
}

function checkField(path: string, span: { start: number; end: number }, state: CheckState): CheckedNode {
  const resolved = resolveFieldPath(state.catalog, state.object, path, { use: 'formula', maxLookups: formulaLimits.maxLookups });
  if (isPathProblem(resolved)) {
    return problem(state, span.start, resolved.code === 'tooManyLookups' ? 'tooManyLookups' : 'unknownField', resolved.message);
  }
  const type = formulaTypeOf(resolved);
  if (type === undefined) {
    return problem(state, span.start, 'unsupportedField', `${quoteInput(path)} holds a ${resolved.field.type} value, which formulas cannot use`);
  }
  if (!state.references.includes(path)) state.references.push(path);
  if (!resolved.field.formula) return { ...span, kind: 'field', type, resolved };
  const key = `${resolved.object.name}.${resolved.field.name}`;
  const circular = () =>
    problem(state, span.start, 'circularReference', `${quoteInput(path)} refers back to this formula (${[...state.stack, key].join(' → ')})`);
  if (state.stack.includes(key)) return circular();
  try {
    const formula = checkStoredFormula(state.catalog, resolved.object, resolved.field, state.stack);
    // A cached formula was checked outside this stack: see whether it leads back into it.
    if (formula.formulaFields.some((used) => state.stack.includes(used))) return circular();
    for (const used of [key, ...formula.formulaFields]) if (!state.formulaFields.includes(used)) state.formulaFields.push(used);
    return { ...span, kind: 'field', type: formula.returnType, resolved, formula };
  } catch (error) {
    if (!(error instanceof DaichoError) || error.code !== 'INVALID_FORMULA') throw error;
    const nested = (error.details as { problems: FormulaProblem[] }).problems;
    const inherited = nested.find((item) => item.code === 'circularReference' || item.code === 'tooComplex');
    if (inherited) return problem(state, span.start, inherited.code, inherited.message);
    return problem(state, span.start, 'invalidReferencedFormula', `The formula of ${quoteInput(path)} is not valid: ${nested[0]?.message ?? ''}`);
  }
}

function checkCall(node: FormulaNode & { kind: 'call' }, state: CheckState): CheckedNode {
  const signature = operationSignatures[node.name];
  const shownName = operatorSymbols[node.name] && node.isOperator ? `"${operatorSymbols[node.name]}"` : node.name;
  if (!signature || (!node.isOperator && !formulaFunctionNames.includes(node.name))) {
    return problem(state, node.start, 'unknownFunction', `There is no function ${node.name}`);
  }
  if (node.args.length < signature.minArgs || node.args.length > signature.maxArgs) {
    const expected = signature.minArgs === signature.maxArgs ? `${signature.minArgs}` : `${signature.minArgs} to ${signature.maxArgs}`;
    return problem(state, node.start, 'wrongArgumentCount', `${shownName} takes ${expected} arguments, not ${node.args.length}`);
  }
  const args = node.args.map((arg) => checkNode(arg, state));
  if (args.some((arg) => arg === undefined)) return undefined;
  const typedArgs = args as TypedFormulaNode[];
  const result = signature.resultType(typedArgs.map((arg) => arg.type));
  if (typeof result === 'object') {
    const argumentTypes = typedArgs.map((arg) => arg.type);
    const isSum = node.name === 'ADD' || node.name === 'SUB';
    const hint =
      node.name === 'ADD' && argumentTypes.includes('text')
        ? ' (join texts with &)'
        : isSum && (argumentTypes.includes('date') || argumentTypes.includes('datetime'))
          ? ' (use ADDDAYS, ADDMONTHS or DAYSBETWEEN)'
          : '';
    return problem(state, node.args[result.argument]?.start ?? node.start, 'typeMismatch', `${shownName} ${result.message}${hint}`);
  }
  return { kind: 'call', name: node.name, args: typedArgs, type: result, start: node.start, end: node.end };
}
