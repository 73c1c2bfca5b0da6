import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { DaichoError } from '../errors/index.ts';

/** One key of a keyset: its SQL expression and direction. NULLs sort last ascending, first descending. */
export interface SortKey {
  path: string;
  expression: RawBuilder<unknown>;
  direction: 'asc' | 'desc';
}

interface CursorPayload {
  /** A digest of the query's filter and sort: a cursor only continues the query it came from. */
  q: string;
  /** The sort values of the last row returned, the record id last. */
  v: unknown[];
}

export function queryDigest(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export function encodeCursor(digest: string, values: unknown[]): string {
  return Buffer.from(JSON.stringify({ q: digest, v: values } satisfies CursorPayload)).toString('base64url');
}

export function decodeCursor(cursor: string, digest: string, keyCount: number): unknown[] {
  let payload: CursorPayload;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorPayload;
  } catch {
    throw new DaichoError('INVALID_CURSOR', 'The cursor is not one this API issued');
  }
  if (payload?.q !== digest || !Array.isArray(payload.v) || payload.v.length !== keyCount) {
    throw new DaichoError('INVALID_CURSOR', 'The cursor belongs to a different query (its filter or sort differs)');
  }
  return payload.v;
}

/** `expression` comes strictly after `value` in this key's order. */
function after(key: SortKey, value: unknown): RawBuilder<unknown> {
  if (value === null) {
    // NULLs are last ascending: nothing comes after them; first descending: every non-null follows.
    return key.direction === 'asc' ? sql`false` : sql`${key.expression} is not null`;
  }
  const comparison = key.direction === 'asc' ? sql`${key.expression} > ${value}` : sql`${key.expression} < ${value}`;
  return key.direction === 'asc' ? sql`(${comparison} or ${key.expression} is null)` : comparison;
}

function same(key: SortKey, value: unknown): RawBuilder<unknown> {
  return value === null ? sql`${key.expression} is null` : sql`${key.expression} = ${value}`;
}

/**
 * The predicate "this row comes after the cursor row" for a multi-key order, NULL-aware:
 * (k1 after v1) or (k1 = v1 and k2 after v2) or … — the last key being the unique record id.
 */
export function keysetPredicate(keys: readonly SortKey[], values: readonly unknown[]): RawBuilder<unknown> {
  const alternatives: RawBuilder<unknown>[] = [];
  for (let index = 0; index < keys.length; index++) {
    const equal = keys.slice(0, index).map((key, i) => same(key, values[i]));
    alternatives.push(sql`(${sql.join([...equal, after(keys[index]!, values[index])], sql` and `)})`);
  }
  return sql`(${sql.join(alternatives, sql` or `)})`;
}

export function orderBy(keys: readonly SortKey[]): RawBuilder<unknown> {
  return sql.join(keys.map((key) => sql`${key.expression} ${sql.raw(key.direction === 'asc' ? 'asc nulls last' : 'desc nulls first')}`));
}
