// Field paths (`account.owner.email`, `billingAddress.city`, `amount.currency`) resolved against a
// catalog: which lookups they follow, which field they end on and what kind of value that is.
// Pure: the query scope turns a resolved path into SQL, the evaluators into a read of a record.

import type { QueryCatalog, QueryField, QueryObject, QueryValueType } from '../catalog.ts';
import { quoteInput } from '../query-errors.ts';

/** One lookup a path follows. */
export interface LookupStep {
  field: QueryField;
  from: QueryObject;
  to: QueryObject;
  /** The lookup names from the root object up to this step (`account.owner`): the join's key. */
  key: string;
}

/** What part of the final field a path addresses. */
export type FieldPart = { kind: 'value' } | { kind: 'currencyCode' } | { kind: 'component'; name: string };

export interface ResolvedFieldPath {
  /** The path as written. */
  path: string;
  steps: readonly LookupStep[];
  /** The object that owns the final field. */
  object: QueryObject;
  field: QueryField;
  part: FieldPart;
  /** How the addressed value compares: a currency's code and compound components are text. */
  valueType: QueryValueType;
}

export type PathProblemCode = 'invalidPath' | 'unknownField' | 'notFilterable' | 'notSortable' | 'tooManyLookups';

export interface PathProblem {
  code: PathProblemCode;
  message: string;
}

export interface ResolveFieldPathOptions {
  /** Most lookups the path may follow. */
  maxLookups: number;
  /** Which flag every field on the path must have: filters need `filterable`, sorts `sortable` at the end. */
  use: 'filter' | 'sort' | 'formula';
}

const segmentPattern = /^[A-Za-z][A-Za-z0-9_]*$/;
const maxPathLength = 200;

/** Whether a resolution failed. */
export function isPathProblem(value: ResolvedFieldPath | PathProblem): value is PathProblem {
  return 'code' in value;
}

/**
 * Resolves a path of API names from `root`, following lookups (`target`) and stepping into
 * compound components and a currency's `currency` code.
 */
export function resolveFieldPath(
  catalog: QueryCatalog,
  root: QueryObject,
  path: string,
  options: ResolveFieldPathOptions,
): ResolvedFieldPath | PathProblem {
  const segments = path.split('.');
  if (path.length > maxPathLength || !segments.every((segment) => segmentPattern.test(segment))) {
    return { code: 'invalidPath', message: `${quoteInput(path)} is not a field path: API names separated by dots` };
  }
  const steps: LookupStep[] = [];
  let object = root;
  for (let index = 0; index < segments.length; index++) {
    const name = segments[index]!;
    const field = object.fields.get(name);
    const soFar = segments.slice(0, index + 1).join('.');
    if (!field) return { code: 'unknownField', message: `${object.name} has no field ${quoteInput(name)}${segments.length > 1 ? ` (in ${quoteInput(path)})` : ''}` };
    const isLast = index === segments.length - 1;
    if (options.use !== 'formula' && !field.filterable && !(isLast && options.use === 'sort' && field.sortable)) {
      return { code: 'notFilterable', message: `${quoteInput(soFar)} cannot be used in filters or sorts` };
    }
    if (isLast) return finish(path, steps, object, field, { kind: 'value' }, options);
    const next = segments[index + 1]!;
    if (field.target !== undefined) {
      const target = catalog.object(field.target);
      if (!target) return { code: 'unknownField', message: `${quoteInput(soFar)} points at an object that does not exist` };
      steps.push({ field, from: object, to: target, key: soFar });
      if (steps.length > options.maxLookups) {
        return { code: 'tooManyLookups', message: `${quoteInput(path)} follows more than ${options.maxLookups} lookups` };
      }
      object = target;
      continue;
    }
    const isLastButOne = index === segments.length - 2;
    if (field.type === 'currency' && next === 'currency' && isLastButOne) {
      return finish(path, steps, object, field, { kind: 'currencyCode' }, options);
    }
    if (field.components?.includes(next) && isLastButOne) {
      return finish(path, steps, object, field, { kind: 'component', name: next }, options);
    }
    return { code: 'unknownField', message: `${quoteInput(soFar)} has no part ${quoteInput(next)} (in ${quoteInput(path)})` };
  }
  return { code: 'invalidPath', message: `${quoteInput(path)} is empty` };
}

function finish(
  path: string,
  steps: LookupStep[],
  object: QueryObject,
  field: QueryField,
  part: FieldPart,
  options: ResolveFieldPathOptions,
): ResolvedFieldPath | PathProblem {
  if (part.kind === 'value' && field.components !== undefined) {
    const example = `${path}.${field.components[0] ?? 'component'}`;
    return { code: 'invalidPath', message: `${quoteInput(path)} has components: name one, e.g. ${quoteInput(example)}` };
  }
  if (options.use === 'sort' && part.kind === 'value' && !field.sortable) {
    return { code: 'notSortable', message: `${quoteInput(path)} cannot be used in sorts` };
  }
  const valueType = part.kind === 'value' ? valueTypeOf(field) : 'text';
  return { path, steps, object, field, part, valueType };
}

function valueTypeOf(field: QueryField): QueryValueType {
  // Each formula return type compares as the value type of the same name.
  if (field.formula) return field.formula.returnType;
  if (field.type === 'currency') return 'number';
  return field.valueType;
}
