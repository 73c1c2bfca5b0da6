import type { FieldDefinition } from '@daicho/sdk';
import { sql, type RawBuilder } from 'kysely';
import { columnsForField } from './column-types.ts';
import type { TableRef } from './plan-table-change.ts';

/** Types that hold free text and accept a conversion from anything that prints. */
const textTypes = new Set<FieldDefinition['type']>(['text', 'longText', 'email', 'phone', 'url']);
const numberTypes = new Set<FieldDefinition['type']>(['integer', 'decimal', 'percent', 'currency']);

const ref = (column: string) => sql.ref(column);

/** The old value as text, the way it would be shown. */
function asText(field: FieldDefinition): RawBuilder<unknown> | undefined {
  const column = ref(field.column!);
  if (textTypes.has(field.type) || field.type === 'picklist' || field.type === 'autoNumber' || field.type === 'richText') return sql`${column}`;
  if (field.type === 'currency') return sql`(${column}::text || ' ' || ${ref(`${field.column}_cur`)})`;
  if (numberTypes.has(field.type) || field.type === 'boolean' || field.type === 'date' || field.type === 'rollup') return sql`${column}::text`;
  if (field.type === 'datetime') return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  if (field.type === 'multiPicklist') return sql`array_to_string(${column}, ';')`;
  if (field.type === 'address' || field.type === 'name' || field.type === 'json') return sql`${column}::text`;
  return undefined;
}

function numericBounds(field: FieldDefinition): { precision: number; scale: number } {
  const options = field as { precision?: number; scale?: number };
  return { precision: options.precision ?? 18, scale: field.type === 'integer' ? 0 : (options.scale ?? 2) };
}

/**
 * The SQL expression that converts a row's old value to the new type, or NULL when the value does
 * not convert. Every conversion is total: an unconvertible value gives NULL, never an error, so
 * one bad row cannot abort the change (PL/pgSQL try-casts from the platform schema do the parsing).
 * Returns undefined when the types cannot be converted at all.
 */
export function conversionExpression(from: FieldDefinition, to: FieldDefinition): RawBuilder<unknown> | undefined {
  const column = ref(from.column!);
  const text = asText(from);
  if (textTypes.has(to.type) || to.type === 'richText') return text;
  if (to.type === 'json') return from.type === 'address' || from.type === 'name' || from.type === 'json' ? sql`${column}` : text && sql`to_jsonb(${text})`;
  if (numberTypes.has(to.type)) {
    const { precision, scale } = numericBounds(to);
    const source = numberTypes.has(from.type) || from.type === 'rollup' ? sql`${column}::numeric` : textTypes.has(from.type) || from.type === 'picklist' ? sql`daicho.try_numeric(${column})` : undefined;
    if (!source) return undefined;
    // Integral values only for integer; the value must fit the precision (digits before the point).
    const fits = sql`abs(v) < ${sql.lit(10 ** (precision - scale))}::numeric`;
    const integral = to.type === 'integer' ? sql` and v = trunc(v)` : sql``;
    return sql`(select case when ${fits}${integral} then round(v, ${sql.lit(scale)}) end from (select ${source} as v) as converted)`;
  }
  if (to.type === 'boolean') {
    if (!text) return undefined;
    return sql`(case lower(trim(${text})) when 'true' then true when 'yes' then true when 'y' then true when 'on' then true when '1' then true when 'はい' then true when 'false' then false when 'no' then false when 'n' then false when 'off' then false when '0' then false when 'いいえ' then false end)`;
  }
  if (to.type === 'date') {
    if (from.type === 'datetime') return sql`(${column} at time zone 'UTC')::date`;
    return textTypes.has(from.type) ? sql`daicho.try_date(${column})` : undefined;
  }
  if (to.type === 'datetime') {
    if (from.type === 'date') return sql`(${column}::timestamp at time zone 'UTC')`;
    return textTypes.has(from.type) ? sql`daicho.try_timestamptz(${column})` : undefined;
  }
  if (to.type === 'picklist' && (textTypes.has(from.type) || from.type === 'picklist')) {
    const values = (to as { values: Array<{ value: string }> }).values.map((v) => v.value);
    return sql`(case when ${column} = any(${sql.val(values)}::text[]) then ${column} end)`;
  }
  if (to.type === 'multiPicklist' && (from.type === 'picklist' || textTypes.has(from.type))) {
    const values = (to as { values: Array<{ value: string }> }).values.map((v) => v.value);
    return sql`(case when ${column} = any(${sql.val(values)}::text[]) then array[${column}] end)`;
  }
  return undefined;
}

/** What a type change will do to the existing rows. */
export interface ConversionReport {
  /** Rows with a value before the change. */
  total: number;
  converted: number;
  /** Rows whose value does not convert: their new value is empty, the old one is kept. */
  unconvertible: number;
  /** Up to `sampleSize` unconvertible rows, with the old value as text. */
  samples: Array<{ id: string; value: string | null }>;
}

/** Counts (without changing anything) what converting `from` into `to` would do. */
export function conversionReportQuery(table: TableRef, from: FieldDefinition, to: FieldDefinition, sampleSize: number) {
  const expression = conversionExpression(from, to);
  const text = asText(from) ?? sql`null`;
  if (!expression) return undefined;
  const source = sql`${sql.id(table.schema, table.table)}`;
  const hasValue = sql`${ref(from.column!)} is not null`;
  return {
    counts: sql<{ total: string; unconvertible: string }>`select count(*) filter (where ${hasValue}) as total, count(*) filter (where ${hasValue} and (${expression}) is null) as unconvertible from ${source} where deleted_at is null`,
    samples: sql<{ id: string; value: string | null }>`select id, ${text} as value from ${source} where deleted_at is null and ${hasValue} and (${expression}) is null order by id limit ${sql.val(sampleSize)}`,
  };
}

/** The data step of a type change: fill the new column from the old one, for every row (the recycle bin included). */
export function conversionUpdate(table: TableRef, from: FieldDefinition, to: FieldDefinition): RawBuilder<unknown> {
  const expression = conversionExpression(from, to);
  if (!expression) throw new Error(`no conversion from ${from.type} to ${to.type}`);
  const [target] = columnsForField(to);
  const extra = to.type === 'currency'
    ? sql`, ${sql.id(`${to.column}_cur`)} = ${from.type === 'currency' ? ref(`${from.column}_cur`) : sql.val((to as { defaultCurrency?: string }).defaultCurrency ?? 'JPY')}`
    : sql``;
  return sql`update ${sql.id(table.schema, table.table)} set ${sql.id(target!.name)} = ${expression}${extra} where ${ref(from.column!)} is not null`;
}
