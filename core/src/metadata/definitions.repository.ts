import type { ObjectDefinition } from '@daicho/sdk';
import { sql, type Kysely } from 'kysely';
import { generateUuidV7 } from '../db/index.ts';
import type { JsonPatchOperation } from './json-patch.ts';

/** The kinds of definitions stored; more (views, workflows, permission sets) join later. */
export type DefinitionKind = 'object';
export type DefinitionChange = 'created' | 'updated' | 'deleted' | 'restored' | 'imported';

/** A stored object definition at its current version. */
export interface StoredObject {
  id: string;
  name: string;
  version: number;
  body: ObjectDefinition;
  deletedAt: Date | null;
  updatedAt: Date;
}

export interface DefinitionVersionRow {
  version: number;
  change: DefinitionChange;
  body: ObjectDefinition;
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
  body: ObjectDefinition;
  deleted_at: Date | null;
  updated_at: Date;
}

const toStored = (row: DefinitionRow): StoredObject => ({
  id: row.id,
  name: row.name,
  version: row.version,
  body: row.body,
  // The driver may hand timestamps over as text; Date reads both.
  deletedAt: row.deleted_at === null ? null : new Date(row.deleted_at),
  updatedAt: new Date(row.updated_at),
});

const definitions = (db: Db) => db.withSchema('daicho').selectFrom('definition').select(['id', 'name', 'version', 'body', 'deleted_at', 'updated_at']);

export async function listObjectRows(db: Db, workspaceId: string, options: { includeDeleted?: boolean } = {}): Promise<StoredObject[]> {
  let query = definitions(db).where('workspace_id', '=', workspaceId).where('kind', '=', 'object');
  if (!options.includeDeleted) query = query.where('deleted_at', 'is', null);
  const rows = (await query.orderBy('name').execute()) as DefinitionRow[];
  return rows.map(toStored);
}

/** Finds an object definition; `forUpdate` locks its row until the transaction ends. */
export async function findObjectRow(db: Db, workspaceId: string, name: string, options: { forUpdate?: boolean } = {}): Promise<StoredObject | undefined> {
  let query = definitions(db).where('workspace_id', '=', workspaceId).where('kind', '=', 'object').where('name', '=', name);
  if (options.forUpdate) query = query.forUpdate();
  const row = (await query.executeTakeFirst()) as DefinitionRow | undefined;
  return row && toStored(row);
}

export interface WriteDefinitionOptions {
  workspaceId: string;
  previous: StoredObject | undefined;
  body: ObjectDefinition;
  change: DefinitionChange;
  diff: JsonPatchOperation[];
  actorId: string | undefined;
  deletedAt?: Date | null;
}

/** Writes the new current version and its history row. */
export async function writeObjectRow(db: Db, options: WriteDefinitionOptions): Promise<StoredObject> {
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
      .values({ id, workspace_id: options.workspaceId, kind: 'object', name: options.body.name, version, body: JSON.stringify(options.body), deleted_at: deletedAt })
      .execute();
  }
  await db.withSchema('daicho').insertInto('definition_version')
    .values({ definition_id: id, version, change: options.change, body: JSON.stringify(options.body), diff: JSON.stringify(options.diff), created_by: options.actorId ?? null })
    .execute();
  return { id, name: options.body.name, version, body: options.body, deletedAt, updatedAt: new Date() };
}

export async function listObjectVersions(db: Db, definitionId: string): Promise<DefinitionVersionRow[]> {
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
  await sql`select pg_notify(${METADATA_CHANNEL}, ${`${workspaceId}:${version}`})`.execute(db);
  return version;
}

export async function readMetadataVersions(db: Db): Promise<Map<string, number>> {
  const rows = await db.withSchema('daicho').selectFrom('workspace').select(['id', 'metadata_version']).execute();
  return new Map(rows.map((row) => [row.id as string, Number(row.metadata_version)]));
}
