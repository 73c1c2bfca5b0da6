import type { FieldDefinition } from '@daicho/sdk';

/** One physical column of a field. `sqlType` is built by us from validated numbers only. */
export interface ColumnSpec {
  name: string;
  sqlType: string;
}

/** Field types whose values are computed on read and have no column. */
export const computedFieldTypes = new Set<FieldDefinition['type']>(['formula']);

function integerOption(value: number | undefined, fallback: number, min: number, max: number): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < min || chosen > max) throw new Error(`invalid numeric option ${String(value)}`);
  return chosen;
}

function numericType(field: { precision?: number; scale?: number }): string {
  const precision = integerOption(field.precision, 18, 1, 38);
  const scale = integerOption(field.scale, 2, 0, Math.min(18, precision));
  return `numeric(${precision},${scale})`;
}

/**
 * The columns that hold a field's values. The first is the field's own column (`field.column`);
 * currency adds `<column>_cur` for the ISO code.
 */
export function columnsForField(field: FieldDefinition): ColumnSpec[] {
  if (computedFieldTypes.has(field.type)) return [];
  const column = field.column;
  if (!column) throw new Error(`field ${field.name} has no column assigned`);
  switch (field.type) {
    case 'text':
    case 'longText':
    case 'richText':
    case 'email':
    case 'phone':
    case 'url':
    case 'picklist':
    case 'autoNumber':
      // Byte-order collation: comparisons, sorts and LIKE mean the same in SQL and in memory, and
      // indexes serve them on every server whatever its locale.
      return [{ name: column, sqlType: 'text collate "C"' }];
    case 'integer':
      return [{ name: column, sqlType: 'bigint' }];
    case 'decimal':
    case 'percent':
      return [{ name: column, sqlType: numericType(field) }];
    case 'rollup':
      return [{ name: column, sqlType: 'numeric' }];
    case 'currency':
      return [
        { name: column, sqlType: numericType(field) },
        { name: `${column}_cur`, sqlType: 'char(3)' },
      ];
    case 'boolean':
      return [{ name: column, sqlType: 'boolean' }];
    case 'date':
      return [{ name: column, sqlType: 'date' }];
    case 'datetime':
      // Milliseconds, as JavaScript and JSON carry them, so equality means the same everywhere.
      return [{ name: column, sqlType: 'timestamptz(3)' }];
    case 'multiPicklist':
      return [{ name: column, sqlType: 'text[] collate "C"' }];
    case 'lookup':
    case 'masterDetail':
      return [{ name: column, sqlType: 'uuid' }];
    case 'address':
    case 'name':
    case 'attachment':
    case 'json':
      return [{ name: column, sqlType: 'jsonb' }];
    case 'formula':
      return [];
  }
}

/** Types whose values can be kept unique by an index. */
export const uniqueCapableTypes = new Set<FieldDefinition['type']>([
  'text', 'email', 'phone', 'url', 'integer', 'decimal', 'percent', 'date', 'datetime', 'picklist', 'autoNumber',
]);

/** Types whose column takes a plain btree index. */
export const indexCapableTypes = new Set<FieldDefinition['type']>([
  ...uniqueCapableTypes, 'currency', 'boolean', 'lookup', 'masterDetail', 'rollup',
]);

/** Whether two definitions of a field need different columns (so a change is a type change). */
export function needsNewColumn(previous: FieldDefinition, next: FieldDefinition): boolean {
  if (previous.type !== next.type) return true;
  const before = columnsForField({ ...previous, column: 'c' } as FieldDefinition);
  const after = columnsForField({ ...next, column: 'c' } as FieldDefinition);
  return before.some((spec, index) => {
    const other = after[index];
    if (!other) return true;
    if (spec.sqlType === other.sqlType) return false;
    // numeric(p,s) → numeric(p2,s) with p2 ≥ p changes no stored value and PostgreSQL skips the rewrite.
    const was = /^numeric\((\d+),(\d+)\)$/.exec(spec.sqlType);
    const now = /^numeric\((\d+),(\d+)\)$/.exec(other.sqlType);
    return !(was && now && was[2] === now[2] && Number(now[1]) >= Number(was[1]));
  });
}
