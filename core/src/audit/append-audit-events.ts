import { sql, type RawBuilder } from 'kysely';
import { isAuditKind, kyselyOfWriter, type AuditContext, type AuditEventInput, type AuditKind, type AuditWriter } from './audit-event.ts';

const AUDIT_TABLE = sql.id('daicho', 'audit_event');

function assertKind(kind: AuditKind): void {
  // Kinds are spliced into some statements as literals: only known ones get there.
  if (!isAuditKind(kind)) throw new Error(`unknown audit kind "${String(kind)}"`);
}

/**
 * Appends events in the caller's transaction (pass the transaction's Kysely or entity manager),
 * as one statement whatever their number. They are sealed into the chain later (see sealAuditTrail);
 * if the transaction rolls back, they were never written.
 * @example
 * await em.transactional(async (trx) => {
 *   // … the change itself …
 *   await appendAuditEvents(trx, { workspaceId, actorId }, [{ kind: 'export', objectName: 'deal', details: { rows: 120 } }]);
 * });
 */
export async function appendAuditEvents(writer: AuditWriter, context: AuditContext, events: readonly AuditEventInput[]): Promise<void> {
  if (events.length === 0) return;
  for (const event of events) assertKind(event.kind);
  const rows = events.map((event) => ({
    kind: event.kind,
    object_name: event.objectName ?? null,
    record_id: event.recordId ?? null,
    changes: event.changes ?? null,
    details: event.details ?? null,
  }));
  await sql`insert into ${AUDIT_TABLE} (workspace_id, kind, actor_id, client_address, request_id, object_name, record_id, changes, details)
    select ${context.workspaceId}::uuid, e.kind, ${context.actorId ?? null}::uuid, ${context.clientAddress ?? null}, ${context.requestId ?? null}, e.object_name, e.record_id, e.changes, e.details
    from rows from (jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as (kind text, object_name text, record_id uuid, changes jsonb, details jsonb))
      with ordinality as e(kind, object_name, record_id, changes, details, n)
    order by e.n`.execute(kyselyOfWriter(writer));
}

/** Appends one event; see {@link appendAuditEvents}. */
export async function appendAuditEvent(writer: AuditWriter, context: AuditContext, event: AuditEventInput): Promise<void> {
  await appendAuditEvents(writer, context, [event]);
}

/** What a statement that writes records says about its audit event, in SQL over its source rows. */
export interface AuditInsertSpec {
  kind: AuditKind;
  objectName: string;
  /** The record id, e.g. `sql.ref('r.id')`. */
  recordId: RawBuilder<unknown>;
  /** A jsonb expression of the per-field changes, or none. */
  changes?: RawBuilder<unknown>;
  /** A jsonb expression of details, or none. */
  details?: RawBuilder<unknown>;
}

/**
 * `insert into audit_event … select … from <source>`: one event per source row, for a
 * data-modifying CTE that keeps a write and its audit event one statement (one round trip).
 * Binds, in this order, exactly {@link auditParameters}`(context, spec.objectName)`, so that
 * callers caching statement text can list their parameters.
 * @example
 * sql`with r as (${insert}), a as (${auditInsertFrom(context, { kind: 'record.create', objectName, recordId: sql.ref('r.id') }, sql`r`)}) select * from r`
 */
export function auditInsertFrom(context: AuditContext, spec: AuditInsertSpec, source: RawBuilder<unknown>): RawBuilder<unknown> {
  assertKind(spec.kind);
  const [workspaceId, actorId, clientAddress, requestId, objectName] = auditParameters(context, spec.objectName);
  return sql`insert into ${AUDIT_TABLE} (workspace_id, kind, actor_id, client_address, request_id, object_name, record_id, changes, details)
    select ${workspaceId}::uuid, ${sql.lit(spec.kind)}, ${actorId}::uuid, ${clientAddress}::varchar, ${requestId}::varchar, ${objectName}::varchar, ${spec.recordId}, ${spec.changes ?? sql`null::jsonb`}, ${spec.details ?? sql`null::jsonb`}
    from ${source}`;
}

/** The values {@link auditInsertFrom} binds, in order. */
export function auditParameters(context: AuditContext, objectName: string): unknown[] {
  return [context.workspaceId, context.actorId ?? null, context.clientAddress ?? null, context.requestId ?? null, objectName];
}
