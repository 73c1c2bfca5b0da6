// Validation of filter JSON: the shape of sdk/schemas/filter.schema.json, then field paths,
// operators per field type, values, and the limits. Every problem is reported with a JSON
// pointer; nothing the validator has not understood ever reaches SQL.

import { filterLimits, filterOperators, type Filter, type FilterOperator } from '@daicho/sdk';
import type { QueryCatalog, QueryObject } from '../catalog.ts';
import { DaichoError } from '../../errors/index.ts';
import { checkFieldFormula } from '../formula/check-formula.ts';
import type { CheckedFormula } from '../formula/formula-ast.ts';
import { isPathProblem, resolveFieldPath } from '../paths/field-paths.ts';
import { queryErrors, quoteInput, type FilterProblem } from '../query-errors.ts';
import { checkOperand, operatorsFor } from './filter-operands.ts';
import { rememberValidatedFilter, type ValidatedNode, type ValidFilter } from './filter-model.ts';

const maxReportedProblems = 50;

interface ValidationState {
  catalog: QueryCatalog;
  object: QueryObject;
  problems: FilterProblem[];
  conditions: number;
}

type Validated = { node: ValidatedNode; json: Filter } | undefined;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function report(state: ValidationState, path: string, code: FilterProblem['code'], message: string): undefined {
  if (state.problems.length < maxReportedProblems) state.problems.push({ path, code, message });
  return undefined;
}

/**
 * Checks filter JSON against an object: its shape, field paths (through at most 3 lookups), the
 * operators each field type takes, the values, and the limits (depth 8, 200 conditions, lists of
 * 1000, texts of 1000 characters).
 * @returns a normalised copy of the filter, the only kind {@link compileFilter} and {@link evaluateFilter} take.
 * @throws DaichoError `INVALID_FILTER` whose `details.problems` lists `{ path, code, message }`, path a JSON pointer.
 * @example
 * const filter = validateFilter({ and: [{ field: 'stage', op: 'eq', value: 'won' }] }, 'deal', catalog);
 */
export function validateFilter(raw: unknown, object: string | QueryObject, catalog: QueryCatalog): ValidFilter {
  const root = typeof object === 'string' ? catalog.object(object) : object;
  if (!root) throw queryErrors.invalidFilter([{ path: '', code: 'unknownField', message: `There is no object ${quoteInput(String(object))}` }]);
  const state: ValidationState = { catalog, object: root, problems: [], conditions: 0 };
  const result = validateNode(raw, '', 1, state);
  if (!result || state.problems.length > 0) throw queryErrors.invalidFilter(state.problems);
  return rememberValidatedFilter(result.json, { objectName: root.name, root: result.node });
}

function validateNode(raw: unknown, pointer: string, depth: number, state: ValidationState): Validated {
  if (depth > filterLimits.maxDepth) return report(state, pointer, 'tooDeep', `Filters nest at most ${filterLimits.maxDepth} levels`);
  if (!isPlainObject(raw)) return report(state, pointer, 'invalidNode', 'A filter is an object: {"and": [...]}, {"or": [...]}, {"not": {...}} or a condition');
  const keys = Object.keys(raw);
  const group = keys.find((key) => key === 'and' || key === 'or' || key === 'not');
  if (group !== undefined) {
    if (keys.length !== 1) return report(state, pointer, 'invalidNode', `A "${group}" group has no other keys`);
    if (group === 'not') {
      const inner = validateNode(raw.not, `${pointer}/not`, depth + 1, state);
      return inner && { node: { kind: 'not', child: inner.node }, json: { not: inner.json } };
    }
    const members = raw[group];
    if (!Array.isArray(members)) return report(state, `${pointer}/${group}`, 'invalidNode', `"${group}" takes a list of filters`);
    const children: NonNullable<Validated>[] = [];
    for (const [index, member] of members.entries()) {
      if (state.conditions > filterLimits.maxConditions) break;
      const child = validateNode(member, `${pointer}/${group}/${index}`, depth + 1, state);
      if (child) children.push(child);
    }
    if (children.length !== members.length) return undefined;
    const node: ValidatedNode = { kind: group, children: children.map((child) => child.node) };
    return { node, json: (group === 'and' ? { and: children.map((c) => c.json) } : { or: children.map((c) => c.json) }) as Filter };
  }
  if (!('field' in raw) && !('op' in raw)) {
    return report(state, pointer, 'invalidNode', 'A filter is an object: {"and": [...]}, {"or": [...]}, {"not": {...}} or a condition');
  }
  return validateCondition(raw, pointer, state);
}

function validateCondition(raw: Record<string, unknown>, pointer: string, state: ValidationState): Validated {
  state.conditions++;
  if (state.conditions === filterLimits.maxConditions + 1) {
    return report(state, '', 'tooManyConditions', `A filter has at most ${filterLimits.maxConditions} conditions`);
  }
  if (state.conditions > filterLimits.maxConditions) return undefined;
  const problemsBefore = state.problems.length;
  for (const key of Object.keys(raw)) {
    if (key !== 'field' && key !== 'op' && key !== 'value') report(state, `${pointer}/${key}`, 'unknownKey', `A condition has no key ${quoteInput(key)}`);
  }
  const { field, op, value } = raw;
  const resolved =
    typeof field === 'string'
      ? resolveFieldPath(state.catalog, state.object, field, { use: 'filter', maxLookups: filterLimits.maxLookups })
      : { code: 'invalidPath' as const, message: 'field is a path of API names, as text' };
  if (isPathProblem(resolved)) report(state, `${pointer}/field`, resolved.code, resolved.message);
  const knownOperator = typeof op === 'string' && (filterOperators as readonly string[]).includes(op);
  if (!knownOperator) report(state, `${pointer}/op`, 'unknownOperator', `Unknown operator ${quoteInput(String(op))}: use one of ${filterOperators.join(', ')}`);
  if (isPathProblem(resolved) || !knownOperator) return undefined;
  const operator = op as FilterOperator;
  if (!operatorsFor(resolved).includes(operator)) {
    return report(state, `${pointer}/op`, 'operatorNotAllowed', `${quoteInput(resolved.path)} cannot be compared with ${operator}: use ${operatorsFor(resolved).join(', ')}`);
  }
  let formula: CheckedFormula | undefined;
  if (resolved.field.formula) {
    try {
      formula = checkFieldFormula(state.catalog, resolved.object, resolved.field);
    } catch (error) {
      if (!(error instanceof DaichoError)) throw error;
      return report(state, `${pointer}/field`, 'invalidFormulaField', `The formula of ${quoteInput(resolved.path)} is not valid: ${error.message}`);
    }
  }
  const operand = checkOperand(operator, value, resolved, { problems: state.problems, pointer: `${pointer}/value` });
  if (!operand || state.problems.length > problemsBefore) return undefined;
  const json = { field: resolved.path, op: operator, value: operator === 'isNull' && value === undefined ? true : structuredClone(value) } as Filter;
  return { node: { kind: 'condition', pointer, resolved, ...(formula ? { formula } : {}), op: operator, operand }, json: normaliseIds(json, resolved.valueType) };
}

/** Ids compare case-insensitively; the normalised filter writes them in lower case. */
function normaliseIds(json: Filter, valueType: string): Filter {
  if (valueType !== 'id' || !('value' in json)) return json;
  const lower = (value: unknown): unknown => (typeof value === 'string' ? value.toLowerCase() : value);
  const value = Array.isArray(json.value) ? json.value.map(lower) : lower(json.value);
  return { ...json, value } as Filter;
}
