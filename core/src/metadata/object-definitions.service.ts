import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type Kysely } from 'kysely';
import { appendAuditEvent } from '../audit/index.ts';
import { DaichoError, errors, type InputProblem } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';
import {
  applyConcurrentSteps, applyTableChanges, conversionExpression, conversionReportQuery, conversionUpdate, ensureWorkspaceSchema,
  planTableChange, workspaceSchemaName, type ConversionReport, type DdlStep, type TableRef,
} from '../storage/index.ts';
import {
  bumpMetadataVersion, findObjectRow, listObjectRows, writeObjectRow, type DefinitionChange, type StoredObject,
} from './definitions.repository.ts';
import { diffJson } from './json-patch.ts';
import type { MetadataCache } from './metadata-cache.ts';
import { validateObjectDocument } from './meta-schema.ts';
import { checkObjectRules } from './object-rules.ts';
import { prepareDefinition } from './prepare-definition.ts';
import { createQueryCatalog, objectToQuery } from './query-catalog.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What the metadata services need from the runtime. */
export interface MetadataDeps {
  em: () => EntityManager;
  cache: MetadataCache;
  logger: Logger;
  /**
   * Extension point: runs after a change is committed (e.g. the records domain fills a new
   * roll-up). Its failure is logged, never undoes the change.
   */
  afterObjectChange?: (actor: MetadataActor, result: ObjectChangeResult) => Promise<void>;
}

/** Who changes definitions, in which workspace, from where (the last two for the audit trail). */
export interface MetadataActor {
  workspaceId: string;
  userId?: string;
  clientAddress?: string;
  requestId?: string;
}

/** The outcome of a definition change. */
export interface ObjectChangeResult {
  object: StoredObject;
  /** DDL the change ran, in words. */
  steps: string[];
  /** For each field whose type changed: what happened to existing values. */
  conversions: Array<{ field: string; report: ConversionReport }>;
  /** Things that did not work out after commit (e.g. a unique index that found duplicates). */
  warnings: string[];
  /** Fields added or whose definition changed. */
  changedFields: string[];
}

const SAMPLE_SIZE = 100;

export function invalid(problems: InputProblem[]): never {
  throw errors.invalidDefinition(problems);
}

/** Validates an object definition document, independent of any stored state. */
export function assertValidObjectDocument(input: unknown): asserts input is ObjectDefinition {
  const problems = validateObjectDocument(input);
  if (problems.length > 0) invalid(problems);
}

async function otherObjects(db: Db, workspaceId: string, except: string): Promise<Map<string, ObjectDefinition>> {
  const rows = await listObjectRows(db, workspaceId);
  return new Map(rows.filter((row) => row.name !== except).map((row) => [row.name, row.body]));
}

function targetResolver(schema: string, objects: ReadonlyMap<string, ObjectDefinition>, self: ObjectDefinition) {
  return (name: string): TableRef | undefined => {
    if (name === 'user') return { schema: 'daicho', table: 'user' };
    const target = name === self.name ? self : objects.get(name);
    return target?.table ? { schema, table: target.table } : undefined;
  };
}

interface CommitOptions {
  previous: StoredObject | undefined;
  input: ObjectDefinition;
  change: DefinitionChange;
  expectedVersion?: number;
  /** Import keeps ids and physical names from the package. */
  trustIds?: boolean;
  deletedAt?: Date | null;
  /** Import: objects of the package not stored yet, which lookups may target. */
  pendingObjects?: ReadonlyMap<string, ObjectDefinition>;
  /** Import: foreign keys are collected here and added once every table exists. */
  deferredConstraints?: DdlStep[];
}

/**
 * The one path by which an object definition changes: validate, join with platform-managed
 * parts, check platform rules, plan and apply the DDL, convert changed columns, store the new
 * version with its diff, tell every node, and build indexes concurrently after commit.
 */
export async function commitObjectChange(deps: MetadataDeps, actor: MetadataActor, db: Db, options: CommitOptions): Promise<Omit<ObjectChangeResult, 'warnings'> & { concurrent: DdlStep[]; schema: string }> {
  assertValidObjectDocument(options.input);
  const previous = options.previous;
  if (options.expectedVersion !== undefined && previous && previous.version !== options.expectedVersion) {
    // The expected version comes from If-Match: a failed precondition (412), with the current
    // definition in the shape GET answers, so the client can merge without another read.
    throw errors.preconditionFailed(`The definition of ${previous.name} changed since it was read (it is at version ${previous.version}, not ${options.expectedVersion})`, { current: { object: previous.body, version: previous.version } });
  }
  const now = new Date();
  const prepared = prepareDefinition(options.input, previous?.body, now, { trustIds: options.trustIds });
  if (prepared.problems.length > 0) invalid(prepared.problems);
  const next = prepared.body;

  const schema = workspaceSchemaName(actor.workspaceId);
  const objects = await otherObjects(db, actor.workspaceId, next.name);
  for (const [name, body] of options.pendingObjects ?? []) if (name !== next.name && !objects.has(name)) objects.set(name, body);
  const queryObjects = [...objects.values()].map((body) => objectToQuery(body, schema));
  const catalog = createQueryCatalog([...queryObjects, objectToQuery(next, schema)], actor.workspaceId);
  const problems = checkObjectRules(next, { objects, catalog });
  if (problems.length > 0) invalid(problems);

  await ensureWorkspaceSchema(db, schema);
  const steps = planTableChange(previous?.body, next, { schema, resolveTarget: targetResolver(schema, objects, next) });
  const table: TableRef = { schema, table: next.table! };
  const conversions: ObjectChangeResult['conversions'] = [];
  const dataSteps: DdlStep[] = [];
  for (const { before, after } of prepared.typeChanges) {
    if (!conversionExpression(before, after)) invalid([{ path: `/fields/${next.fields.indexOf(after)}/type`, code: 'unsupportedConversion', message: `A ${before.type} field cannot become a ${after.type} field; create a new field instead` }]);
    dataSteps.push({ phase: 'data', description: `convert the values of ${after.name} from ${before.type} to ${after.type}`, statement: conversionUpdate(table, before, after) });
  }
  const deferred = options.deferredConstraints;
  const immediate = deferred ? steps.filter((step) => step.phase !== 'constraint') : steps;
  if (deferred) deferred.push(...steps.filter((step) => step.phase === 'constraint'));
  const concurrent = await applyTableChanges(db, [...immediate, ...dataSteps]);
  // Reports are read after the new column exists and before anyone writes to it.
  for (const { before, after } of prepared.typeChanges) {
    const report = conversionReportQuery(table, before, after, SAMPLE_SIZE)!;
    const counts = (await report.counts.execute(db)).rows[0]!;
    const samples = (await report.samples.execute(db)).rows;
    const total = Number(counts.total);
    const unconvertible = Number(counts.unconvertible);
    conversions.push({ field: after.name, report: { total, converted: total - unconvertible, unconvertible, samples } });
  }
  await assertUniqueCanHold(db, table, previous?.body, next);

  const diff = diffJson(previous?.body ?? {}, next);
  const object = await writeObjectRow(db, { workspaceId: actor.workspaceId, previous, body: next, change: options.change, diff, actorId: actor.userId, deletedAt: options.deletedAt });
  await bumpMetadataVersion(db, actor.workspaceId);
  await appendAuditEvent(db, { workspaceId: actor.workspaceId, actorId: actor.userId ?? null, clientAddress: actor.clientAddress ?? null, requestId: actor.requestId ?? null }, {
    kind: 'definition.change',
    objectName: next.name,
    details: { definition: 'object', name: next.name, version: object.version, change: options.change, diff },
  });
  const before = new Map((previous?.body.fields ?? []).map((field) => [field.id, JSON.stringify(field)]));
  const changedFields = next.fields.filter((field) => before.get(field.id) !== JSON.stringify(field)).map((field) => field.name);
  return { object, steps: [...steps, ...dataSteps].map((step) => step.description), conversions, concurrent, schema, changedFields };
}

/** Refuses to make an existing field unique while live records share a value. */
async function assertUniqueCanHold(db: Db, table: TableRef, previous: ObjectDefinition | undefined, next: ObjectDefinition): Promise<void> {
  if (!previous) return;
  const before = new Map(previous.fields.map((field) => [field.id, field]));
  for (const [index, field] of next.fields.entries()) {
    const old = before.get(field.id);
    if (!field.unique || !old || old.unique || old.column !== field.column) continue;
    const duplicates = await db.withSchema(table.schema).selectFrom(table.table)
      .select((eb) => [eb.ref(field.column!).as('value'), eb.fn.countAll().as('count')])
      .where('deleted_at', 'is', null).where(field.column!, 'is not', null)
      .groupBy(field.column!).having((eb) => eb.fn.countAll(), '>', 1).limit(5).execute();
    if (duplicates.length > 0) {
      throw errors.duplicateValue(field.name, `${field.name} cannot become unique: live records share values`, { path: `/fields/${index}/unique`, examples: duplicates.map((row) => row.value) });
    }
  }
}

export async function runInTransaction<T>(deps: MetadataDeps, work: (db: Db) => Promise<T>): Promise<T> {
  return deps.em().transactional(async (trx) => work(trx.getKysely() as Db));
}

export async function finish(deps: MetadataDeps, actor: MetadataActor, committed: Awaited<ReturnType<typeof commitObjectChange>>): Promise<ObjectChangeResult> {
  deps.cache.invalidate(actor.workspaceId);
  const warnings: string[] = [];
  if (committed.concurrent.length > 0) {
    const db = deps.em().getKysely() as Db;
    const { failed } = await applyConcurrentSteps(db, committed.concurrent);
    for (const { step, error } of failed) {
      warnings.push(`${step.description}: ${error.message}`);
      deps.logger.error({ err: error, step: step.description }, 'a concurrent index build failed');
    }
    if (failed.length > 0) await dropInvalidIndexes(db, committed.schema, committed.object.body.table!);
  }
  const result: ObjectChangeResult = { object: committed.object, steps: committed.steps, conversions: committed.conversions, warnings, changedFields: committed.changedFields };
  if (deps.afterObjectChange) {
    try {
      await deps.afterObjectChange(actor, result);
    } catch (error) {
      deps.logger.error({ err: error, object: committed.object.name }, 'an after-change step failed');
      result.warnings.push(`after the change: ${(error as Error).message}`);
    }
  }
  return result;
}

/** A failed CREATE INDEX CONCURRENTLY leaves an INVALID index that slows writes; remove it. */
async function dropInvalidIndexes(db: Db, schema: string, table: string): Promise<void> {
  const { rows } = await sql<{ name: string }>`select c.relname as name from pg_index i
    join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid join pg_namespace n on n.oid = t.relnamespace
    where not i.indisvalid and n.nspname = ${schema} and t.relname = ${table}`.execute(db);
  for (const row of rows) await db.schema.withSchema(schema).dropIndex(row.name).ifExists().execute();
}

async function requireObject(db: Db, actor: MetadataActor, name: string, options: { forUpdate?: boolean; includeDeleted?: boolean } = {}): Promise<StoredObject> {
  const found = await findObjectRow(db, actor.workspaceId, name, options);
  if (!found || (found.deletedAt && !options.includeDeleted)) throw errors.notFound('Object', name);
  return found;
}

/** Creates an object and its table. */
export async function createObject(deps: MetadataDeps, actor: MetadataActor, input: unknown): Promise<ObjectChangeResult> {
  assertValidObjectDocument(input);
  const committed = await runInTransaction(deps, async (db) => {
    const existing = await findObjectRow(db, actor.workspaceId, input.name, { forUpdate: true });
    if (existing) throw errors.conflict(`An object named "${input.name}" already exists${existing.deletedAt ? ' (deleted; restore it instead)' : ''}`, { name: input.name });
    return commitObjectChange(deps, actor, db, { previous: undefined, input, change: 'created' });
  });
  return finish(deps, actor, committed);
}

/** Replaces an object's definition (fields included); `expectedVersion` guards against lost updates. */
export async function replaceObject(deps: MetadataDeps, actor: MetadataActor, name: string, input: unknown, expectedVersion?: number): Promise<ObjectChangeResult> {
  assertValidObjectDocument(input);
  const committed = await runInTransaction(deps, async (db) => {
    const previous = await requireObject(db, actor, name, { forUpdate: true });
    return commitObjectChange(deps, actor, db, { previous, input, change: 'updated', expectedVersion });
  });
  return finish(deps, actor, committed);
}

/** Applies `edit` to the current definition and commits the result. */
async function editObject(deps: MetadataDeps, actor: MetadataActor, name: string, edit: (current: ObjectDefinition) => ObjectDefinition, change: DefinitionChange = 'updated'): Promise<ObjectChangeResult> {
  const committed = await runInTransaction(deps, async (db) => {
    const previous = await requireObject(db, actor, name, { forUpdate: true });
    return commitObjectChange(deps, actor, db, { previous, input: edit(structuredClone(previous.body)), change });
  });
  return finish(deps, actor, committed);
}

/** The admin-facing shape of a stored definition: without platform bookkeeping of deleted fields. */
function editable(current: ObjectDefinition): ObjectDefinition {
  const { deletedFields: _deleted, ...rest } = current;
  return rest;
}

/**
 * Runs a change of one field, sent on its own: problems found in that field point into the
 * document the client sent (`/min`, not `/fields/9/min`); problems elsewhere in the object keep
 * their pointer into the object definition.
 */
async function asFieldChange<T>(run: (placed: (index: number) => void) => Promise<T>): Promise<T> {
  let fieldIndex: number | undefined;
  try {
    return await run((index) => {
      fieldIndex = index;
    });
  } catch (error) {
    if (fieldIndex === undefined || !(error instanceof DaichoError) || error.code !== 'INVALID_DEFINITION') throw error;
    const prefix = `/fields/${fieldIndex}`;
    const problems = (error.details as { problems: InputProblem[] }).problems.map((problem) =>
      problem.path === prefix || problem.path.startsWith(`${prefix}/`) ? { ...problem, path: problem.path.slice(prefix.length) } : problem);
    throw errors.invalidDefinition(problems);
  }
}

export async function addField(deps: MetadataDeps, actor: MetadataActor, objectName: string, field: unknown): Promise<ObjectChangeResult> {
  return asFieldChange((placed) => editObject(deps, actor, objectName, (current) => {
    const name = (field as { name?: unknown } | null)?.name;
    if (typeof name === 'string' && current.fields.some((existing) => existing.name === name)) {
      throw errors.conflict(`${objectName} already has a field named "${name}"`, { field: name });
    }
    placed(current.fields.length);
    return { ...editable(current), fields: [...current.fields, field as FieldDefinition] };
  }));
}

export async function replaceField(deps: MetadataDeps, actor: MetadataActor, objectName: string, fieldName: string, field: unknown): Promise<ObjectChangeResult> {
  return asFieldChange((placed) => editObject(deps, actor, objectName, (current) => {
    const index = current.fields.findIndex((existing) => existing.name === fieldName);
    if (index < 0) throw errors.notFound('Field', `${objectName}.${fieldName}`);
    if ((field as { name?: unknown } | null)?.name !== fieldName) {
      invalid([{ path: '/name', code: 'immutable', message: 'A field\'s name cannot change; create a new field instead' }]);
    }
    placed(index);
    const fields = [...current.fields];
    fields[index] = field as FieldDefinition;
    return { ...editable(current), fields };
  }));
}

/** Hides a field at once; its column and values stay until the retention period ends. */
export async function deleteField(deps: MetadataDeps, actor: MetadataActor, objectName: string, fieldName: string): Promise<ObjectChangeResult> {
  return editObject(deps, actor, objectName, (current) => {
    if (!current.fields.some((field) => field.name === fieldName)) throw errors.notFound('Field', `${objectName}.${fieldName}`);
    if (current.titleField === fieldName) invalid([{ path: '/titleField', code: 'inUse', message: `${fieldName} is the title field; choose another title first` }]);
    // A deleted field stops being searched; formulas and roll-ups that use it make the change fail, by name.
    const searchFields = current.searchFields?.filter((name) => name !== fieldName);
    return { ...editable(current), ...(searchFields ? { searchFields } : {}), fields: current.fields.filter((field) => field.name !== fieldName) };
  });
}

/** Brings back the most recently deleted field of that name, with its values. */
export async function restoreField(deps: MetadataDeps, actor: MetadataActor, objectName: string, fieldName: string): Promise<ObjectChangeResult> {
  const committed = await runInTransaction(deps, async (db) => {
    const previous = await requireObject(db, actor, objectName, { forUpdate: true });
    const body = structuredClone(previous.body);
    const deleted = body.deletedFields ?? [];
    const index = deleted.findLastIndex((entry) => entry.field.name === fieldName && (entry.reason ?? 'deleted') === 'deleted');
    if (index < 0) throw errors.notFound('Deleted field', `${objectName}.${fieldName}`);
    if (body.fields.some((field) => field.name === fieldName)) {
      throw errors.conflict(`${objectName} has a live field named "${fieldName}"; delete or rename it first`, { field: fieldName });
    }
    const [entry] = deleted.splice(index, 1);
    body.fields.push(entry!.field);
    if (deleted.length === 0) delete body.deletedFields;
    return commitObjectChange(deps, actor, db, { previous, input: body, change: 'restored', trustIds: true });
  });
  return finish(deps, actor, committed);
}

/**
 * Drops the columns of fields deleted longer ago than the retention period. Returns the fields
 * purged, by object.
 */
export async function purgeDeletedFields(deps: MetadataDeps, actor: MetadataActor, retentionDays: number, now = new Date()): Promise<Array<{ object: string; fields: string[] }>> {
  const cutoff = now.getTime() - retentionDays * 86_400_000;
  const purged: Array<{ object: string; fields: string[] }> = [];
  const rows = await listObjectRows(deps.em().getKysely() as Db, actor.workspaceId);
  for (const row of rows) {
    const expired = (row.body.deletedFields ?? []).filter((entry) => Date.parse(entry.deletedAt) <= cutoff);
    if (expired.length === 0) continue;
    const committed = await runInTransaction(deps, async (db) => {
      const previous = await requireObject(db, actor, row.name, { forUpdate: true });
      const keep = (previous.body.deletedFields ?? []).filter((entry) => Date.parse(entry.deletedAt) > cutoff);
      const input = { ...previous.body, deletedFields: keep.length > 0 ? keep : undefined };
      if (!input.deletedFields) delete input.deletedFields;
      return commitObjectChange(deps, actor, db, { previous, input, change: 'updated', trustIds: true });
    });
    await finish(deps, actor, committed);
    purged.push({ object: row.name, fields: expired.map((entry) => entry.field.name) });
  }
  return purged;
}

/** What a field change would do to existing values, without changing anything. */
export async function previewFieldChange(deps: MetadataDeps, actor: MetadataActor, objectName: string, fieldName: string, field: unknown): Promise<{ steps: string[]; conversions: ObjectChangeResult['conversions'] }> {
  const preview = Symbol('preview');
  let result: { steps: string[]; conversions: ObjectChangeResult['conversions'] } | undefined;
  try {
    await asFieldChange((placed) => runInTransaction(deps, async (db) => {
      const previous = await requireObject(db, actor, objectName, { forUpdate: true });
      const current = editable(structuredClone(previous.body));
      const index = current.fields.findIndex((existing) => existing.name === fieldName);
      if (index < 0) throw errors.notFound('Field', `${objectName}.${fieldName}`);
      placed(index);
      current.fields[index] = field as FieldDefinition;
      const committed = await commitObjectChange(deps, actor, db, { previous, input: current, change: 'updated' });
      result = { steps: committed.steps, conversions: committed.conversions };
      // Roll everything back: a preview changes nothing.
      throw preview;
    }));
  } catch (error) {
    if (error !== preview) throw error;
  }
  return result!;
}

/** Soft-deletes an object: its API disappears, its table and records stay for restore. */
export async function deleteObject(deps: MetadataDeps, actor: MetadataActor, name: string): Promise<ObjectChangeResult> {
  const committed = await runInTransaction(deps, async (db) => {
    const previous = await requireObject(db, actor, name, { forUpdate: true });
    const referencing = (await listObjectRows(db, actor.workspaceId)).filter((row) => row.name !== name && row.body.fields.some((field) => (field.type === 'lookup' || field.type === 'masterDetail') && field.target === name));
    if (referencing.length > 0) {
      throw errors.referenceConflict(`${name} is referenced by ${referencing.map((row) => row.name).join(', ')}; remove those lookups first`, { referencedBy: referencing.map((row) => row.name) });
    }
    return commitObjectChange(deps, actor, db, { previous, input: previous.body, change: 'deleted', trustIds: true, deletedAt: new Date() });
  });
  return finish(deps, actor, committed);
}

export async function restoreObject(deps: MetadataDeps, actor: MetadataActor, name: string): Promise<ObjectChangeResult> {
  const committed = await runInTransaction(deps, async (db) => {
    const previous = await requireObject(db, actor, name, { forUpdate: true, includeDeleted: true });
    if (!previous.deletedAt) throw errors.conflict(`${name} is not deleted`, { name });
    return commitObjectChange(deps, actor, db, { previous, input: previous.body, change: 'restored', trustIds: true, deletedAt: null });
  });
  return finish(deps, actor, committed);
}


export { listObjectVersions } from './definitions.repository.ts';
