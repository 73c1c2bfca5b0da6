import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';
import { sql } from 'kysely';
import { errors } from '../errors/index.ts';
import { applyTableChanges, type DdlStep } from '../storage/index.ts';
import { findObjectRow, bumpMetadataVersion, type StoredObject } from './definitions.repository.ts';
import { commitObjectChange, finish, type MetadataActor, type MetadataDeps, type ObjectChangeResult } from './object-definitions.service.ts';

type Db = Parameters<typeof findObjectRow>[0];
type Committed = Awaited<ReturnType<typeof commitObjectChange>>;

/**
 * A set of object changes made together (a plugin's contributions at install, upgrade or
 * uninstall), applied inside the caller's transaction so that it commits, or rolls back, with
 * whatever else the caller writes. Names are the identity: an object or field that exists is
 * updated in place (ids, columns and values kept), one that is deleted is restored.
 */
export interface ObjectSetChange {
  /** Objects to create, restore or update. */
  objects?: ObjectDefinition[];
  /** Fields to create, restore or update on other objects. */
  fields?: Array<{ object: string; field: FieldDefinition }>;
  /** Objects to hide: their API disappears, table and records stay for restore. */
  deleteObjects?: string[];
  /** Fields to hide: their column and values stay for the retention period. */
  deleteFields?: Array<{ object: string; field: string }>;
}

/** Applies a set of changes in `db` (a transaction); call {@link finishObjectSet} after commit. */
export async function applyObjectSet(deps: MetadataDeps, actor: MetadataActor, db: Db, change: ObjectSetChange): Promise<Committed[]> {
  const committed: Committed[] = [];
  const pendingObjects = new Map((change.objects ?? []).map((object) => [object.name, object]));
  const deferredConstraints: DdlStep[] = [];
  for (const object of change.objects ?? []) {
    let previous = await findObjectRow(db, actor.workspaceId, object.name, { forUpdate: true });
    if (previous?.deletedAt) {
      const restored = await commitObjectChange(deps, actor, db, { previous, input: previous.body, change: 'restored', trustIds: true, deletedAt: null, pendingObjects, deferredConstraints });
      committed.push(restored);
      previous = restored.object;
    }
    const input = previous ? { ...object, id: previous.body.id, table: previous.body.table, fields: object.fields.map(({ id: _id, column: _column, ...field }) => field as FieldDefinition) } : object;
    committed.push(await commitObjectChange(deps, actor, db, { previous, input, change: previous ? 'updated' : 'created', pendingObjects, deferredConstraints }));
  }
  await applyTableChanges(db, deferredConstraints);
  for (const { object, field } of change.fields ?? []) {
    let previous = await requireLive(db, actor, object);
    const deleted = previous.body.deletedFields?.findLastIndex((entry) => entry.field.name === field.name && (entry.reason ?? 'deleted') === 'deleted') ?? -1;
    if (deleted >= 0 && !previous.body.fields.some((existing) => existing.name === field.name)) {
      const body = structuredClone(previous.body);
      const [entry] = body.deletedFields!.splice(deleted, 1);
      body.fields.push(entry!.field);
      if (body.deletedFields!.length === 0) delete body.deletedFields;
      const restored = await commitObjectChange(deps, actor, db, { previous, input: body, change: 'restored', trustIds: true });
      committed.push(restored);
      previous = restored.object;
    }
    const { deletedFields: _deleted, ...current } = structuredClone(previous.body);
    const index = current.fields.findIndex((existing) => existing.name === field.name);
    const { id: _id, column: _column, ...bare } = field;
    if (index >= 0) current.fields[index] = { ...bare, id: current.fields[index]!.id, column: current.fields[index]!.column } as FieldDefinition;
    else current.fields.push(bare as FieldDefinition);
    committed.push(await commitObjectChange(deps, actor, db, { previous, input: current, change: 'updated' }));
  }
  for (const { object, field } of change.deleteFields ?? []) {
    const previous = await findObjectRow(db, actor.workspaceId, object, { forUpdate: true });
    if (!previous || previous.deletedAt || !previous.body.fields.some((existing) => existing.name === field)) continue;
    const { deletedFields: _deleted, ...current } = structuredClone(previous.body);
    committed.push(await commitObjectChange(deps, actor, db, { previous, input: { ...current, fields: current.fields.filter((existing) => existing.name !== field) }, change: 'updated' }));
  }
  for (const name of change.deleteObjects ?? []) {
    const previous = await findObjectRow(db, actor.workspaceId, name, { forUpdate: true });
    if (!previous || previous.deletedAt) continue;
    committed.push(await commitObjectChange(deps, actor, db, { previous, input: previous.body, change: 'deleted', trustIds: true, deletedAt: new Date() }));
  }
  return committed;
}

async function requireLive(db: Db, actor: MetadataActor, name: string): Promise<StoredObject> {
  const found = await findObjectRow(db, actor.workspaceId, name, { forUpdate: true });
  if (!found || found.deletedAt) throw errors.notFound('Object', name);
  return found;
}

/** What to do after the transaction of {@link applyObjectSet} committed: caches, concurrent indexes, after-change hooks. */
export async function finishObjectSet(deps: MetadataDeps, actor: MetadataActor, committed: Committed[]): Promise<ObjectChangeResult[]> {
  deps.cache.invalidate(actor.workspaceId);
  const results: ObjectChangeResult[] = [];
  for (const one of committed) results.push(await finish(deps, actor, one));
  return results;
}

/**
 * Drops a deleted object for good: its table, records and definition history. Only an object
 * already deleted (hidden) can be purged; the caller audits why.
 */
export async function purgeDeletedObject(deps: MetadataDeps, actor: MetadataActor, db: Db, name: string): Promise<boolean> {
  const previous = await findObjectRow(db, actor.workspaceId, name, { forUpdate: true });
  if (!previous) return false;
  if (!previous.deletedAt) throw errors.conflict(`${name} is not deleted; delete it before purging it`, { name });
  const schema = (await deps.cache.get(actor.workspaceId)).schema;
  await sql`drop table if exists ${sql.id(schema, previous.body.table!)} cascade`.execute(db);
  await sql`delete from daicho.definition_version where definition_id = ${previous.id}`.execute(db);
  await sql`delete from daicho.definition where id = ${previous.id}`.execute(db);
  await bumpMetadataVersion(db, actor.workspaceId);
  return true;
}
