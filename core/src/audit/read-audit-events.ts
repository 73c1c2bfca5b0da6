import { sql, type RawBuilder } from 'kysely';
import { DaichoError, errors } from '../errors/index.ts';
import type { AuditDb, AuditEvent, FieldChanges } from './audit-event.ts';

export const DEFAULT_AUDIT_PAGE_SIZE = 50;
export const MAX_AUDIT_PAGE_SIZE = 500;

/**
 * Whether the reader may see a field of an object. Changes of fields it may not see are left out
 * of the events returned (the field is absent from `changes`), so that audit pages and record
 * history never show what the record itself would hide. The default sees every field.
 */
export type CanReadField = (objectName: string, fieldName: string) => boolean;

export interface AuditReadOptions {
  canReadField?: CanReadField;
}

/** Filters of the workspace audit log; each narrows the result. */
export interface AuditQuery {
  kinds?: readonly string[];
  objectName?: string;
  recordId?: string;
  actorId?: string;
  /** Events at or after this instant. */
  from?: Date;
  /** Events before this instant. */
  to?: Date;
  cursor?: string;
  limit?: number;
}

/** A page of events, newest first; `nextCursor` continues it. */
export interface AuditPage {
  events: AuditEvent[];
  nextCursor?: string;
}

interface AuditRow {
  id: string;
  chain_position: string | null;
  occurred_at: string;
  kind: string;
  actor_id: string | null;
  client_address: string | null;
  request_id: string | null;
  object_name: string | null;
  record_id: string | null;
  changes: FieldChanges | null;
  details: Record<string, unknown> | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_AUDIT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE_SIZE) throw errors.invalidQuery('limit', `must be between 1 and ${MAX_AUDIT_PAGE_SIZE}`);
  return limit;
}

// The cursor is the id of the last event returned: pages go backwards in write order.
function decodeCursor(cursor: string): string {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const id = (decoded as { a?: unknown } | undefined)?.a;
  if (typeof id !== 'string' || !/^\d{1,19}$/.test(id)) throw new DaichoError('INVALID_CURSOR', 'The cursor is not one this API issued');
  return id;
}

const encodeCursor = (id: string) => Buffer.from(JSON.stringify({ a: id })).toString('base64url');

function toEvent(row: AuditRow, canReadField: CanReadField | undefined): AuditEvent {
  let changes = row.changes;
  if (changes && canReadField && row.object_name !== null) {
    const objectName = row.object_name;
    changes = Object.fromEntries(Object.entries(changes).filter(([field]) => canReadField(objectName, field)));
  }
  return {
    id: String(row.id),
    position: row.chain_position === null ? null : Number(row.chain_position),
    occurredAt: new Date(row.occurred_at).toISOString(),
    kind: row.kind,
    actorId: row.actor_id,
    clientAddress: row.client_address,
    requestId: row.request_id,
    objectName: row.object_name,
    recordId: row.record_id,
    changes,
    details: row.details,
  };
}

async function readPage(db: AuditDb, workspaceId: string, conditions: RawBuilder<unknown>[], cursor: string | undefined, limit: number | undefined, options: AuditReadOptions): Promise<AuditPage> {
  const size = pageSize(limit);
  const where = [sql`workspace_id = ${workspaceId}::uuid`, ...conditions];
  if (cursor !== undefined) where.push(sql`id < ${decodeCursor(cursor)}::bigint`);
  const { rows } = await sql<AuditRow>`select id::text as id, chain_position::text as chain_position, occurred_at, kind, actor_id, client_address, request_id, object_name, record_id, changes, details
    from daicho.audit_event as e where ${sql.join(where, sql` and `)} order by e.id desc limit ${size + 1}`.execute(db);
  const page: AuditPage = { events: rows.slice(0, size).map((row) => toEvent(row, options.canReadField)) };
  if (rows.length > size) page.nextCursor = encodeCursor(page.events.at(-1)!.id);
  return page;
}

/**
 * The workspace's audit log, newest first, narrowed by the query's filters, in keyset pages.
 * @example
 * const page = await listAuditEvents(db, workspaceId, { kinds: ['record.delete'], objectName: 'deal', limit: 100 });
 */
export async function listAuditEvents(db: AuditDb, workspaceId: string, query: AuditQuery = {}, options: AuditReadOptions = {}): Promise<AuditPage> {
  const conditions: RawBuilder<unknown>[] = [];
  if (query.kinds && query.kinds.length > 0) conditions.push(sql`kind = any(${[...query.kinds]}::text[])`);
  if (query.objectName !== undefined) conditions.push(sql`object_name = ${query.objectName}`);
  if (query.recordId !== undefined) {
    if (!UUID.test(query.recordId)) return { events: [] };
    conditions.push(sql`record_id = ${query.recordId}::uuid`);
  }
  if (query.actorId !== undefined) {
    if (!UUID.test(query.actorId)) return { events: [] };
    conditions.push(sql`actor_id = ${query.actorId}::uuid`);
  }
  if (query.from) conditions.push(sql`occurred_at >= ${query.from.toISOString()}::timestamptz`);
  if (query.to) conditions.push(sql`occurred_at < ${query.to.toISOString()}::timestamptz`);
  return readPage(db, workspaceId, conditions, query.cursor, query.limit, options);
}

/**
 * One record's events (create, each update with its changed fields, delete, restore, purge),
 * newest first, in keyset pages.
 */
export async function listRecordHistory(db: AuditDb, workspaceId: string, objectName: string, recordId: string, page: { cursor?: string; limit?: number } = {}, options: AuditReadOptions = {}): Promise<AuditPage> {
  if (!UUID.test(recordId)) return { events: [] };
  return readPage(db, workspaceId, [sql`record_id = ${recordId}::uuid`, sql`object_name = ${objectName}`], page.cursor, page.limit, options);
}
