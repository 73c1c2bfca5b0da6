// The timer poller and the backfill (decision 0013): every node claims due timers in batches
// (`for update skip locked`) and starts their runs, and plans saved definitions over the
// existing records of their objects, a batch at a time.

import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type Kysely } from 'kysely';
import type { Logger } from '../log/index.ts';
import type { MetadataCache } from '../metadata/index.ts';
import { fullAccess, listRecords, type RecordsActor } from '../records/index.ts';
import { isPaused, planTimers, ruleConditionHolds, timerDefinitions, type PlanContext, type TimerKind } from './automation-timers.ts';
import type { RunQueue } from './run-queue.ts';
import { dateRelativeDueTimes } from './timer-planning.ts';
import { conditionsHold } from './trigger-matching.ts';
import { insertTimerRuns, type NewTimerRun } from './workflow-runs.repository.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Timers a poller claims at once, and records a backfill plans at once. */
const CLAIM_BATCH = 500;
const BACKFILL_BATCH = 500;
/** Batches claimed at once on a node while due timers pile up. */
const CLAIMERS = 2;

const dbOf = (trx: EntityManager) => trx.getKysely() as Db;

export interface TimerDeps {
  em: () => EntityManager;
  metadata: MetadataCache;
  logger: Logger;
  queue: RunQueue;
}

/** Reads records of an object by id, as the records API returns them (formulas included). */
async function readRecords(deps: TimerDeps, trx: EntityManager, workspaceId: string, objectName: string, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
  const actor: RecordsActor = { workspaceId, userId: '', timeZone: 'UTC', access: fullAccess };
  const found = new Map<string, Record<string, unknown>>();
  for (let at = 0; at < ids.length; at += CLAIM_BATCH) {
    const page = await listRecords({ em: () => trx, metadata: deps.metadata, logger: deps.logger }, actor, objectName, { filter: { field: 'id', op: 'in', value: ids.slice(at, at + CLAIM_BATCH) }, limit: CLAIM_BATCH });
    for (const record of page.records) found.set(record.id as string, record as Record<string, unknown>);
  }
  return found;
}

interface DueTimer {
  id: string;
  workspace_id: string;
  kind: TimerKind;
  definition_id: string;
  object_name: string;
  record_id: string;
  slot: number;
  due_at: Date;
}

/**
 * The timer machinery of a node: `fireDue` claims due timers (`for update skip locked`, in
 * batches) and starts their runs, `backfill` plans a saved definition over existing records.
 */
export function createTimerService(deps: TimerDeps) {
  async function fireBatch(now: Date): Promise<number> {
    return deps.em().transactional(async (trx) => {
      const db = dbOf(trx);
      const { rows: timers } = await sql<DueTimer>`select id, workspace_id, kind, definition_id, object_name, record_id, slot, due_at from daicho.automation_timer
        where state = 'pending' and due_at <= ${now} order by due_at limit ${CLAIM_BATCH} for update skip locked`.execute(db);
      if (timers.length === 0) return 0;
      const outcomes: Array<{ id: string; state: string; dueAt: Date | null }> = [];
      const runs: NewTimerRun[] = [];
      const groups = new Map<string, DueTimer[]>();
      for (const timer of timers) {
        const key = `${timer.workspace_id}:${timer.object_name}`;
        groups.set(key, [...(groups.get(key) ?? []), timer]);
      }
      for (const group of groups.values()) {
        const { workspace_id: workspaceId, object_name: objectName } = group[0]!;
        const metadata = await deps.metadata.get(workspaceId);
        const definitions = new Map(timerDefinitions(metadata).map((definition) => [definition.stored.id, definition]));
        const records = metadata.objects.has(objectName) ? await readRecords(deps, trx, workspaceId, objectName, [...new Set(group.map((timer) => timer.record_id))]) : new Map();
        for (const timer of group) {
          const definition = definitions.get(timer.definition_id);
          const record = records.get(timer.record_id);
          const dueAt = new Date(timer.due_at);
          let holds = false;
          if (definition && record) {
            holds = definition.kind === 'dateRelative'
              ? conditionsHold(definition.stored.body, metadata, { record, previous: null, triggeredBy: null, now })
              : ruleConditionHolds(definition.stored.body, metadata, record, now) && !isPaused(definition.stored.body, record);
          }
          if (!definition || !record || !holds) {
            outcomes.push({ id: timer.id, state: 'cancelled', dueAt });
            continue;
          }
          runs.push({
            workspaceId, definition: definition.stored, trigger: definition.kind === 'dateRelative' ? 'dateRelative' : 'escalation', objectName, recordId: timer.record_id,
            timer: { id: timer.id, dueAt }, escalationStep: definition.kind === 'escalationStep' ? timer.slot : null,
            input: { record, previous: null, dueAt: dueAt.toISOString(), slot: timer.slot },
          });
          // A yearly trigger's offset is due again around the next anniversary.
          const next = definition.kind === 'dateRelative' && definition.trigger.recurrence === 'yearly'
            ? dateRelativeDueTimes(definition.trigger, record[definition.trigger.field], dueAt, definition.calendar)[timer.slot]?.dueAt ?? null
            : null;
          outcomes.push(next ? { id: timer.id, state: 'pending', dueAt: next } : { id: timer.id, state: 'fired', dueAt });
        }
      }
      const runIds = await insertTimerRuns(db, deps.queue, runs);
      // fired_at: the clock at the end of the batch, not the transaction's start, so lag figures are honest.
      await sql`update daicho.automation_timer t set state = o.state, run_id = coalesce(o.run_id, t.run_id), due_at = o.due_at, updated_at = now(),
          fired_at = case when o.run_id is not null then clock_timestamp() else t.fired_at end
        from unnest(${outcomes.map((o) => o.id)}::uuid[], ${outcomes.map((o) => o.state)}::varchar[], ${outcomes.map((o) => runIds.get(o.id) ?? null)}::uuid[], ${outcomes.map((o) => o.dueAt?.toISOString() ?? null)}::timestamptz[]) as o(id, state, run_id, due_at)
        where t.id = o.id`.execute(db);
      return timers.length;
    });
  }

  /** One batch of the oldest pending backfill; returns whether there may be more. */
  async function backfillBatch(now: Date): Promise<boolean> {
    return deps.em().transactional(async (trx) => {
      const db = dbOf(trx);
      const { rows: [job] } = await sql<{ definition_id: string; workspace_id: string; definition_version: number; after_id: string | null }>`select definition_id, workspace_id, definition_version, after_id
        from daicho.automation_backfill order by created_at limit 1 for update skip locked`.execute(db);
      if (!job) return false;
      const metadata = await deps.metadata.get(job.workspace_id);
      const definition = timerDefinitions(metadata).find((candidate) => candidate.stored.id === job.definition_id);
      if (!definition || definition.stored.version < job.definition_version) {
        // Not enabled any more, or this node's metadata is behind: a later round sees it.
        if (!definition && [...metadata.workflows.values(), ...metadata.escalationRules.values()].every((stored) => stored.id !== job.definition_id || stored.version >= job.definition_version)) {
          await sql`delete from daicho.automation_backfill where definition_id = ${job.definition_id}`.execute(db);
        }
        return false;
      }
      const object = metadata.objects.get(definition.object)?.body;
      if (!object?.table) {
        await sql`delete from daicho.automation_backfill where definition_id = ${job.definition_id}`.execute(db);
        return false;
      }
      const { rows: ids } = await sql<{ id: string }>`select id from ${sql.table(`${metadata.schema}.${object.table}`)}
        where deleted_at is null ${job.after_id ? sql`and id > ${job.after_id}` : sql``} order by id limit ${BACKFILL_BATCH}`.execute(db);
      const records = await readRecords(deps, trx, job.workspace_id, definition.object, ids.map((row) => row.id));
      const context: PlanContext = { trx, metadata, metadataCache: deps.metadata, logger: deps.logger, now };
      await planTimers(context, definition, ids.map((row) => ({ recordId: row.id, record: records.get(row.id) ?? null, at: now, backfill: true })));
      if (ids.length < BACKFILL_BATCH) await sql`delete from daicho.automation_backfill where definition_id = ${job.definition_id}`.execute(db);
      else await sql`update daicho.automation_backfill set after_id = ${ids.at(-1)!.id} where definition_id = ${job.definition_id}`.execute(db);
      return ids.length === BACKFILL_BATCH;
    });
  }

  return {
    /** Starts the runs of every timer due by `now`; returns how many timers it claimed. */
    async fireDue(now = new Date()): Promise<number> {
      // Two claimers while a backlog lasts: one batch's statements overlap the other's in PostgreSQL.
      const claimer = async (): Promise<number> => {
        let total = 0;
        for (;;) {
          const claimed = await fireBatch(now);
          total += claimed;
          if (claimed < CLAIM_BATCH) return total;
        }
      };
      const first = await fireBatch(now);
      if (first < CLAIM_BATCH) return first;
      const counts = await Promise.all(Array.from({ length: CLAIMERS }, claimer));
      return counts.reduce((sum, count) => sum + count, first);
    },
    /** Plans saved definitions over existing records, a batch at a time, for at most `budgetMs`. */
    async backfill(now = new Date(), budgetMs = 2000): Promise<void> {
      const until = Date.now() + budgetMs;
      while (Date.now() < until && (await backfillBatch(now)));
    },
  };
}
