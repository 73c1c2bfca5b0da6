import { errors } from '../errors/index.ts';
import {
  bumpMetadataVersion, findDefinitionRow, writeDefinitionRow,
  type DefinitionBodies, type DefinitionChange, type DefinitionKind, type StoredDefinition,
} from './definitions.repository.ts';
import { diffJson, type JsonPatchOperation } from './json-patch.ts';

type Db = Parameters<typeof findDefinitionRow>[0];

/** Who changes a definition, in which workspace. */
interface DefinitionWriter {
  workspaceId: string;
  userId?: string | undefined;
}

export interface DefinitionVersionWrite<K extends DefinitionKind> {
  row: StoredDefinition<DefinitionBodies[K]>;
  change: DefinitionChange;
  diff: JsonPatchOperation[];
}

/**
 * Saves a definition (PUT semantics) in the caller's transaction: locks the current version,
 * refuses a stale `expectedVersion` (409 with the current definition), writes the new version with
 * its diff and counts one more metadata version, which every node hears of at commit.
 * `what` names the kind in messages ("Workflow").
 */
export async function saveDefinitionVersion<K extends DefinitionKind>(db: Db, kind: K, what: string, writer: DefinitionWriter, body: DefinitionBodies[K], options: { expectedVersion?: number | undefined } = {}): Promise<DefinitionVersionWrite<K>> {
  const previous = await findDefinitionRow(db, writer.workspaceId, kind, body.name, { forUpdate: true });
  if (options.expectedVersion !== undefined && (previous?.version ?? 0) !== options.expectedVersion) {
    throw errors.versionConflict(`${what} "${body.name}" is at version ${previous?.version ?? 0}, not ${options.expectedVersion}`, {
      current: previous && !previous.deletedAt ? { definition: previous.body, version: previous.version } : null,
    });
  }
  const change: DefinitionChange = !previous ? 'created' : previous.deletedAt ? 'restored' : 'updated';
  const diff = diffJson(previous?.deletedAt ? {} : (previous?.body ?? {}), body);
  const row = await writeDefinitionRow(db, kind, { workspaceId: writer.workspaceId, previous, body, change, diff, actorId: writer.userId, deletedAt: null });
  await bumpMetadataVersion(db, writer.workspaceId);
  return { row, change, diff };
}

/**
 * Deletes a definition in the caller's transaction (its history stays; saving it again restores
 * it): 404 when there is none, `beforeDelete` to refuse while something still uses it.
 */
export async function deleteDefinitionVersion<K extends DefinitionKind>(db: Db, kind: K, what: string, writer: DefinitionWriter, name: string, beforeDelete?: (previous: StoredDefinition<DefinitionBodies[K]>) => Promise<void>): Promise<StoredDefinition<DefinitionBodies[K]>> {
  const previous = await findDefinitionRow(db, writer.workspaceId, kind, name, { forUpdate: true });
  if (!previous || previous.deletedAt) throw errors.notFound(what, name);
  await beforeDelete?.(previous);
  const row = await writeDefinitionRow(db, kind, { workspaceId: writer.workspaceId, previous, body: previous.body, change: 'deleted', diff: [], actorId: writer.userId, deletedAt: new Date() });
  await bumpMetadataVersion(db, writer.workspaceId);
  return row;
}
