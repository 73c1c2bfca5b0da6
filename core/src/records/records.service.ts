import type { FieldDefinition, ObjectAction, ObjectDefinition } from '@daicho/sdk';
import { sql } from 'kysely';
import { appendAuditEvent } from '../audit/index.ts';
import { generateUuidV7 } from '../db/index.ts';
import { DaichoError, errors } from '../errors/index.ts';
import type { StoredObject, WorkspaceMetadata } from '../metadata/index.ts';
import { autoNumberSequence, constraintName } from '../storage/index.ts';
import { formatAutoNumber } from './auto-number.ts';
import { insertWithAudit, updateWithAudit } from './audited-write-statements.ts';
import { withIdempotency, type StoredResponse } from './idempotency.ts';
import { normalizeRecordInput } from './normalize-record.ts';
import { assertFieldWrites, assertObjectAction, redactRecord } from './record-access.ts';
import { hasDefault } from './record-input-schema.ts';
import { auditContextOf, auditRecordAndCascade, diffRecords, type CascadedRecord } from './record-audit.ts';
import { rowToRecord, toColumns } from './record-columns.ts';
import { cachedStatement, selectRecordById, type ApiRecord } from './record-statements.ts';

import { kyselyOf, type Db, type RecordsActor, type RecordsDeps } from './records-context.ts';
import { runAfterHooks } from './record-hooks.ts';
import { refreshRollups } from './rollups.ts';
import { buildSearchText, searchedFields } from './search-text.ts';
import { validateRecordInput } from './validate-record.ts';

export { selectRecordById, type ApiRecord };

export type RecordBody = Record<string, unknown>;

/** The object a request addresses, with the workspace snapshot it was resolved in. */
export interface ResolvedObject {
  metadata: WorkspaceMetadata;
  stored: StoredObject;
  definition: ObjectDefinition;
}

/** Finds the object and checks that the actor may take `action` on its records (404 without read, 403 without the action). */
export async function resolveObject(deps: RecordsDeps, actor: RecordsActor, objectName: string, action: ObjectAction = 'read'): Promise<ResolvedObject> {
  const metadata = await deps.metadata.get(actor.workspaceId);
  const stored = metadata.objects.get(objectName);
  if (!stored) throw errors.notFound('Object', objectName);
  assertObjectAction(actor.access, objectName, action);
  return { metadata, stored, definition: stored.body };
}

/**
 * The record as the actor may change it: inside their write scope. A record they may read but
 * not change is 403; one they may not read is 404, as if absent.
 */
async function lockWritableRecord(db: Db, resolved: ResolvedObject, actor: RecordsActor, id: string, options: { deleted?: boolean } = {}): Promise<ApiRecord> {
  const name = resolved.definition.name;
  const writeScope = actor.access.recordScope(name, 'write');
  const current = await selectRecordById(db, resolved, actor, id, { ...options, forUpdate: true, ...(writeScope ? { scope: writeScope } : {}) });
  if (current) return current;
  const readScope = actor.access.recordScope(name, 'read');
  if (writeScope && (await selectRecordById(db, resolved, actor, id, { ...options, ...(readScope ? { scope: readScope } : {}) }))) {
    throw errors.permissionDenied(`You may read this ${name} record but not change it`, { object: name, id });
  }
  throw errors.notFound(name, id);
}

function assertBody(body: unknown): asserts body is RecordBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw errors.validationFailed([{ path: '', code: 'type', message: 'The record must be a JSON object' }]);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids that are not UUIDs cannot exist: answer 404 without asking the database. */
export function assertRecordId(objectName: string, id: string): void {
  if (!UUID.test(id)) throw errors.notFound(objectName, id);
}

function defaultValue(field: FieldDefinition, now: Date, timeZone: string): unknown {
  if (!('default' in field) || field.default === undefined) return undefined;
  if (field.type === 'date' && field.default === 'today') return new Intl.DateTimeFormat('en-CA', { timeZone }).format(now);
  if (field.type === 'datetime' && field.default === 'now') return now.toISOString();
  return structuredClone(field.default);
}

/** Turns constraint violations from the database into the errors a client can act on. */
export function mapDatabaseError(error: unknown, resolved: ResolvedObject): never {
  const pgError = error as { code?: string; constraint?: string };
  const table = resolved.definition.table!;
  const fieldFor = (prefix: string) => resolved.definition.fields.find((field) => field.column && constraintName(prefix, table, field.column) === pgError.constraint);
  if (pgError.code === '23505') {
    const field = fieldFor('uq');
    throw errors.duplicateValue(field?.name ?? 'unknown', field ? `Another record already has this ${field.name}` : 'A unique value is already taken');
  }
  if (pgError.code === '23503') {
    const field = fieldFor('fk');
    if (field) throw errors.validationFailed([{ path: `/${field.name}`, code: 'unknownReference', message: 'refers to a record that does not exist' }]);
    throw errors.referenceConflict('Other records still refer to this record');
  }
  throw error;
}

async function columnValuesForCreate(db: Db, resolved: ResolvedObject, actor: RecordsActor, body: RecordBody, now: Date): Promise<Record<string, unknown>> {
  const { definition, metadata } = resolved;
  const values: Record<string, unknown> = {};
  for (const field of definition.fields) {
    if (field.type === 'formula' || field.type === 'rollup') continue;
    if (field.type === 'autoNumber') {
      const sequence = autoNumberSequence({ schema: metadata.schema, table: definition.table! }, field);
      const { rows } = await sql<{ n: string }>`select nextval(${`"${sequence.schema}"."${sequence.table}"`}::regclass) as n`.execute(db);
      Object.assign(values, toColumns(field, formatAutoNumber(field.format, Number(rows[0]!.n), now, actor.timeZone)));
      continue;
    }
    if (field.name in body) Object.assign(values, toColumns(field, body[field.name]));
  }
  return values;
}


export interface CreateRecordOptions {
  idempotencyKey?: string;
  requestHash?: string;
}

/** Creates a record: normalise, default, validate, number, insert, refresh roll-ups; all in one transaction. */
export async function createRecord(deps: RecordsDeps, actor: RecordsActor, objectName: string, input: unknown, options: CreateRecordOptions = {}): Promise<StoredResponse & { replayed: boolean }> {
  const resolved = await resolveObject(deps, actor, objectName, 'create');
  const { definition, metadata } = resolved;
  assertBody(input);
  assertFieldWrites(actor, definition, input);
  const now = new Date();
  const { body, problems } = normalizeRecordInput(definition, input);
  validateRecordInput(definition, body, 'create', undefined, problems);
  for (const field of definition.fields) {
    if (!(field.name in body) && hasDefault(field)) body[field.name] = defaultValue(field, now, actor.timeZone);
  }
  if (!options.idempotencyKey && isSimpleWrite(resolved)) {
    // One INSERT … RETURNING with its audit event: nothing else changes with this record.
    const insertOne = async (db: Db): Promise<ApiRecord> => {
      const id = generateUuidV7(now.getTime());
      const values = { ...(await columnValuesForCreate(db, resolved, actor, body, now)), id, created_by: actor.userId, updated_by: actor.userId, owner_id: actor.userId, search_text: buildSearchText(definition, body) };
      const statement = insertWithAudit(db, resolved, actor, values);
      let row: Record<string, unknown> | undefined;
      try {
        row = (await db.executeQuery<Record<string, unknown>>(cachedStatement(metadata, statement.key, statement.build, statement.parameters))).rows[0];
      } catch (error) {
        mapDatabaseError(error, resolved);
      }
      return rowToRecord(definition, row!) as ApiRecord;
    };
    if (!deps.recordHooks?.has(actor.workspaceId, objectName)) {
      return { status: 201, body: redactRecord(actor.access, definition, await insertOne(kyselyOf(deps.em()))), replayed: false };
    }
    // Hooked: the same statement, in a transaction with the hooks (what they read and queue
    // commits with the record, or not at all).
    return deps.em().transactional(async (trx) => {
      const db = kyselyOf(trx);
      const bound: RecordsDeps = { ...deps, em: () => trx };
      await runBeforeHooks(deps, resolved, actor, 'beforeCreate', body, null, db, bound);
      const record = await insertOne(db);
      await runAfterHooks(deps, db, { object: definition.name, event: 'afterCreate', record: redactRecord(actor.access, definition, { ...record }), previous: null, actor }, bound);
      return { status: 201, body: redactRecord(actor.access, definition, record), replayed: false };
    });
  }
  return deps.em().transactional(async (trx) => {
    const db = kyselyOf(trx);
    const bound: RecordsDeps = { ...deps, em: () => trx };
    const work = async (): Promise<StoredResponse> => {
      await runBeforeHooks(deps, resolved, actor, 'beforeCreate', body, null, db, bound);
      const id = generateUuidV7(now.getTime());
      const values = {
        ...(await columnValuesForCreate(db, resolved, actor, body, now)),
        id,
        created_by: actor.userId,
        updated_by: actor.userId,
        owner_id: actor.userId,
        search_text: buildSearchText(definition, body),
      };
      try {
        await db.withSchema(metadata.schema).insertInto(definition.table!).values(values).execute();
      } catch (error) {
        mapDatabaseError(error, resolved);
      }
      await refreshRollups(db, metadata, actor, definition.name, [{ after: body }]);
      const record = (await selectRecordById(db, resolved, actor, id))!;
      await appendAuditEvent(db, auditContextOf(actor), { kind: 'record.create', objectName: definition.name, recordId: id, changes: diffRecords(definition, undefined, record) });
      await runAfterHooks(deps, db, { object: definition.name, event: 'afterCreate', record: redactRecord(actor.access, definition, { ...record }), previous: null, actor }, bound);
      return { status: 201, body: redactRecord(actor.access, definition, { ...record }) };
    };
    if (!options.idempotencyKey) return { ...(await work()), replayed: false };
    return withIdempotency(db, { workspaceId: actor.workspaceId, userId: actor.userId, key: options.idempotencyKey, hash: options.requestHash ?? '' }, work);
  });
}

export async function getRecord(deps: RecordsDeps, actor: RecordsActor, objectName: string, id: string, options: { deleted?: boolean } = {}): Promise<ApiRecord> {
  const resolved = await resolveObject(deps, actor, objectName);
  assertRecordId(objectName, id);
  const scope = actor.access.recordScope(objectName, 'read');
  const record = await selectRecordById(kyselyOf(deps.em()), resolved, actor, id, scope ? { ...options, scope } : options);
  if (!record) throw errors.notFound(objectName, id);
  return redactRecord(actor.access, resolved.definition, record);
}

/** How a client says which version it edits: If-Match (412 when stale) or `version` in the body (409). */
export interface VersionPrecondition {
  /** A version, or `*` to accept any (an explicit choice to overwrite). */
  ifMatch?: number | '*';
  bodyVersion?: number;
}

function checkPrecondition(current: ApiRecord, precondition: VersionPrecondition): void {
  if (precondition.ifMatch !== undefined && precondition.ifMatch !== '*' && precondition.ifMatch !== current.version) {
    throw errors.preconditionFailed(`The record changed since it was read (it is at version ${current.version})`, { current });
  }
  if (precondition.bodyVersion !== undefined && precondition.bodyVersion !== current.version) {
    throw errors.versionConflict(`The record is at version ${current.version}, not ${precondition.bodyVersion}`, { current });
  }
}

/**
 * Updates some fields of a record, if it is still at the version the client read. The row is
 * locked while the change is validated and written, so two concurrent edits of one version
 * cannot both succeed: one gets 200, the other 412 (or 409).
 */
export async function updateRecord(deps: RecordsDeps, actor: RecordsActor, objectName: string, id: string, input: unknown, precondition: VersionPrecondition): Promise<ApiRecord> {
  const resolved = await resolveObject(deps, actor, objectName, 'update');
  const { definition, metadata } = resolved;
  assertRecordId(objectName, id);
  assertBody(input);
  assertFieldWrites(actor, definition, input);
  if (precondition.ifMatch === undefined && precondition.bodyVersion === undefined) {
    throw errors.preconditionRequired('Send If-Match with the record\'s ETag (or its version in the body) so that no change is overwritten');
  }
  const { body, problems } = normalizeRecordInput(definition, input);
  // Actors limited by sharing take the path that reads (and locks) the record first, inside their scope.
  if (isSimpleWrite(resolved) && !deps.recordHooks?.has(actor.workspaceId, objectName) && !touchesSearchOrInactiveValues(definition, body) && !actor.access.recordScope(objectName, 'write')) {
    validateRecordInput(definition, body, 'update', undefined, problems);
    return redactRecord(actor.access, definition, await updateInOneStatement(deps, resolved, actor, id, body, precondition));
  }
  return deps.em().transactional(async (trx) => {
    const db = kyselyOf(trx);
    const current = await lockWritableRecord(db, resolved, actor, id);
    checkPrecondition(redactRecord(actor.access, definition, { ...current }), precondition);
    validateRecordInput(definition, body, 'update', current, problems);
    const bound: RecordsDeps = { ...deps, em: () => trx };
    await runBeforeHooks(deps, resolved, actor, 'beforeUpdate', body, current, db, bound);
    const values: Record<string, unknown> = {};
    for (const field of definition.fields) if (field.name in body) Object.assign(values, toColumns(field, body[field.name]));
    const merged = { ...current, ...body };
    try {
      await db.withSchema(metadata.schema).updateTable(definition.table!)
        .set({ ...values, version: sql`version + 1`, updated_at: sql`now()`, updated_by: actor.userId, search_text: buildSearchText(definition, merged) })
        .where('id', '=', id).execute();
    } catch (error) {
      mapDatabaseError(error, resolved);
    }
    await refreshRollups(db, metadata, actor, definition.name, [{ before: current, after: merged }]);
    const updated = (await selectRecordById(db, resolved, actor, id))!;
    await appendAuditEvent(db, auditContextOf(actor), { kind: 'record.update', objectName: definition.name, recordId: id, changes: diffRecords(definition, current, updated, new Set(Object.keys(body))) });
    await runAfterHooks(deps, db, { object: definition.name, event: 'afterUpdate', record: redactRecord(actor.access, definition, { ...updated }), previous: redactRecord(actor.access, definition, { ...current }), actor }, bound);
    return redactRecord(actor.access, definition, { ...updated });
  });
}

/**
 * Children that go to the recycle bin with their parent: every masterDetail pointing here,
 * recursively. Returns them, for the audit trail.
 */
async function cascadeSoftDelete(db: Db, metadata: WorkspaceMetadata, parent: ObjectDefinition, ids: string[], at: Date, actor: RecordsActor, depth = 0, moved: CascadedRecord[] = []): Promise<CascadedRecord[]> {
  if (ids.length === 0 || depth > 10) return moved;
  for (const stored of metadata.objects.values()) {
    for (const field of stored.body.fields) {
      if (field.type !== 'masterDetail' || field.target !== parent.name) continue;
      const { rows } = await sql<{ id: string }>`update ${sql.id(metadata.schema, stored.body.table!)} set deleted_at = ${at}, version = version + 1, updated_by = ${actor.userId}
        where ${sql.ref(field.column!)} = any(${sql.val(ids)}::uuid[]) and deleted_at is null returning id`.execute(db);
      moved.push(...rows.map((row) => ({ objectName: stored.name, id: row.id })));
      await cascadeSoftDelete(db, metadata, stored.body, rows.map((row) => row.id), at, actor, depth + 1, moved);
    }
  }
  return moved;
}

async function assertNotRestricted(db: Db, metadata: WorkspaceMetadata, target: ObjectDefinition, id: string): Promise<void> {
  for (const stored of metadata.objects.values()) {
    for (const field of stored.body.fields) {
      if (field.type !== 'lookup' || field.target !== target.name || field.onDelete !== 'restrict') continue;
      const { rows } = await sql`select 1 from ${sql.id(metadata.schema, stored.body.table!)} where ${sql.ref(field.column!)} = ${id} and deleted_at is null limit 1`.execute(db);
      if (rows.length > 0) throw errors.referenceConflict(`${stored.name} records refer to this record through ${field.name}; change them first`, { object: stored.name, field: field.name });
    }
  }
}

/** Moves a record (and its masterDetail children) to the recycle bin. */
export async function deleteRecord(deps: RecordsDeps, actor: RecordsActor, objectName: string, id: string, precondition: VersionPrecondition = {}): Promise<void> {
  const resolved = await resolveObject(deps, actor, objectName, 'delete');
  const { definition, metadata } = resolved;
  assertRecordId(objectName, id);
  await deps.em().transactional(async (trx) => {
    const db = kyselyOf(trx);
    const current = await lockWritableRecord(db, resolved, actor, id);
    checkPrecondition(redactRecord(actor.access, definition, { ...current }), precondition);
    await assertNotRestricted(db, metadata, definition, id);
    const at = new Date();
    await db.withSchema(metadata.schema).updateTable(definition.table!).set({ deleted_at: at, version: sql`version + 1`, updated_by: actor.userId }).where('id', '=', id).execute();
    const cascaded = await cascadeSoftDelete(db, metadata, definition, [id], at, actor);
    await refreshRollups(db, metadata, actor, definition.name, [{ before: current }]);
    await auditRecordAndCascade(db, actor, { kind: 'record.delete', objectName: definition.name, recordId: id }, cascaded);
    const deleted = redactRecord(actor.access, definition, { ...current });
    await runAfterHooks(deps, db, { object: definition.name, event: 'afterDelete', record: deleted, previous: deleted, actor }, { ...deps, em: () => trx });
  });
}

/** Brings a record back from the recycle bin, with the children that were deleted with it. */
export async function restoreRecord(deps: RecordsDeps, actor: RecordsActor, objectName: string, id: string): Promise<ApiRecord> {
  const resolved = await resolveObject(deps, actor, objectName, 'delete');
  const { definition, metadata } = resolved;
  assertRecordId(objectName, id);
  return deps.em().transactional(async (trx) => {
    const db = kyselyOf(trx);
    await lockWritableRecord(db, resolved, actor, id, { deleted: true });
    const { rows } = await sql<{ deleted_at: Date }>`select deleted_at from ${sql.id(metadata.schema, definition.table!)} where id = ${id} and deleted_at is not null for update`.execute(db);
    const deletedAt = rows[0]?.deleted_at;
    if (!deletedAt) throw errors.notFound(objectName, id);
    let cascaded: CascadedRecord[] = [];
    try {
      await db.withSchema(metadata.schema).updateTable(definition.table!).set({ deleted_at: null, version: sql`version + 1`, updated_by: actor.userId }).where('id', '=', id).execute();
      cascaded = await cascadeRestore(db, metadata, definition, [id], deletedAt, actor);
    } catch (error) {
      mapDatabaseError(error, resolved);
    }
    const record = (await selectRecordById(db, resolved, actor, id))!;
    await refreshRollups(db, metadata, actor, definition.name, [{ after: record }]);
    await auditRecordAndCascade(db, actor, { kind: 'record.restore', objectName: definition.name, recordId: id }, cascaded);
    return redactRecord(actor.access, definition, { ...record });
  });
}

async function cascadeRestore(db: Db, metadata: WorkspaceMetadata, parent: ObjectDefinition, ids: string[], at: Date, actor: RecordsActor, depth = 0, restored: CascadedRecord[] = []): Promise<CascadedRecord[]> {
  if (ids.length === 0 || depth > 10) return restored;
  for (const stored of metadata.objects.values()) {
    for (const field of stored.body.fields) {
      if (field.type !== 'masterDetail' || field.target !== parent.name) continue;
      // Only the children deleted together with the parent, not those deleted on their own before.
      const { rows } = await sql<{ id: string }>`update ${sql.id(metadata.schema, stored.body.table!)} set deleted_at = null, version = version + 1, updated_by = ${actor.userId}
        where ${sql.ref(field.column!)} = any(${sql.val(ids)}::uuid[]) and deleted_at = ${at} returning id`.execute(db);
      restored.push(...rows.map((row) => ({ objectName: stored.name, id: row.id })));
      await cascadeRestore(db, metadata, stored.body, rows.map((row) => row.id), at, actor, depth + 1, restored);
    }
  }
  return restored;
}

/** Records the database deletes with a purged parent (masterDetail foreign keys cascade), recursively. */
async function cascadePurgeTargets(db: Db, metadata: WorkspaceMetadata, parent: ObjectDefinition, ids: string[], depth = 0, found: CascadedRecord[] = []): Promise<CascadedRecord[]> {
  if (ids.length === 0 || depth > 10) return found;
  for (const stored of metadata.objects.values()) {
    for (const field of stored.body.fields) {
      if (field.type !== 'masterDetail' || field.target !== parent.name) continue;
      const { rows } = await sql<{ id: string }>`select id from ${sql.id(metadata.schema, stored.body.table!)} where ${sql.ref(field.column!)} = any(${sql.val(ids)}::uuid[])`.execute(db);
      found.push(...rows.map((row) => ({ objectName: stored.name, id: row.id })));
      await cascadePurgeTargets(db, metadata, stored.body, rows.map((row) => row.id), depth + 1, found);
    }
  }
  return found;
}

/** Deletes a record from the recycle bin for good. */
export async function purgeRecord(deps: RecordsDeps, actor: RecordsActor, objectName: string, id: string): Promise<void> {
  const resolved = await resolveObject(deps, actor, objectName, 'delete');
  const { definition, metadata } = resolved;
  assertRecordId(objectName, id);
  await deps.em().transactional(async (trx) => {
    const db = kyselyOf(trx);
    await lockWritableRecord(db, resolved, actor, id, { deleted: true });
    // Read before the delete: the children its foreign keys will take along.
    const cascaded = await cascadePurgeTargets(db, metadata, definition, [id]);
    try {
      const result = await db.withSchema(metadata.schema).deleteFrom(definition.table!).where('id', '=', id).where('deleted_at', 'is not', null).executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw errors.notFound(objectName, id);
    } catch (error) {
      if (error instanceof DaichoError) throw error;
      mapDatabaseError(error, resolved);
    }
    await auditRecordAndCascade(db, actor, { kind: 'record.purge', objectName: definition.name, recordId: id }, cascaded);
  });
}

/**
 * A write with no side effects beyond its own row: no formula to compute with joins, no
 * auto-number to draw, no roll-up above it to refresh. Such writes take one statement.
 */
function isSimpleWrite(resolved: ResolvedObject): boolean {
  const { definition, metadata } = resolved;
  if (definition.fields.some((field) => field.type === 'formula' || field.type === 'autoNumber')) return false;
  for (const stored of metadata.objects.values()) {
    if (stored.body.fields.some((field) => field.type === 'rollup' && field.childObject === definition.name)) return false;
  }
  return true;
}

/** An update that changes searched text, or keeps an inactive picklist value, needs the current record. */
function touchesSearchOrInactiveValues(definition: ObjectDefinition, body: RecordBody): boolean {
  const searched = new Set(searchedFields(definition).map((field) => field.name));
  return definition.fields.some((field) =>
    field.name in body && (searched.has(field.name) || ((field.type === 'picklist' || field.type === 'multiPicklist') && field.values.some((value) => value.inactive))),
  );
}

/**
 * Lock at the expected version, UPDATE, RETURNING and the audit event, as one atomic statement,
 * so two concurrent edits of one version cannot both succeed. When no row comes back, one more
 * read tells "gone" (404) from "changed meanwhile" (412/409).
 */
async function updateInOneStatement(deps: RecordsDeps, resolved: ResolvedObject, actor: RecordsActor, id: string, body: RecordBody, precondition: VersionPrecondition): Promise<ApiRecord> {
  const { definition, metadata } = resolved;
  const db = kyselyOf(deps.em());
  const values: Record<string, unknown> = {};
  for (const field of definition.fields) if (field.name in body) Object.assign(values, toColumns(field, body[field.name]));
  const expected = typeof precondition.ifMatch === 'number' ? precondition.ifMatch : precondition.bodyVersion;
  const statement = updateWithAudit(db, resolved, actor, id, values, expected === undefined ? {} : { expected });
  let row: Record<string, unknown> | undefined;
  try {
    row = (await db.executeQuery<Record<string, unknown>>(cachedStatement(metadata, statement.key, statement.build, statement.parameters))).rows[0];
  } catch (error) {
    mapDatabaseError(error, resolved);
  }
  if (row) return rowToRecord(definition, row) as ApiRecord;
  const found = await selectRecordById(db, resolved, actor, id);
  if (!found) throw errors.notFound(definition.name, id);
  const current = redactRecord(actor.access, definition, found);
  checkPrecondition(current, precondition);
  // The version matched by the time of this read: a concurrent change came and went; report it.
  throw errors.preconditionFailed(`The record changed while it was being updated (it is at version ${current.version})`, { current });
}

/**
 * Runs the before-hooks of a write inside its transaction, after validation. Values a hook sets
 * go through the same field access, normalisation and validation as the client's; problems it
 * returns refuse the write (422), before anything is written.
 */
async function runBeforeHooks(deps: RecordsDeps, resolved: ResolvedObject, actor: RecordsActor, event: 'beforeCreate' | 'beforeUpdate', body: RecordBody, current: ApiRecord | null, db: Db, bound: RecordsDeps): Promise<void> {
  const { definition } = resolved;
  for (const hook of deps.recordHooks?.hooksFor(actor.workspaceId, definition.name, event) ?? []) {
    const record = redactRecord(actor.access, definition, { ...(current ?? {}), ...body } as ApiRecord);
    const outcome = await hook.run({ object: definition.name, event, record, previous: current ? redactRecord(actor.access, definition, { ...current }) : null, actor, db, records: bound });
    if (!outcome) continue;
    if (outcome.problems && outcome.problems.length > 0) {
      throw errors.validationFailed(outcome.problems.map((problem) => ({ path: `/${problem.field}`, field: problem.field, code: 'refusedByHook', message: problem.message })), 'A record hook refused the write');
    }
    if (!outcome.set || Object.keys(outcome.set).length === 0) continue;
    assertFieldWrites(actor, definition, outcome.set);
    const normalized = normalizeRecordInput(definition, outcome.set);
    const merged = { ...body, ...normalized.body };
    validateRecordInput(definition, merged, current ? 'update' : 'create', current ?? undefined, normalized.problems);
    Object.assign(body, normalized.body);
  }
}
