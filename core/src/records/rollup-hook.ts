import type { MetadataActor, ObjectChangeResult } from '../metadata/index.ts';
import { fullAccess, kyselyOf, type RecordsDeps } from './records-context.ts';
import { refreshAllRollups } from './rollups.ts';

/**
 * The records domain's hook into metadata changes: a roll-up field that is new or changed is
 * computed for every existing record at once.
 */
export function createRollupHook(deps: RecordsDeps) {
  return async (actor: MetadataActor, result: ObjectChangeResult): Promise<void> => {
    const rollups = result.object.body.fields.filter((field) => field.type === 'rollup' && result.changedFields.includes(field.name)).map((field) => field.name);
    if (rollups.length === 0 || result.object.deletedAt) return;
    deps.metadata.invalidate(actor.workspaceId);
    const metadata = await deps.metadata.get(actor.workspaceId);
    await deps.em().transactional(async (trx) =>
      refreshAllRollups(kyselyOf(trx), metadata, { workspaceId: actor.workspaceId, userId: actor.userId ?? '00000000-0000-0000-0000-000000000000', timeZone: 'UTC', access: fullAccess }, result.object.name, rollups),
    );
  };
}
