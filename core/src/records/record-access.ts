// Enforcement of an actor's RecordAccess inside the records services, so that no path (HTTP,
// workflows, plugins' host calls) goes around it: object permissions, field access on input,
// output and queries, and the record scope of sharing.

import type { ObjectAction, ObjectDefinition } from '@daicho/sdk';
import { sql, type RawBuilder } from 'kysely';
import { errors } from '../errors/index.ts';
import type { WorkspaceMetadata } from '../metadata/index.ts';
import { compileFilter, restrictCatalog, type QueryCatalog, type QueryContext, type QueryScope } from '../query/index.ts';
import { ROOT_ALIAS } from './record-select.ts';
import type { RecordAccess, RecordScope, RecordsActor } from './records-context.ts';
import type { RecordProblem } from './validate-record.ts';

const systemFields = new Set(['id', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'ownerId', 'version', 'deletedAt']);

/**
 * Refuses an action the actor may not take. Without read, the object does not exist for the
 * actor (404, as for an unknown object); with read but not the action, 403.
 */
export function assertObjectAction(access: RecordAccess, objectName: string, action: ObjectAction): void {
  if (!access.allows(objectName, 'read')) throw errors.notFound('Object', objectName);
  if (action !== 'read' && !access.allows(objectName, action)) {
    throw errors.permissionDenied(`You may not ${action} ${objectName} records`, { object: objectName, action });
  }
}

const readableFieldsCache = new WeakMap<RecordAccess, WeakMap<ObjectDefinition, ReadonlySet<string> | null>>();

/** The fields of an object the actor may read; undefined when they may read all of them. */
export function readableFields(access: RecordAccess, definition: ObjectDefinition): ReadonlySet<string> | undefined {
  let perDefinition = readableFieldsCache.get(access);
  if (!perDefinition) readableFieldsCache.set(access, (perDefinition = new WeakMap()));
  let fields = perDefinition.get(definition);
  if (fields === undefined) {
    const readable = definition.fields.filter((field) => access.fieldAccess(definition.name, field.name) !== 'none').map((field) => field.name);
    fields = readable.length === definition.fields.length ? null : new Set(readable);
    perDefinition.set(definition, fields);
  }
  return fields ?? undefined;
}

/** The object as the actor sees it: without the fields they may not read. */
export function visibleDefinition(access: RecordAccess, definition: ObjectDefinition): ObjectDefinition {
  const readable = readableFields(access, definition);
  return readable ? { ...definition, fields: definition.fields.filter((field) => readable.has(field.name)) } : definition;
}

/** Removes the fields the actor may not read from a record in API shape (in place). */
export function redactRecord<T extends Record<string, unknown>>(access: RecordAccess, definition: ObjectDefinition, record: T): T {
  const readable = readableFields(access, definition);
  if (!readable) return record;
  for (const key of Object.keys(record)) if (!systemFields.has(key) && !readable.has(key)) delete record[key];
  return record;
}

/** The fields to select for the actor: those asked for (`only`), less those they may not read. */
export function selectableFields(access: RecordAccess, definition: ObjectDefinition, only: ReadonlySet<string> | undefined): ReadonlySet<string> | undefined {
  const readable = readableFields(access, definition);
  if (!readable) return only;
  return only ? new Set([...only].filter((name) => readable.has(name))) : readable;
}

const catalogs = new WeakMap<WorkspaceMetadata, WeakMap<RecordAccess, QueryCatalog>>();

/**
 * The catalog to validate a caller's filters, sorts and expansions against: objects they may not
 * read are missing, and so are fields they may not read, on every path (test plan row 46).
 * Compiling still uses the whole catalog, so formulas and sharing rules that use hidden fields work.
 */
export function readableCatalog(metadata: WorkspaceMetadata, access: RecordAccess): QueryCatalog {
  let perAccess = catalogs.get(metadata);
  if (!perAccess) catalogs.set(metadata, (perAccess = new WeakMap()));
  let catalog = perAccess.get(access);
  if (!catalog) {
    const fieldsRestricted = restrictCatalog(metadata.catalog, (object, field) => field.type === 'id' || systemFields.has(field.name) || access.fieldAccess(object.name, field.name) !== 'none');
    catalog = { object: (name) => (access.allows(name, 'read') ? fieldsRestricted.object(name) : undefined) };
    perAccess.set(access, catalog);
  }
  return catalog;
}

/**
 * Problems with a write body's fields for this actor: a field they may not read is unknown to
 * them (as if it did not exist), one they may only read is read-only.
 */
export function fieldWriteProblems(access: RecordAccess, definition: ObjectDefinition, body: Record<string, unknown>): RecordProblem[] {
  const problems: RecordProblem[] = [];
  for (const name of Object.keys(body)) {
    if (systemFields.has(name) || !definition.fields.some((field) => field.name === name)) continue;
    const fieldAccess = access.fieldAccess(definition.name, name);
    if (fieldAccess === 'none') problems.push({ path: `/${name}`, field: name, code: 'unknownField', message: 'is not a known property' });
    else if (fieldAccess === 'read') problems.push({ path: `/${name}`, field: name, code: 'readOnly', message: `${name} is read-only for you` });
  }
  return problems;
}

/** Throws 422 when the body writes fields the actor may not write. */
export function assertFieldWrites(actor: RecordsActor, definition: ObjectDefinition, body: Record<string, unknown>): void {
  const problems = fieldWriteProblems(actor.access, definition, body);
  if (problems.length > 0) throw errors.validationFailed(problems);
}

/** SQL that keeps the records in `scope`, for a query whose root table is aliased {@link ROOT_ALIAS}. */
export function scopePredicate(scope: RecordScope, queryScope: QueryScope, context: QueryContext): RawBuilder<boolean> {
  const parts: RawBuilder<boolean>[] = [];
  if (scope.ownerIds.length > 0) parts.push(sql<boolean>`${sql.ref(`${ROOT_ALIAS}.owner_id`)} = any(${sql.val(scope.ownerIds)}::uuid[])`);
  for (const filter of scope.filters) parts.push(compileFilter(filter, queryScope, context));
  if (parts.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${sql.join(parts, sql` or `)})`;
}

/**
 * The workspace's objects as the actor sees them: only those they may read, each without the
 * fields they may not read (for OpenAPI, definitions and forms shown to them).
 */
export function visibleObjects(metadata: WorkspaceMetadata, access: RecordAccess): WorkspaceMetadata {
  const objects = new Map([...metadata.objects].filter(([name]) => access.allows(name, 'read')).map(([name, stored]) => [name, { ...stored, body: visibleDefinition(access, stored.body) }]));
  return { ...metadata, objects };
}
