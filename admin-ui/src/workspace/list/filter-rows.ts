import type { FieldDefinition, Filter, FilterCondition, FilterOperator } from '@daicho/sdk';

/** One row of the filter builder: a field, an operator and a value. */
export interface FilterRow {
  key: number;
  field?: string;
  op?: FilterOperator;
  value?: unknown;
}

const textOps: FilterOperator[] = ['contains', 'eq', 'ne', 'startsWith', 'isNull'];
const orderedOps: FilterOperator[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'isNull'];
const choiceOps: FilterOperator[] = ['eq', 'ne', 'isNull'];

/**
 * The operators the builder offers for a field, a subset of what the filter language allows for
 * its type (docs/reference/filter-language.md); empty when the builder cannot filter it yet.
 */
export function operatorsFor(field: FieldDefinition): FilterOperator[] {
  switch (field.type) {
    case 'text':
    case 'longText':
    case 'email':
    case 'phone':
    case 'url':
    case 'autoNumber':
      return textOps;
    case 'integer':
    case 'decimal':
    case 'percent':
    case 'currency':
    case 'rollup':
    case 'date':
    case 'datetime':
      return orderedOps;
    case 'boolean':
      return ['eq', 'isNull'];
    case 'picklist':
    case 'lookup':
    case 'masterDetail':
      return choiceOps;
    case 'multiPicklist':
      return ['contains', 'isNull'];
    case 'formula':
      return field.returnType === 'text' ? textOps : field.returnType === 'boolean' ? ['eq', 'isNull'] : orderedOps;
    default:
      return [];
  }
}

/** Whether a row is complete enough to become a condition. */
function isComplete(row: FilterRow): row is FilterRow & { field: string; op: FilterOperator } {
  if (row.field === undefined || row.op === undefined) return false;
  if (row.op === 'isNull') return true;
  return row.value !== undefined && row.value !== null && row.value !== '';
}

/**
 * The filter-language JSON of the builder's rows, combined with `and`; incomplete rows are left
 * out. `undefined` when no row is complete (the list is unfiltered).
 *
 * @example
 * toFilter([{ key: 1, field: 'stage', op: 'eq', value: 'won' }]); // { and: [{ field: 'stage', op: 'eq', value: 'won' }] }
 */
export function toFilter(rows: FilterRow[]): Filter | undefined {
  const conditions: FilterCondition[] = rows.filter(isComplete).map((row) =>
    row.op === 'isNull' ? { field: row.field, op: 'isNull', value: true } : { field: row.field, op: row.op, value: row.value as FilterCondition['value'] },
  );
  return conditions.length === 0 ? undefined : { and: conditions };
}
