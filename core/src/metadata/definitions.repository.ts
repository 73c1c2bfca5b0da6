import type { BusinessCalendarDefinition, EscalationRuleDefinition, ObjectDefinition, PermissionSetDefinition, RoleDefinition, SharingRuleDefinition, WorkflowDefinition } from '@daicho/sdk';
import { sql, type Kysely } from 'kysely';
import { generateUuidV7, sendNotification } from '../db/index.ts';
import type { JsonPatchOperation } from './json-patch.ts';

/** The body of each kind of stored definition; more (views) join later. */
export interface DefinitionBodies {
  object: ObjectDefinition;
  permissionSet: PermissionSetDefinition;
  role: RoleDefinition;
  sharingRule: SharingRuleDefinition;
  businessCalendar: BusinessCalendarDefinition;
  workflow: WorkflowDefinition;
  escalationRule: EscalationRuleDefinition;
}
export type DefinitionKind = keyof DefinitionBodies;
export type DefinitionChange = 'created' | 'updated' | 'deleted' | 'restored' | 'imported';

/** A stored definition at its current version. */
export interface StoredDefinition<Body = unknown> {
  id: string;
  name: string;
  version: number;
  body: Body;
  deletedAt: Date | null;
  /** When the definition's first version was saved. */
  createdAt: Date;
  updatedAt: Date;
}

/** A stored object definition at its current version. */
export type StoredObject = StoredDefinition<ObjectDefinition>;

export interface DefinitionVersionRow<Body = ObjectDefinition> {
  version: number;
  change: DefinitionChange;
  body: Body;
  diff: JsonPatchOperation[];
  createdAt: Date;
  createdBy: string | null;
}

/** The channel on which nodes hear of metadata changes (payload: `<workspaceId>:<version>`). */
export const METADATA_CHANNEL = 'daicho_metadata';

// The platform tables are addressed through Kysely without generated types: each query names
// its columns, and rows are mapped explicitly below.
type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface DefinitionRow {
  id: string;
  name: string;
  version: number;
  body: unknown;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const toStored = <Body>(row: DefinitionRow): StoredDefinition<Body> => ({
  id: row.id,
  name: row.name,
  version: row.version,
  body: row.body as Body,
  // The driver may hand timestamps over as text; Date reads both.
  deletedAt: row.deleted_at === null ? null : new Date(row.deleted_at),
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

const definitions = (db: Db) => db.withSchema('daicho').selectFrom('definition').select(['id', 'name', 'version', 'body', 'deleted_at', 'created_at', 'updated_at']);

/** The workspace's definitions of one kind, by name. */
export async function listDefinitionRows<K extends DefinitionKind>(db: Db, workspaceId: string, kind: K, options: { includeDeleted?: boolean } = {}): Promise<Array<StoredDefinition<DefinitionBodies[K]>>> {
  let query = definitions(db).where('workspace_id', '=', workspaceId).where('kind', '=', kind);
  if (!options.includeDeleted) query = query.where('deleted_at', 'is', null);
  const rows = (await query.orderBy('name').execute()) as DefinitionRow[];
  return rows.map((row) => toStored<DefinitionBodies[K]>(row));
}

/** Finds a definition; `forUpdate` locks its row until the transaction ends. */
export async function findDefinitionRow<K extends DefinitionKind>(db: Db, workspaceId: string, kind: K, name: string, options: { forUpdate?: boolean } = {}): Promise<StoredDefinition<DefinitionBodies[K]> | undefined> {
  let query = definitions(db).where('workspace_id', '=', workspaceId).where('kind', '=', kind).where('name', '=', name);
  if (options.forUpdate) query = query.forUpdate();
  const row = (await query.executeTakeFirst()) as DefinitionRow | undefined;
  return row && toStored<DefinitionBodies[K]>(row);
}

/** Every live definition of the workspace, of all kinds, in one query. */
export async function listAllDefinitionRows(db: Db, workspaceId: string): Promise<{ [K in DefinitionKind]: Array<StoredDefinition<DefinitionBodies[K]>> }> {
  const rows = (await db.withSchema('daicho').selectFrom('definition').select(['id', 'kind', 'name', 'version', 'body', 'deleted_at', 'created_at', 'updated_at'])
    .where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).orderBy('name').execute()) as Array<DefinitionRow & { kind: string }>;
  const byKind = { object: [], permissionSet: [], role: [], sharingRule: [], businessCalendar: [], workflow: [], escalationRule: [] } as { [K in DefinitionKind]: Array<StoredDefinition<DefinitionBodies[K]>> };
  for (const row of rows) (byKind[row.kind as DefinitionKind] as StoredDefinition[] | undefined)?.push(toStored(row));
  return byKind;
}

export const listObjectRows = (db: Db, workspaceId: string, options: { includeDeleted?: boolean } = {}) => listDefinitionRows(db, workspaceId, 'object', options);

/** Finds an object definition; `forUpdate` locks its row until the transaction ends. */
export const findObjectRow = (db: Db, workspaceId: string, name: string, options: { forUpdate?: boolean } = {}) => findDefinitionRow(db, workspaceId, 'object', name, options);

export interface WriteDefinitionOptions<Body extends { name: string } = ObjectDefinition> {
  workspaceId: string;
  previous: StoredDefinition<Body> | undefined;
  body: Body;
  change: DefinitionChange;
  diff: JsonPatchOperation[];
  actorId: string | undefined;
  deletedAt?: Date | null;
}

/** Writes the new current object version and its history row. */
export const writeObjectRow = (db: Db, options: WriteDefinitionOptions): Promise<StoredObject> => writeDefinitionRow(db, 'object', options);

/** Writes the new current version of a definition and its history row. */
export async function writeDefinitionRow<K extends DefinitionKind>(db: Db, kind: K, options: WriteDefinitionOptions<DefinitionBodies[K]>): Promise<StoredDefinition<DefinitionBodies[K]>> {
  const version = (options.previous?.version ?? 0) + 1;
  const deletedAt = options.deletedAt === undefined ? (options.previous?.deletedAt ?? null) : options.deletedAt;
  let id: string;
  if (options.previous) {
    id = options.previous.id;
    await db.withSchema('daicho').updateTable('definition')
      .set({ version, body: JSON.stringify(options.body), deleted_at: deletedAt, updated_at: sql`now()` })
      .where('id', '=', id).execute();
  } else {
    id = generateUuidV7();
    await db.withSchema('daicho').insertInto('definition')
      .values({ id, workspace_id: options.workspaceId, kind, name: options.body.name, version, body: JSON.stringify(options.body), deleted_at: deletedAt })
      .execute();
  }
  await db.withSchema('daicho').insertInto('definition_version')
    .values({ definition_id: id, version, change: options.change, body: JSON.stringify(options.body), diff: JSON.stringify(options.diff), created_by: options.actorId ?? null })
    .execute();
  return { id, name: options.body.name, version, body: options.body, deletedAt, createdAt: options.previous?.createdAt ?? new Date(), updatedAt: new Date() };
}

export async function listObjectVersions<Body = ObjectDefinition>(db: Db, definitionId: string): Promise<Array<DefinitionVersionRow<Body>>> {
  const rows = await db.withSchema('daicho').selectFrom('definition_version')
    .select(['version', 'change', 'body', 'diff', 'created_at', 'created_by'])
    .where('definition_id', '=', definitionId).orderBy('version', 'desc').execute();
  return rows.map((row) => ({ version: row.version, change: row.change, body: row.body, diff: row.diff, createdAt: new Date(row.created_at), createdBy: row.created_by }));
}

/** Counts one more metadata change for the workspace and tells every node (delivered at commit). */
export async function bumpMetadataVersion(db: Db, workspaceId: string): Promise<number> {
  const row = await db.withSchema('daicho').updateTable('workspace')
    .set({ metadata_version: sql`metadata_version + 1` })
    .where('id', '=', workspaceId).returning('metadata_version').executeTakeFirstOrThrow();
  const version = Number(row.metadata_version);
  await sendNotification(db, METADATA_CHANNEL, `${workspaceId}:${version}`);
  return version;
}

export async function readMetadataVersions(db: Db): Promise<Map<string, number>> {
  const rows = await db.withSchema('daicho').selectFrom('workspace').select(['id', 'metadata_version']).execute();
  return new Map(rows.map((row) => [row.id as string, Number(row.metadata_version)]));
}
