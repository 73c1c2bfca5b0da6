// Reading a field path from a record in the records API's JSON shape, for in-memory evaluation.
// Lookups a path passes through must be expanded as nested objects (`{ account: { id, industry } }`);
// a lookup that is null means the path reaches no record.

import type { QueryValueType } from '../catalog.ts';
import { parseIsoDate, parseIsoDateTime } from '../calendar/civil-date.ts';
import { decimalFromNumber, parseDecimal, type Decimal } from '../formula/decimal.ts';
import type { ResolvedFieldPath } from '../paths/field-paths.ts';

/** A record as the records API returns it, lookups on the path expanded. */
export type RecordData = Readonly<Record<string, unknown>>;

/** A value ready to compare: see {@link readTypedValue}. */
export type TypedValue = string | Decimal | boolean | number | readonly string[] | null;

export interface RecordPathValue {
  /** False when a lookup on the path is empty: the path reaches no record. */
  present: boolean;
  /** The record that owns the final field (the root or an expanded lookup), when present. */
  owner: RecordData | undefined;
  raw: unknown;
}

function isRecord(value: unknown): value is RecordData {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Walks the lookups of a path and reads the raw value it addresses. */
export function readRecordPath(record: RecordData, resolved: ResolvedFieldPath): RecordPathValue {
  let owner: RecordData = record;
  for (const step of resolved.steps) {
    const next = owner[step.field.name];
    if (next === null || next === undefined) return { present: false, owner: undefined, raw: null };
    if (!isRecord(next)) {
      throw new TypeError(`evaluating ${resolved.path} needs the lookup ${step.key} expanded as an object, not ${typeof next}`);
    }
    owner = next;
  }
  const value = owner[resolved.field.name];
  const { part } = resolved;
  if (part.kind === 'value') {
    const amount = resolved.field.type === 'currency' && isRecord(value) ? value.amount : value;
    const id = resolved.valueType === 'id' && isRecord(value) ? value.id : amount;
    return { present: true, owner, raw: id };
  }
  const key = part.kind === 'currencyCode' ? 'currency' : part.name;
  return { present: true, owner, raw: isRecord(value) ? value[key] : null };
}

function mismatch(path: string, type: string, raw: unknown): TypeError {
  return new TypeError(`the record's ${path} is not a ${type}: ${JSON.stringify(raw)?.slice(0, 60)}`);
}

/**
 * Converts a raw JSON value into the form comparisons use: text as is, ids in lower case, numbers
 * as exact decimals, dates as epoch days, date-times as epoch milliseconds.
 * @throws TypeError when the record holds a value of another type (a caller's bug).
 */
export function readTypedValue(valueType: QueryValueType, raw: unknown, path: string): TypedValue {
  if (raw === null || raw === undefined) return null;
  switch (valueType) {
    case 'text':
      if (typeof raw !== 'string') throw mismatch(path, 'text', raw);
      return raw;
    case 'id':
      if (typeof raw !== 'string') throw mismatch(path, 'id', raw);
      return raw.toLowerCase();
    case 'number': {
      const decimal = typeof raw === 'number' ? decimalFromNumber(raw) : typeof raw === 'string' ? parseDecimal(raw) : undefined;
      if (!decimal) throw mismatch(path, 'number', raw);
      return decimal;
    }
    case 'boolean':
      if (typeof raw !== 'boolean') throw mismatch(path, 'boolean', raw);
      return raw;
    case 'date': {
      const day = typeof raw === 'string' ? parseIsoDate(raw) : undefined;
      if (day === undefined) throw mismatch(path, 'date (YYYY-MM-DD)', raw);
      return day;
    }
    case 'datetime': {
      const instant = raw instanceof Date ? raw.getTime() : typeof raw === 'string' ? parseIsoDateTime(raw) : undefined;
      if (instant === undefined || Number.isNaN(instant)) throw mismatch(path, 'date-time', raw);
      return instant;
    }
    case 'textList':
      if (!Array.isArray(raw) || !raw.every((item) => typeof item === 'string')) throw mismatch(path, 'list of texts', raw);
      return raw as string[];
    case 'json':
      throw new TypeError(`${path} holds JSON, which filters and formulas cannot compare`);
  }
}
