import { sql, type RawBuilder } from 'kysely';
import { errors } from '../errors/index.ts';
import { compileFilter, compileJoins, compileSort, validateFilter, validateSort, type ValidFilter } from '../query/index.ts';
import type { ObjectAction } from '@daicho/sdk';
import { parseExpand, planJoinedExpansion } from './expand-records.ts';
import { readableCatalog, scopePredicate, selectableFields } from './record-access.ts';
import { decodeCursor, encodeCursor, keysetPredicate, orderBy, queryDigest, type SortKey } from './keyset-cursor.ts';
import { rowToRecord } from './record-columns.ts';
import { formulaContext, ROOT_ALIAS, selectRecordColumns } from './record-select.ts';
import { kyselyOf, type RecordsActor, type RecordsDeps } from './records-context.ts';
import { resolveObject, type ApiRecord } from './records.service.ts';

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

export interface ListRecordsQuery {
  filter?: unknown;
  /** `[{ field, direction }]`; the record id is always the last key. */
  sort?: Array<{ field: string; direction?: 'asc' | 'desc' }>;
  /** Fields to return (system fields always come). */
  fields?: string[];
  /** Lookup paths to expand, e.g. `account`, `account.owner`. */
  expand?: string[];
  /** Fields to return of an expanded lookup, by its path: `{ account: ['name'] }` (system fields always come). */
  expandFields?: Record<string, string[]>;
  cursor?: string;
  limit?: number;
  /** Also count every record matching the filter. */
  count?: boolean;
  /** List the recycle bin instead of live records. */
  deleted?: boolean;
}

export interface RecordPage {
  records: ApiRecord[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
  total?: number;
}

/**
 * Lists records with a filter, several sort keys, keyset pagination and lookup expansion. Pages
 * are stable across inserts: a cursor holds the sort values of the last row, never an offset.
 */
export async function listRecords(deps: RecordsDeps, actor: RecordsActor, objectName: string, query: ListRecordsQuery, action: Extract<ObjectAction, 'read' | 'export'> = 'read'): Promise<RecordPage> {
  const resolved = await resolveObject(deps, actor, objectName, action);
  const { definition, metadata } = resolved;
  // The caller's filter, sort, fields and expansions may name only what they may read.
  const catalog = readableCatalog(metadata, actor.access);
  const queryObject = catalog.object(objectName)!;
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw errors.invalidQuery('limit', `must be an integer from 1 to ${MAX_PAGE_SIZE}`);

  for (const name of query.fields ?? []) {
    if (!queryObject.fields.has(name) && !['id', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'ownerId', 'version'].includes(name)) {
      throw errors.invalidQuery('fields', `names an unknown field "${name}"`);
    }
  }
  const only = selectableFields(actor.access, definition, query.fields ? new Set(query.fields) : undefined);
  const selection = selectRecordColumns(definition, objectName, metadata.catalog, formulaContext(actor), only);
  const context = formulaContext(actor);
  const filter: ValidFilter | undefined = query.filter === undefined ? undefined : validateFilter(query.filter, queryObject, catalog);
  const where: RawBuilder<unknown>[] = [sql`${sql.ref(`${ROOT_ALIAS}.deleted_at`)} ${query.deleted ? sql`is not null` : sql`is null`}`];
  const scope = actor.access.recordScope(objectName, 'read');
  if (scope) where.push(scopePredicate(scope, selection.scope, context));
  if (filter) where.push(compileFilter(filter, selection.scope, context));

  const sort = validateSort((query.sort ?? []).map((entry) => ({ field: entry.field, direction: entry.direction ?? 'asc' })), queryObject, catalog);
  const keys: SortKey[] = compileSort(sort, selection.scope, context).keys.map((key) => ({ path: key.path, expression: key.expression, direction: key.direction }));
  keys.push({ path: 'id', expression: sql.ref(`${ROOT_ALIAS}.id`), direction: keys.at(-1)?.direction ?? 'asc' });
  const digest = queryDigest({ filter: query.filter ?? null, sort: query.sort ?? [], deleted: Boolean(query.deleted) });
  if (query.cursor !== undefined) where.push(keysetPredicate(keys, decodeCursor(query.cursor, digest, keys.length)));

  const expansion = query.expand && query.expand.length > 0 ? planJoinedExpansion(metadata, actor, definition, parseExpand(query.expand, queryObject, catalog), selection.scope, context, query.expandFields ?? {}) : undefined;
  const table = sql`${sql.id(metadata.schema, definition.table!)} as ${sql.id(ROOT_ALIAS)}`;
  // Sort values travel in the cursor as text: exact (microseconds, numeric digits) and cast back by PostgreSQL.
  const sortValues = keys.map((key, index) => sql`(${key.expression})::text as ${sql.id(`sk_${index}`)}`);
  const db = kyselyOf(deps.em());
  const extra = expansion && expansion.columns.length > 0 ? sql`, ${sql.join(expansion.columns)}` : sql``;
  const { rows } = await sql<Record<string, unknown>>`select ${selection.columns}, ${sql.join(sortValues)}${extra} from ${table} ${compileJoins(selection.scope)}
    where ${sql.join(where, sql` and `)} order by ${orderBy(keys)} limit ${limit + 1}`.execute(db);

  const page = rows.slice(0, limit);
  const records = page.map((row) => {
    const record = rowToRecord(definition, row, selection.formulaAliases) as ApiRecord;
    return only ? project(record, only) : record;
  });
  if (expansion) await expansion.apply(db, page, records);
  const result: RecordPage = { records };
  const last = page.at(-1);
  if (rows.length > limit && last) result.nextCursor = encodeCursor(digest, keys.map((_key, index) => normalizeCursorValue(last[`sk_${index}`])));
  if (query.count) {
    // Without the keyset condition: the total is of every matching record, not of those after the cursor.
    const countWhere = where.slice(0, 1 + (scope ? 1 : 0) + (filter ? 1 : 0));
    const { rows: counted } = await sql<{ total: string }>`select count(*) as total from ${table} ${compileJoins(selection.scope)} where ${sql.join(countWhere, sql` and `)}`.execute(db);
    result.total = Number(counted[0]!.total);
  }
  return result;
}

function normalizeCursorValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  return value ?? null;
}

const systemNames = new Set(['id', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'ownerId', 'version', 'deletedAt']);

function project(record: ApiRecord, only: ReadonlySet<string>): ApiRecord {
  return Object.fromEntries(Object.entries(record).filter(([key]) => systemNames.has(key) || only.has(key))) as ApiRecord;
}
