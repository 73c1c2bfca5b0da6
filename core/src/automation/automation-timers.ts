// Durable automation timers (decision 0013): the due times of date-relative workflow triggers and
// of escalation steps, one row per definition, record and offset or step. Planned here from the
// change feed in the transaction that advances its cursor, and over existing records in batches
// when a definition is saved or enabled; claimed when due by the poller (timer-poller.ts), which
// starts ordinary workflow runs (one per timer and due time).

import type { DateRelativeTrigger, EscalationRuleDefinition, WorkflowDefinition } from '@daicho/sdk';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type Kysely } from 'kysely';
import type { FieldChanges } from '../audit/index.ts';
import { compiledCalendarOf, type CompiledCalendar } from '../calendars/index.ts';
import { generateUuidV7 } from '../db/index.ts';
import type { Logger } from '../log/index.ts';
import type { MetadataCache, StoredDefinition, WorkspaceMetadata } from '../metadata/index.ts';
import { createQueryContext, evaluateFilter, validateFilter, type ValidFilter } from '../query/index.ts';
import { fullAccess, updateRecord, type RecordsActor } from '../records/index.ts';
import { conditionsHold } from './trigger-matching.ts';
import { clockStartOf, dateRelativeDueTimes, escalationDueTimes, nextClock, type EscalationClock, type PlannedSlot } from './timer-planning.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The request id of the platform's writes of an escalation rule's due field. */
export const ESCALATION_REQUEST_PREFIX = 'escalation-rule:';

export type TimerKind = 'dateRelative' | 'escalationStep';

/** An enabled definition that plans timers on the records of one object. */
export type TimerDefinition =
  | { kind: 'dateRelative'; object: string; stored: StoredDefinition<WorkflowDefinition>; trigger: DateRelativeTrigger; calendar: CompiledCalendar | undefined }
  | { kind: 'escalationStep'; object: string; stored: StoredDefinition<EscalationRuleDefinition>; calendar: CompiledCalendar };

const definitionsBySnapshot = new WeakMap<WorkspaceMetadata, TimerDefinition[]>();

/** The enabled definitions of a workspace that plan timers (a rule whose calendar is gone plans none). */
export function timerDefinitions(metadata: WorkspaceMetadata): TimerDefinition[] {
  let found = definitionsBySnapshot.get(metadata);
  if (found) return found;
  found = [];
  for (const stored of metadata.workflows.values()) {
    const trigger = stored.body.trigger;
    if (stored.body.enabled === false || trigger.type !== 'dateRelative') continue;
    const calendar = trigger.calendar ? metadata.businessCalendars.get(trigger.calendar) : undefined;
    if (trigger.calendar && !calendar) continue;
    found.push({ kind: 'dateRelative', object: trigger.object, stored, trigger, calendar: calendar && compiledCalendarOf(calendar.body) });
  }
  for (const stored of metadata.escalationRules.values()) {
    const calendar = metadata.businessCalendars.get(stored.body.calendar);
    if (stored.body.enabled === false || !calendar) continue;
    found.push({ kind: 'escalationStep', object: stored.body.object, stored, calendar: compiledCalendarOf(calendar.body) });
  }
  definitionsBySnapshot.set(metadata, found);
  return found;
}

const validated = new WeakMap<object, ValidFilter>();

/** Whether a record is in an escalation rule's entry condition. */
export function ruleConditionHolds(rule: EscalationRuleDefinition, metadata: WorkspaceMetadata, record: Record<string, unknown>, now?: Date): boolean {
  if (!rule.condition) return true;
  try {
    let valid = validated.get(rule.condition);
    if (!valid) {
      valid = validateFilter(rule.condition, rule.object, metadata.catalog);
      validated.set(rule.condition, valid);
    }
    return evaluateFilter(valid, record, createQueryContext(now ? { now } : {}));
  } catch {
    return false;
  }
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Whether a record's pause field holds one of the rule's pause values. */
export function isPaused(rule: EscalationRuleDefinition, record: Record<string, unknown>): boolean {
  return rule.pause !== undefined && rule.pause.values.some((value) => sameValue(value, record[rule.pause!.field]));
}

/** What happened to a record, for planning: its state now (null: gone) and when. */
export interface RecordChange {
  recordId: string;
  record: Record<string, unknown> | null;
  at: Date;
  changes?: FieldChanges | null;
  requestId?: string | null;
  /** Planning over existing records: steps already past do not fire. */
  backfill?: boolean;
}

interface TimerRow {
  definition: TimerDefinition;
  recordId: string;
  slot: number;
  dueAt: Date | null;
  state: 'pending' | 'paused' | 'cancelled';
}

/** What one definition plans for one record: the last change of a batch decides. */
interface RecordPlan {
  rows: TimerRow[];
  keep: number[];
  /** The clock to store (null: delete it); absent: unchanged. */
  clock?: EscalationClock | null;
  /** The due field's value to write; absent: nothing to write. */
  dueWrite?: { value: string | null };
}

/** Plans gathered for a batch of record changes of one definition, written with a few statements in record order. */
class PlanBatch {
  readonly plans = new Map<string, RecordPlan>();
  readonly definition: TimerDefinition;
  constructor(definition: TimerDefinition) {
    this.definition = definition;
  }

  /** Starts a record's plan over (a later change of the same record replaces the earlier one's slots). */
  begin(recordId: string): RecordPlan {
    const previous = this.plans.get(recordId);
    const plan: RecordPlan = { rows: [], keep: [], ...(previous && 'clock' in previous ? { clock: previous.clock } : {}) };
    this.plans.set(recordId, plan);
    return plan;
  }

  sorted(): Array<[string, RecordPlan]> {
    return [...this.plans.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

export interface PlanContext {
  /** The transaction's entity manager (due-field writes go through the records domain). */
  trx: EntityManager;
  metadata: WorkspaceMetadata;
  metadataCache: MetadataCache;
  logger: Logger;
  now: Date;
}

const dbOf = (trx: EntityManager) => trx.getKysely() as Db;

async function loadClocks(db: Db, pairs: Array<{ definitionId: string; recordId: string }>): Promise<Map<string, EscalationClock>> {
  if (pairs.length === 0) return new Map();
  const { rows } = await sql<{ definition_id: string; record_id: string; started_at: Date; elapsed_ms: string; running_since: Date | null }>`select definition_id, record_id, started_at, elapsed_ms, running_since
    from daicho.escalation_clock where (definition_id, record_id) in (select * from unnest(${pairs.map((pair) => pair.definitionId)}::uuid[], ${pairs.map((pair) => pair.recordId)}::uuid[]))`.execute(db);
  return new Map(rows.map((row) => [`${row.definition_id}:${row.record_id}`, {
    startedAt: new Date(row.started_at), elapsedMs: Number(row.elapsed_ms), runningSince: row.running_since === null ? null : new Date(row.running_since),
  }]));
}

/** When a field last changed to its current value, from the audit trail (planning over existing records). */
async function lastChangeOf(db: Db, workspaceId: string, objectName: string, recordId: string, field: string): Promise<Date | undefined> {
  const { rows } = await sql<{ occurred_at: Date }>`select occurred_at from daicho.audit_event
    where workspace_id = ${workspaceId} and object_name = ${objectName} and record_id = ${recordId} and changes ? ${field}
    order by chain_position desc limit 1`.execute(db);
  return rows[0] ? new Date(rows[0].occurred_at) : undefined;
}

function stateOf(kind: TimerKind, dueAt: Date | null, now: Date, backfill: boolean): TimerRow['state'] {
  if (dueAt === null) return 'paused';
  if (dueAt.getTime() > now.getTime()) return 'pending';
  // A late escalation step fires at once; a date offset already past does not fire, nor does a
  // step already past when a rule is saved over existing records.
  return kind === 'escalationStep' && !backfill ? 'pending' : 'cancelled';
}

function addSlots(plan: RecordPlan, definition: TimerDefinition, change: RecordChange, slots: PlannedSlot[], now: Date): void {
  for (const planned of slots) {
    if (planned.keep) {
      plan.keep.push(planned.slot);
      continue;
    }
    if (definition.kind === 'dateRelative' && planned.dueAt === null) continue;
    plan.rows.push({ definition, recordId: change.recordId, slot: planned.slot, dueAt: planned.dueAt, state: stateOf(definition.kind, planned.dueAt, now, change.backfill ?? false) });
  }
}

/** Plans (or cancels) one definition's timers for a batch of record changes, in the caller's transaction. */
export async function planTimers(context: PlanContext, definition: TimerDefinition, changes: RecordChange[]): Promise<void> {
  const db = dbOf(context.trx);
  const batch = new PlanBatch(definition);
  const { metadata, now } = context;
  if (definition.kind === 'dateRelative') {
    const workflow = definition.stored.body;
    for (const change of changes) {
      const plan = batch.begin(change.recordId);
      if (!change.record || !conditionsHold(workflow, metadata, { record: change.record, previous: null, triggeredBy: null, now })) continue;
      addSlots(plan, definition, change, dateRelativeDueTimes(definition.trigger, change.record[definition.trigger.field], now, definition.calendar), now);
    }
  } else {
    const rule = definition.stored.body;
    const clocks = await loadClocks(db, changes.map((change) => ({ definitionId: definition.stored.id, recordId: change.recordId })));
    for (const change of changes) {
      // The platform's own write of the due field changes nothing the clock depends on.
      if (change.requestId === `${ESCALATION_REQUEST_PREFIX}${rule.name}` && Object.keys(change.changes ?? {}).every((field) => field === rule.dueField)) {
        continue;
      }
      const plan = batch.begin(change.recordId);
      const record = change.record;
      const clockKey = `${definition.stored.id}:${change.recordId}`;
      const previous = clocks.get(clockKey);
      if (!record || !ruleConditionHolds(rule, metadata, record, now)) {
        if (previous) {
          plan.clock = null;
          clocks.delete(clockKey);
        }
        if (record && rule.dueField && record[rule.dueField] != null) plan.dueWrite = { value: null };
        continue;
      }
      let startedAt: Date | undefined;
      if ('field' in rule.from) startedAt = clockStartOf(record[rule.from.field], definition.calendar.timeZone);
      else if (change.changes?.[rule.from.statusEntered]) startedAt = change.at;
      else startedAt = previous?.startedAt
        ?? await lastChangeOf(db, metadata.workspaceId, rule.object, change.recordId, rule.from.statusEntered)
        ?? clockStartOf(record.createdAt, definition.calendar.timeZone);
      if (!startedAt) continue;
      const clock = nextClock(definition.calendar, previous, { startedAt, paused: isPaused(rule, record), at: change.at });
      if (clock !== previous) {
        plan.clock = clock;
        clocks.set(clockKey, clock);
      }
      const slots = escalationDueTimes(definition.calendar, rule, clock);
      addSlots(plan, definition, change, slots, now);
      const last = slots.at(-1)!;
      if (rule.dueField && !last.keep) {
        const value = last.dueAt?.toISOString() ?? null;
        const current = record[rule.dueField];
        if ((current == null ? null : new Date(current as string).getTime()) !== (value === null ? null : Date.parse(value))) plan.dueWrite = { value };
      }
    }
  }
  await writePlans(context, batch);
}

async function writePlans(context: PlanContext, batch: PlanBatch): Promise<void> {
  const db = dbOf(context.trx);
  const definitionId = batch.definition.stored.id;
  const plans = batch.sorted();
  const rows = plans.flatMap(([, plan]) => plan.rows);
  // An unchanged due time keeps its state: what fired stays fired; and a time already past keeps
  // whatever it was (a step cancelled when its rule was saved does not fire on the next change).
  const keptState = sql`case when t.due_at is not distinct from excluded.due_at and (t.state in ('pending', 'fired') or excluded.due_at <= ${context.now})
    then t.state else excluded.state end`;
  if (rows.length > 0) {
    await sql`insert into daicho.automation_timer as t (id, workspace_id, kind, definition_id, definition_name, definition_version, object_name, record_id, slot, due_at, state)
      select * from unnest(${rows.map(() => generateUuidV7())}::uuid[], ${rows.map(() => context.metadata.workspaceId)}::uuid[], ${rows.map((row) => row.definition.kind)}::varchar[],
        ${rows.map((row) => row.definition.stored.id)}::uuid[], ${rows.map((row) => row.definition.stored.name)}::varchar[], ${rows.map((row) => row.definition.stored.version)}::int[],
        ${rows.map((row) => row.definition.object)}::varchar[], ${rows.map((row) => row.recordId)}::uuid[], ${rows.map((row) => row.slot)}::int[],
        ${rows.map((row) => row.dueAt?.toISOString() ?? null)}::timestamptz[], ${rows.map((row) => row.state)}::varchar[])
      on conflict (definition_id, record_id, slot) do update set
        due_at = excluded.due_at, definition_version = excluded.definition_version, updated_at = now(),
        state = ${keptState}
      where t.due_at is distinct from excluded.due_at or t.definition_version <> excluded.definition_version or t.state <> ${keptState}`.execute(db);
  }
  if (plans.length > 0) {
    const planned = plans.flatMap(([recordId, plan]) => [...plan.rows.map((row) => row.slot), ...plan.keep].map((slot) => ({ recordId, slot })));
    await sql`update daicho.automation_timer set state = 'cancelled', updated_at = now()
      where definition_id = ${definitionId} and state in ('pending', 'paused') and record_id = any(${plans.map(([recordId]) => recordId)}::uuid[])
        and (record_id, slot) not in (select * from unnest(${planned.map((row) => row.recordId)}::uuid[], ${planned.map((row) => row.slot)}::int[]))`.execute(db);
  }
  const stopped = plans.filter(([, plan]) => plan.clock === null).map(([recordId]) => recordId);
  if (stopped.length > 0) {
    await sql`delete from daicho.escalation_clock where definition_id = ${definitionId} and record_id = any(${stopped}::uuid[])`.execute(db);
  }
  const running = plans.flatMap(([recordId, plan]) => (plan.clock ? [{ recordId, clock: plan.clock }] : []));
  if (running.length > 0) {
    await sql`insert into daicho.escalation_clock (definition_id, record_id, workspace_id, started_at, elapsed_ms, running_since)
      select ${definitionId}::uuid, r.record_id, ${context.metadata.workspaceId}::uuid, r.started_at, r.elapsed_ms, r.running_since
      from unnest(${running.map((entry) => entry.recordId)}::uuid[], ${running.map((entry) => entry.clock.startedAt.toISOString())}::timestamptz[],
        ${running.map((entry) => entry.clock.elapsedMs)}::bigint[], ${running.map((entry) => entry.clock.runningSince?.toISOString() ?? null)}::timestamptz[]) as r(record_id, started_at, elapsed_ms, running_since)
      on conflict (definition_id, record_id) do update set started_at = excluded.started_at, elapsed_ms = excluded.elapsed_ms, running_since = excluded.running_since, updated_at = now()`.execute(db);
  }
  for (const [recordId, plan] of plans) if (plan.dueWrite) await writeDueField(context, batch.definition, recordId, plan.dueWrite.value);
}

/**
 * Sets an escalation rule's due field on a record as a system change: audited as the user who
 * saved the rule's version, with the request id `escalation-rule:<name>`, by which the change feed
 * knows not to plan the rule again for it.
 */
async function writeDueField(context: PlanContext, definition: TimerDefinition, recordId: string, value: string | null): Promise<void> {
  const rule = definition.stored.body as EscalationRuleDefinition;
  const db = dbOf(context.trx);
  const { rows: [author] } = await sql<{ created_by: string | null }>`select created_by from daicho.definition_version where definition_id = ${definition.stored.id} and version = ${definition.stored.version}`.execute(db);
  if (!author?.created_by) return;
  const actor: RecordsActor = { workspaceId: context.metadata.workspaceId, userId: author.created_by, timeZone: 'UTC', access: fullAccess, requestId: `${ESCALATION_REQUEST_PREFIX}${rule.name}` };
  try {
    await updateRecord({ em: () => context.trx, metadata: context.metadataCache, logger: context.logger }, actor, rule.object, recordId, { [rule.dueField!]: value }, { ifMatch: '*' });
  } catch (error) {
    context.logger.warn({ err: error, rule: rule.name, recordId }, 'the due field of an escalation rule could not be set');
  }
}

/** Cancels every pending timer of a definition (disabled, deleted, or no longer date-relative), in the caller's transaction. */
export async function cancelDefinitionTimers(db: Db, definitionId: string): Promise<void> {
  await sql`update daicho.automation_timer set state = 'cancelled', updated_at = now() where definition_id = ${definitionId} and state in ('pending', 'paused')`.execute(db);
  await sql`delete from daicho.escalation_clock where definition_id = ${definitionId}`.execute(db);
  await sql`delete from daicho.automation_backfill where definition_id = ${definitionId}`.execute(db);
}

/**
 * After a definition is saved (in its transaction): an enabled one that plans timers gets a
 * backfill over the existing records of its object; anything else has its timers cancelled.
 */
export async function scheduleTimerBackfill(db: Db, workspaceId: string, kind: TimerKind, stored: StoredDefinition<{ enabled?: boolean }>, plansTimers: boolean): Promise<void> {
  if (!plansTimers || stored.body.enabled === false || stored.deletedAt) {
    await cancelDefinitionTimers(db, stored.id);
    return;
  }
  await sql`insert into daicho.automation_backfill (definition_id, workspace_id, kind, definition_version, after_id) values (${stored.id}, ${workspaceId}, ${kind}, ${stored.version}, null)
    on conflict (definition_id) do update set definition_version = excluded.definition_version, after_id = null, created_at = now()`.execute(db);
}

/** Plans the timers that a batch of change-feed events concerns (in chain order), in the dispatcher's transaction. */
export async function planTimersForChanges(context: PlanContext, changesByObject: ReadonlyMap<string, RecordChange[]>): Promise<void> {
  for (const definition of timerDefinitions(context.metadata)) {
    const changes = changesByObject.get(definition.object);
    if (changes && changes.length > 0) await planTimers(context, definition, changes);
  }
}
