import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';

/** PostgreSQL's identifier limit. */
const MAX_IDENTIFIER = 63;

/** The PostgreSQL schema that holds one workspace's record tables. */
export function workspaceSchemaName(workspaceId: string): string {
  return `ws_${workspaceId.replaceAll('-', '')}`;
}

/** camelCase or dotted API names to snake_case identifier text (names are pattern-checked first). */
function toSnake(name: string): string {
  return name
    .replaceAll('.', '__')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The table for a new object: `obj_<name>`. Names are immutable, so the table never changes. */
export function tableNameFor(objectName: string): string {
  return `obj_${toSnake(objectName)}`.slice(0, MAX_IDENTIFIER);
}

/**
 * A column for a new field: `f_<name>`, or `f_<name>_<n>` when that column was ever used by
 * another field of the object (a deleted field keeps its column until it is purged, and a field
 * re-created with the same name must not inherit the old data).
 */
export function columnNameFor(fieldName: string, taken: ReadonlySet<string>): string {
  const base = `f_${toSnake(fieldName)}`.slice(0, MAX_IDENTIFIER - 4);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Every column assigned to the object's fields, live or kept after deletion or a type change. */
export function columnsInUse(definition: ObjectDefinition | undefined): Set<string> {
  const columns = new Set<string>();
  const add = (field: FieldDefinition) => {
    if (field.column) {
      columns.add(field.column);
      columns.add(`${field.column}_cur`);
    }
  };
  for (const field of definition?.fields ?? []) add(field);
  for (const deleted of definition?.deletedFields ?? []) add(deleted.field);
  return columns;
}
