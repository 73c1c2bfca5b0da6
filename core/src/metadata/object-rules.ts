import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';
import { DaichoError, type InputProblem } from '../errors/index.ts';
import { checkFormula, validateFilter, type QueryCatalog } from '../query/index.ts';
import { checkValidationPattern } from '../text/index.ts';

/** Field types usable as a record's title. */
const titleTypes = new Set<FieldDefinition['type']>(['text', 'email', 'phone', 'autoNumber', 'name', 'formula', 'url']);
/** Field types global search can match. */
const searchableTypes = new Set<FieldDefinition['type']>(['text', 'longText', 'richText', 'email', 'phone', 'url', 'autoNumber', 'name', 'address', 'picklist']);
const aggregatableTypes = new Set<FieldDefinition['type']>(['integer', 'decimal', 'percent', 'currency', 'rollup']);
const orderableTypes = new Set<FieldDefinition['type']>([...aggregatableTypes, 'date', 'datetime']);

export interface ObjectRulesContext {
  /** Other objects of the workspace (with their stored definitions), by name. */
  objects: ReadonlyMap<string, ObjectDefinition>;
  /** The workspace's query catalog, with `next` already in it, for formulas and filters. */
  catalog: QueryCatalog;
}

/**
 * Platform rules a meta-schema cannot express: names unique, references that resolve, formulas
 * that type-check, filters that validate, safe patterns, consistent bounds.
 */
export function checkObjectRules(next: ObjectDefinition, context: ObjectRulesContext): InputProblem[] {
  const problems: InputProblem[] = [];
  const byName = new Map<string, FieldDefinition>();
  next.fields.forEach((field, index) => {
    const path = `/fields/${index}`;
    const lower = field.name.toLowerCase();
    if ([...byName.keys()].some((name) => name.toLowerCase() === lower)) {
      problems.push({ path: `${path}/name`, code: 'duplicateName', message: `Another field is already named "${field.name}" (names are compared ignoring case)` });
    }
    byName.set(field.name, field);
    problems.push(...checkField(field, path, next, context));
  });
  if (next.titleField !== undefined) {
    const title = byName.get(next.titleField);
    if (!title) problems.push({ path: '/titleField', code: 'unknownField', message: `No field is named "${next.titleField}"` });
    else if (!titleTypes.has(title.type)) problems.push({ path: '/titleField', code: 'unsuitableField', message: `A ${title.type} field cannot be the title` });
  }
  (next.searchFields ?? []).forEach((name, index) => {
    const field = byName.get(name);
    if (!field) problems.push({ path: `/searchFields/${index}`, code: 'unknownField', message: `No field is named "${name}"` });
    else if (!searchableTypes.has(field.type)) problems.push({ path: `/searchFields/${index}`, code: 'unsuitableField', message: `A ${field.type} field cannot be searched` });
  });
  const masters = next.fields.filter((field) => field.type === 'masterDetail');
  if (masters.length > 2) problems.push({ path: '/fields', code: 'tooManyMasters', message: 'An object can have at most two masterDetail fields' });
  return problems;
}

function resolvesToObject(target: string, next: ObjectDefinition, context: ObjectRulesContext): boolean {
  return target === 'user' || target === next.name || context.objects.has(target);
}

function checkField(field: FieldDefinition, path: string, next: ObjectDefinition, context: ObjectRulesContext): InputProblem[] {
  const problems: InputProblem[] = [];
  const problem = (sub: string, code: string, message: string) => problems.push({ path: `${path}${sub}`, code, message });
  if ('min' in field && 'max' in field && field.min !== undefined && field.max !== undefined && field.min > field.max) {
    problem('/min', 'minAboveMax', 'min must not be greater than max');
  }
  if ('minLength' in field && field.minLength !== undefined && field.maxLength !== undefined && field.minLength > field.maxLength) {
    problem('/minLength', 'minAboveMax', 'minLength must not be greater than maxLength');
  }
  if ('scale' in field && field.type !== 'formula' && (field.scale ?? 2) > ((field as { precision?: number }).precision ?? 18)) {
    problem('/scale', 'scaleAbovePrecision', 'scale must not be greater than precision');
  }
  if (field.unique && field.required === undefined && field.type === 'boolean') problem('/unique', 'unsupported', 'A boolean cannot be unique');
  switch (field.type) {
    case 'text':
      if (field.pattern !== undefined) {
        try {
          checkValidationPattern(field.pattern);
        } catch (error) {
          problem('/pattern', error instanceof DaichoError ? error.code : 'invalidPattern', (error as Error).message);
        }
      }
      break;
    case 'picklist':
    case 'multiPicklist': {
      const seen = new Set<string>();
      field.values.forEach((value, index) => {
        if (seen.has(value.value)) problem(`/values/${index}/value`, 'duplicateValue', `The value "${value.value}" appears twice`);
        seen.add(value.value);
      });
      const defaults = field.default === undefined ? [] : Array.isArray(field.default) ? field.default : [field.default];
      for (const value of defaults) if (!seen.has(value)) problem('/default', 'unknownValue', `The default "${value}" is not one of the values`);
      break;
    }
    case 'lookup':
    case 'masterDetail':
      if (!resolvesToObject(field.target, next, context)) problem('/target', 'unknownObject', `No object is named "${field.target}"`);
      if (field.type === 'masterDetail' && field.target === 'user') problem('/target', 'unsupported', 'A masterDetail field cannot point at users');
      if (field.type === 'masterDetail' && field.target === next.name) problem('/target', 'unsupported', 'A masterDetail field cannot point at its own object');
      break;
    case 'currency':
      if (field.defaultCurrency && field.currencies && !field.currencies.includes(field.defaultCurrency)) {
        problem('/defaultCurrency', 'unknownValue', 'The default currency must be one of the allowed currencies');
      }
      break;
    case 'formula':
      try {
        const checked = checkFormula(field.expression, next.name, context.catalog, { fieldName: field.name });
        if (checked.returnType !== field.returnType) {
          problem('/returnType', 'typeMismatch', `The expression returns ${checked.returnType}, not ${field.returnType}`);
        }
      } catch (error) {
        if (!(error instanceof DaichoError)) throw error;
        problem('/expression', error.code, error.message);
      }
      break;
    case 'rollup':
      problems.push(...checkRollup(field, path, next, context));
      break;
    default:
      break;
  }
  return problems;
}

function checkRollup(field: Extract<FieldDefinition, { type: 'rollup' }>, path: string, next: ObjectDefinition, context: ObjectRulesContext): InputProblem[] {
  const problems: InputProblem[] = [];
  const child = field.childObject === next.name ? next : context.objects.get(field.childObject);
  if (!child) return [{ path: `${path}/childObject`, code: 'unknownObject', message: `No object is named "${field.childObject}"` }];
  const relation = child.fields.find((candidate) => candidate.name === field.relationshipField);
  if (!relation || (relation.type !== 'lookup' && relation.type !== 'masterDetail') || relation.target !== next.name) {
    problems.push({ path: `${path}/relationshipField`, code: 'unknownField', message: `"${field.relationshipField}" is not a lookup or masterDetail field of ${field.childObject} pointing at ${next.name}` });
  }
  if (field.function === 'count') {
    if (field.aggregateField !== undefined) problems.push({ path: `${path}/aggregateField`, code: 'unsupported', message: 'count takes no aggregateField' });
  } else {
    const aggregated = child.fields.find((candidate) => candidate.name === field.aggregateField);
    const allowed = field.function === 'min' || field.function === 'max' ? orderableTypes : aggregatableTypes;
    if (!aggregated || !allowed.has(aggregated.type)) {
      problems.push({ path: `${path}/aggregateField`, code: 'unsuitableField', message: `${field.function} needs ${field.function === 'sum' || field.function === 'avg' ? 'a number' : 'a number or date'} field of ${field.childObject}` });
    } else if (aggregated.type !== 'integer' && aggregated.type !== 'decimal' && aggregated.type !== 'percent' && aggregated.type !== 'currency' && aggregated.type !== 'rollup') {
      problems.push({ path: `${path}/aggregateField`, code: 'unsupported', message: 'Roll-ups store numbers; aggregate a number field' });
    }
  }
  if (field.filter !== undefined) {
    const childQuery = context.catalog.object(field.childObject);
    if (childQuery) {
      try {
        validateFilter(field.filter, childQuery, context.catalog);
      } catch (error) {
        if (!(error instanceof DaichoError)) throw error;
        problems.push({ path: `${path}/filter`, code: error.code, message: error.message });
      }
    }
  }
  return problems;
}
