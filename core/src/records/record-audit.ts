import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';
import { sql, type RawBuilder } from 'kysely';
import { appendAuditEvents, type AuditContext, type AuditEventInput, type FieldChanges } from '../audit/index.ts';
import type { Db, RecordsActor } from './records-context.ts';

// What record writes tell the audit trail: per-field changes in API shape, computed in SQL when
// the write is one statement (so that it stays one round trip) and in memory otherwise.

/** The audit context of a records actor. */
export function auditContextOf(actor: RecordsActor): AuditContext {
  return { workspaceId: actor.workspaceId, actorId: actor.userId, clientAddress: actor.clientAddress ?? null, requestId: actor.requestId ?? null };
}

/** Fields whose values the audit trail records: stored ones (formulas and roll-ups are derived). */
export function auditedFields(definition: ObjectDefinition): FieldDefinition[] {
  return definition.fields.filter((field) => field.type !== 'formula' && field.type !== 'rollup');
}

/** A field's API value as jsonb, from the columns of a row aliased `alias` (the SQL twin of fromColumns). */
function fieldJson(field: FieldDefinition, alias: string): RawBuilder<unknown> {
  const column = sql.ref(`${alias}.${field.column!}`);
  switch (field.type) {
    case 'currency':
      return sql`case when ${column} is null then null else jsonb_build_object('amount', ${column}, 'currency', rtrim(${sql.ref(`${alias}.${field.column!}_cur`)})) end`;
    case 'datetime':
      return sql`to_jsonb(to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;
    case 'address':
    case 'name':
    case 'attachment':
    case 'json':
      return sql`${column}`;
    default:
      return sql`to_jsonb(${column})`;
  }
}

/**
 * jsonb `{ field: { before, after } }` of the fields whose value differs between the rows aliased
 * `before` (none on create) and `after`. Binds no parameters.
 */
export function changesSql(fields: readonly FieldDefinition[], before: string | undefined, after: string): RawBuilder<unknown> {
  if (fields.length === 0) return sql`'{}'::jsonb`;
  const rows = fields.map((field) => sql`(${sql.lit(field.name)}, ${before ? fieldJson(field, before) : sql`null::jsonb`}, ${fieldJson(field, after)})`);
  return sql`(select coalesce(jsonb_object_agg(c.f, jsonb_build_object('before', c.b, 'after', c.a)), '{}'::jsonb)
    from (values ${sql.join(rows)}) as c(f, b, a) where c.b is distinct from c.a)`;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Changed fields between two records in API shape (`before` absent on create), in memory. */
export function diffRecords(definition: ObjectDefinition, before: Record<string, unknown> | undefined, after: Record<string, unknown>, only?: ReadonlySet<string>): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of auditedFields(definition)) {
    if (only && !only.has(field.name)) continue;
    const was = before?.[field.name] ?? null;
    const now = after[field.name] ?? null;
    if (!same(was, now)) changes[field.name] = { before: was, after: now };
  }
  return changes;
}

/** A record that a cascade moved along with its parent. */
export interface CascadedRecord {
  objectName: string;
  id: string;
}

/** Appends one event for a record and one for each record the write cascaded to. */
export async function auditRecordAndCascade(db: Db, actor: RecordsActor, event: AuditEventInput & { objectName: string; recordId: string }, cascaded: readonly CascadedRecord[]): Promise<void> {
  const cascadedFrom = { object: event.objectName, recordId: event.recordId };
  await appendAuditEvents(db, auditContextOf(actor), [
    event,
    ...cascaded.map((record) => ({ kind: event.kind, objectName: record.objectName, recordId: record.id, details: { cascadedFrom } })),
  ]);
}
