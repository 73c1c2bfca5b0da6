import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';

/** Turns an API value into the values of the field's columns. */
export function toColumns(field: FieldDefinition, value: unknown): Record<string, unknown> {
  const column = field.column!;
  if (value === null || value === undefined) {
    return field.type === 'currency' ? { [column]: null, [`${column}_cur`]: null } : { [column]: null };
  }
  switch (field.type) {
    case 'currency': {
      const money = value as { amount: number; currency: string };
      return { [column]: money.amount, [`${column}_cur`]: money.currency };
    }
    case 'address':
    case 'name':
    case 'attachment':
    case 'json':
      // Serialised here: the driver would turn a JS array into a PostgreSQL array, not JSON.
      return { [column]: JSON.stringify(value) };
    default:
      return { [column]: value };
  }
}

function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'number' ? value : Number(value);
}

function toDate(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    // A `date` parsed into a Date by a driver is midnight local time of that day.
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  }
  return String(value).slice(0, 10);
}

// PostgreSQL's text form of a timestamptz in a UTC session: `2026-11-22 08:30:00.12+00`.
const utcTimestamp = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;

function toInstant(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const match = utcTimestamp.exec(value);
    if (match) return `${match[1]}T${match[2]}.${(match[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
  }
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

/** Reads a field's API value from a row (whose keys are column names). */
export function fromColumns(field: FieldDefinition, row: Record<string, unknown>, alias?: string): unknown {
  const raw = row[alias ?? field.column!];
  switch (field.type) {
    case 'integer':
    case 'decimal':
    case 'percent':
    case 'rollup':
      return toNumber(raw);
    case 'currency':
      return raw === null || raw === undefined ? null : { amount: toNumber(raw), currency: String(row[`${field.column}_cur`]).trim() };
    case 'date':
      return toDate(raw);
    case 'datetime':
      return toInstant(raw);
    case 'address':
    case 'name':
    case 'attachment':
    case 'json':
      // The driver parses jsonb already: a string here is a JSON string value, never JSON text.
      return raw ?? null;
    case 'multiPicklist':
      return raw ?? null;
    case 'formula':
      if (raw === null || raw === undefined) return null;
      if (field.returnType === 'number') return toNumber(raw);
      if (field.returnType === 'date') return toDate(raw);
      if (field.returnType === 'datetime') return toInstant(raw);
      return raw;
    default:
      return raw ?? null;
  }
}

/** The record in API shape: system fields first, then each live field. */
export function rowToRecord(definition: ObjectDefinition, row: Record<string, unknown>, formulaAliases: ReadonlyMap<string, string> = new Map()): Record<string, unknown> {
  const record: Record<string, unknown> = {
    id: row.id,
    createdAt: toInstant(row.created_at),
    updatedAt: toInstant(row.updated_at),
    createdBy: row.created_by ?? null,
    updatedBy: row.updated_by ?? null,
    ownerId: row.owner_id ?? null,
    version: Number(row.version),
  };
  if (row.deleted_at) record.deletedAt = toInstant(row.deleted_at);
  for (const field of definition.fields) {
    const alias = field.type === 'formula' ? formulaAliases.get(field.name) : undefined;
    if (field.type === 'formula' && !alias) continue;
    if (field.type !== 'formula' && !(field.column! in row)) continue;
    record[field.name] = fromColumns(field, row, alias);
  }
  return record;
}
