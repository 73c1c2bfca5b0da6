import type { WorkflowDefinition } from '@daicho/sdk';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type Kysely } from 'kysely';
import type { FieldChanges } from '../audit/index.ts';
import type { Logger } from '../log/index.ts';
import type { MetadataCache, StoredDefinition } from '../metadata/index.ts';
import { fullAccess, getRecord, type ApiRecord } from '../records/index.ts';
import { planTimersForChanges, timerDefinitions, type RecordChange } from './automation-timers.ts';
import { RUN_REQUEST_PREFIX } from './run-executor.ts';
import type { RunQueue } from './run-queue.ts';
import { conditionsHold, isChangeTrigger, recordStates, triggerMatches } from './trigger-matching.ts';
import { insertRun } from './workflow-runs.repository.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BATCH = 500;

interface FeedEvent {
  id: string;
  chain_position: string;
  occurred_at: Date | string;
  kind: string;
  actor_id: string | null;
  request_id: string | null;
  object_name: string | null;
  record_id: string | null;
  changes: FieldChanges | null;
}

export interface DispatcherDeps {
  em: () => EntityManager;
  metadata: MetadataCache;
  logger: Logger;
  queue: RunQueue;
  maxDepth: number;
}

/**
 * Starts the cursor of a workspace at the head of its sealed chain (in the caller's
 * transaction), so that a first workflow fires on changes from now on, not on history.
 */
export async function ensureFeedCursor(db: Db, workspaceId: string): Promise<void> {
  await sql`insert into daicho.automation_cursor (workspace_id, position)
    values (${workspaceId}, coalesce((select position from daicho.audit_chain where workspace_id = ${workspaceId}), 0))
    on conflict do nothing`.execute(db);
}

/**
 * Reads each workspace's sealed audit events past its cursor, in chain order, and starts a run
 * for every enabled workflow whose trigger and conditions match (decision 0009). One dispatcher
 * per workspace at a time: the cursor row is locked, and a busy workspace is skipped.
 */
export function createChangeFeedDispatcher(deps: DispatcherDeps) {
  async function loadRecord(objectName: string, recordId: string, workspaceId: string, deleted: boolean): Promise<ApiRecord | undefined> {
    const actor = { workspaceId, userId: '', timeZone: 'UTC', access: fullAccess };
    try {
      return await getRecord({ em: deps.em, metadata: deps.metadata, logger: deps.logger }, actor, objectName, recordId, deleted ? { deleted: true } : {});
    } catch {
      return undefined;
    }
  }

  async function parentDepths(db: Db, events: FeedEvent[]): Promise<Map<string, number>> {
    const ids = [...new Set(events.map((event) => event.request_id).filter((id): id is string => id?.startsWith(RUN_REQUEST_PREFIX) ?? false).map((id) => id.slice(RUN_REQUEST_PREFIX.length)))];
    if (ids.length === 0) return new Map();
    const rows = await db.withSchema('daicho').selectFrom('workflow_run').select(['id', 'depth']).where('id', 'in', ids).execute();
    return new Map(rows.map((row) => [row.id as string, Number(row.depth)]));
  }

  /** One batch of one workspace; returns how many events it read (BATCH: there may be more). */
  async function dispatchBatch(workspaceId: string): Promise<number> {
    const metadata = await deps.metadata.get(workspaceId);
    const workflows = [...metadata.workflows.values()].filter((workflow) => workflow.body.enabled !== false && isChangeTrigger(workflow.body.trigger));
    // Date-relative triggers and escalation rules plan their timers from the same events.
    const timerObjects = new Set(timerDefinitions(metadata).map((definition) => definition.object));
    return deps.em().transactional(async (trx) => {
      const db = trx.getKysely() as Db;
      const { rows: [cursor] } = await sql<{ position: string }>`select position from daicho.automation_cursor where workspace_id = ${workspaceId} for update skip locked`.execute(db);
      if (!cursor) return 0;
      if (workflows.length === 0 && timerObjects.size === 0) {
        // Nothing listens: move to the head without reading events.
        await sql`update daicho.automation_cursor set position = greatest(position, coalesce((select position from daicho.audit_chain where workspace_id = ${workspaceId}), 0)), updated_at = now()
          where workspace_id = ${workspaceId}`.execute(db);
        return 0;
      }
      const { rows: events } = await sql<FeedEvent>`select id, chain_position, occurred_at, kind, actor_id, request_id, object_name, record_id, changes from daicho.audit_event
        where workspace_id = ${workspaceId} and chain_position > ${cursor.position} order by chain_position limit ${BATCH}`.execute(db);
      if (events.length === 0) return 0;
      const depths = await parentDepths(db, events);
      const timerChanges = new Map<string, RecordChange[]>();
      for (const event of events) {
        if (!event.object_name || !event.record_id || event.kind === 'record.purge') continue;
        // Events of a cascade carry no changes of their own; they still fire created/deleted triggers.
        // A change made before a workflow existed is history, even when it is sealed after the save.
        const occurredAt = new Date(event.occurred_at).getTime();
        const matching = workflows.filter((workflow) => workflow.createdAt.getTime() <= occurredAt && triggerMatches(workflow.body.trigger, event.kind, event.object_name, event.changes));
        const plansTimers = timerObjects.has(event.object_name);
        if (matching.length === 0 && !plansTimers) continue;
        const current = await loadRecord(event.object_name, event.record_id, workspaceId, event.kind === 'record.delete');
        const states = recordStates((current as Record<string, unknown> | undefined) ?? { id: event.record_id }, event.changes);
        if (plansTimers) {
          const gone = event.kind === 'record.delete' || current === undefined;
          const changes = timerChanges.get(event.object_name) ?? [];
          changes.push({ recordId: event.record_id, record: gone ? null : states.record, at: new Date(occurredAt), changes: event.changes, requestId: event.request_id });
          timerChanges.set(event.object_name, changes);
        }
        const parentRunId = event.request_id?.startsWith(RUN_REQUEST_PREFIX) ? event.request_id.slice(RUN_REQUEST_PREFIX.length) : null;
        const depth = parentRunId ? (depths.get(parentRunId) ?? 0) + 1 : 0;
        for (const workflow of matching) {
          await startRun(db, workspaceId, workflow, event, states, parentRunId, depth, metadata);
        }
      }
      // Timers are planned once per batch, record by record in chain order (decision 0013).
      await planTimersForChanges({ trx, metadata, metadataCache: deps.metadata, logger: deps.logger, now: new Date() }, timerChanges);
      await sql`update daicho.automation_cursor set position = ${events.at(-1)!.chain_position}, updated_at = now() where workspace_id = ${workspaceId}`.execute(db);
      return events.length;
    });
  }

  async function startRun(db: Db, workspaceId: string, workflow: StoredDefinition<WorkflowDefinition>, event: FeedEvent, states: { record: Record<string, unknown>; previous: Record<string, unknown> }, parentRunId: string | null, depth: number, metadata: Awaited<ReturnType<MetadataCache['get']>>): Promise<void> {
    const isCreate = event.kind === 'record.create';
    const input = { record: states.record, previous: isCreate ? null : states.previous, changes: event.changes };
    if (!conditionsHold(workflow.body, metadata, { record: states.record, previous: input.previous, triggeredBy: event.actor_id })) return;
    const skipped = depth > deps.maxDepth
      ? { code: 'loop', message: `runs caused by runs ${depth} deep; the limit is ${deps.maxDepth} (DAICHO_WORKFLOW_MAX_DEPTH)` }
      : undefined;
    await insertRun(db, deps.queue, {
      workspaceId, workflow, trigger: workflow.body.trigger.type, objectName: event.object_name, recordId: event.record_id, auditEventId: event.id,
      triggeredBy: event.actor_id, parentRunId, depth, input, ...(skipped ? { skipped } : {}),
    });
    if (skipped) deps.logger.warn({ workspaceId, workflow: workflow.name, parentRunId, depth }, 'workflow run skipped by the loop guard');
  }

  return {
    /** Dispatches what is pending in every workspace that has a cursor (what the timer runs). */
    async dispatchPending(): Promise<void> {
      const { rows } = await sql<{ workspace_id: string }>`select workspace_id from daicho.automation_cursor`.execute(deps.em().getKysely() as Db);
      for (const row of rows) {
        while ((await dispatchBatch(row.workspace_id)) === BATCH);
      }
    },
  };
}
