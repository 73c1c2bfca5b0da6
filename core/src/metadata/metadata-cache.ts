import type { Kysely } from 'kysely';
import type { NotificationListener } from '../db/index.ts';
import type { Logger } from '../log/index.ts';
import type { QueryCatalog, QueryObject } from '../query/index.ts';
import { workspaceSchemaName } from '../storage/index.ts';
import type { BusinessCalendarDefinition, EscalationRuleDefinition, PermissionSetDefinition, RoleDefinition, SharingRuleDefinition, WorkflowDefinition } from '@daicho/sdk';
import { listAllDefinitionRows, METADATA_CHANNEL, readMetadataVersions, type StoredDefinition, type StoredObject } from './definitions.repository.ts';
import { createQueryCatalog, objectToQuery } from './query-catalog.ts';

/** Everything a node knows about one workspace's definitions, at one metadata version. */
export interface WorkspaceMetadata {
  workspaceId: string;
  /** PostgreSQL schema of the workspace's record tables. */
  schema: string;
  /** The workspace's metadata version this snapshot reflects. */
  version: number;
  objects: ReadonlyMap<string, StoredObject>;
  /** Access definitions by name (the access domain combines them per user). */
  permissionSets: ReadonlyMap<string, StoredDefinition<PermissionSetDefinition>>;
  roles: ReadonlyMap<string, StoredDefinition<RoleDefinition>>;
  sharingRules: ReadonlyMap<string, StoredDefinition<SharingRuleDefinition>>;
  /** Business-hours calendars by name (compile one with the calendars domain's compileCalendar). */
  businessCalendars: ReadonlyMap<string, StoredDefinition<BusinessCalendarDefinition>>;
  /** Workflows by name, enabled or not (the automation domain matches them against changes). */
  workflows: ReadonlyMap<string, StoredDefinition<WorkflowDefinition>>;
  /** Escalation rules by name, enabled or not (the automation domain plans their timers). */
  escalationRules: ReadonlyMap<string, StoredDefinition<EscalationRuleDefinition>>;
  queryObjects: ReadonlyMap<string, QueryObject>;
  catalog: QueryCatalog;
}

export interface MetadataCache {
  /** The current snapshot, loaded on first use and after every change. */
  get(workspaceId: string): Promise<WorkspaceMetadata>;
  invalidate(workspaceId: string): void;
  /** Hears other nodes' changes (LISTEN/NOTIFY), with a periodic version check as fallback. Call before the listener starts. */
  listenTo(listener: NotificationListener): void;
  stop(): void;
}

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Builds a snapshot from the stored definitions. */
export async function loadWorkspaceMetadata(db: Db, workspaceId: string): Promise<WorkspaceMetadata> {
  const versions = await db.withSchema('daicho').selectFrom('workspace').select('metadata_version').where('id', '=', workspaceId).executeTakeFirst();
  const all = await listAllDefinitionRows(db, workspaceId);
  const rows = all.object;
  const schema = workspaceSchemaName(workspaceId);
  const objects = new Map(rows.map((row) => [row.name, row]));
  const queryObjects = new Map(rows.map((row) => [row.name, objectToQuery(row.body, schema)]));
  return {
    workspaceId,
    schema,
    version: Number(versions?.metadata_version ?? 0),
    objects,
    permissionSets: new Map(all.permissionSet.map((row) => [row.name, row])),
    roles: new Map(all.role.map((row) => [row.name, row])),
    sharingRules: new Map(all.sharingRule.map((row) => [row.name, row])),
    businessCalendars: new Map(all.businessCalendar.map((row) => [row.name, row])),
    workflows: new Map(all.workflow.map((row) => [row.name, row])),
    escalationRules: new Map(all.escalationRule.map((row) => [row.name, row])),
    queryObjects,
    catalog: createQueryCatalog(queryObjects.values(), workspaceId),
  };
}

export function createMetadataCache(options: { db: () => Db; logger: Logger; pollIntervalMs?: number }): MetadataCache {
  const entries = new Map<string, Promise<WorkspaceMetadata>>();
  let poll: NodeJS.Timeout | undefined;

  const invalidate = (workspaceId: string) => entries.delete(workspaceId);

  const onVersion = async (workspaceId: string, version: number) => {
    const cached = entries.get(workspaceId);
    if (!cached) return;
    const snapshot = await cached.catch(() => undefined);
    if (!snapshot || snapshot.version < version) invalidate(workspaceId);
  };

  return {
    get(workspaceId) {
      let entry = entries.get(workspaceId);
      if (!entry) {
        entry = loadWorkspaceMetadata(options.db(), workspaceId);
        entries.set(workspaceId, entry);
        entry.catch(() => entries.delete(workspaceId));
      }
      return entry;
    },
    invalidate,
    listenTo(listener) {
      listener.subscribe(METADATA_CHANNEL, (payload) => {
        const [workspaceId, version] = payload.split(':');
        if (workspaceId && version) void onVersion(workspaceId, Number(version));
      });
      // Changes missed while the listener was disconnected are caught by the version check.
      poll = setInterval(() => {
        readMetadataVersions(options.db()).then(
          (versions) => {
            for (const [workspaceId, version] of versions) void onVersion(workspaceId, version);
          },
          (error: unknown) => options.logger.warn({ err: error }, 'metadata version check failed'),
        );
      }, options.pollIntervalMs ?? 5000);
      poll.unref();
    },
    stop() {
      if (poll) clearInterval(poll);
    },
  };
}
