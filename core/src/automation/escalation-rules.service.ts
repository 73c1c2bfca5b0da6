import type { EscalationRuleDefinition, WorkflowAction } from '@daicho/sdk';
import { sql, type Kysely } from 'kysely';
import { appendAuditEvent } from '../audit/index.ts';
import { compiledCalendarOf } from '../calendars/index.ts';
import { DaichoError, errors, type InputProblem } from '../errors/index.ts';
import { deleteDefinitionVersion, findDefinitionRow, saveDefinitionVersion, validateDefinitionDocument, type WorkspaceMetadata } from '../metadata/index.ts';
import { validateFilter } from '../query/index.ts';
import { getRecord, type RecordsActor } from '../records/index.ts';
import type { ActionRegistry } from './action-registry.ts';
import { isPaused, ruleConditionHolds, scheduleTimerBackfill } from './automation-timers.ts';
import { ensureFeedCursor } from './change-feed-dispatcher.ts';
import { clockStartOf, escalationDueTimes, nextClock, stepAgeMs } from './timer-planning.ts';
import type { WorkflowActor, WorkflowDeps } from './workflow-definitions.service.ts';
import type { RunsDeps } from './workflow-runs.service.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A saved escalation rule. */
export interface SavedEscalationRule {
  definition: EscalationRuleDefinition;
  version: number;
}

const systemDates = new Set(['createdAt', 'updatedAt']);

function filterProblems(rule: EscalationRuleDefinition, metadata: WorkspaceMetadata): InputProblem[] {
  if (!rule.condition) return [];
  try {
    validateFilter(rule.condition, rule.object, metadata.catalog);
    return [];
  } catch (error) {
    if (!(error instanceof DaichoError)) throw error;
    const inner = (error.details as { problems?: InputProblem[] } | undefined)?.problems ?? [{ path: '', code: 'filter', message: error.message }];
    return inner.map((problem) => ({ ...problem, path: `/condition${problem.path}` }));
  }
}

/** Checks what the meta-schema cannot: the object, its fields and their types, the calendar, the filter, the order of steps and their actions. */
export function checkEscalationRule(rule: EscalationRuleDefinition, metadata: WorkspaceMetadata, registry: ActionRegistry): InputProblem[] {
  const object = metadata.objects.get(rule.object)?.body;
  if (!object) return [{ path: '/object', code: 'unknownObject', message: `there is no object "${rule.object}"` }];
  const problems: InputProblem[] = [];
  const fieldOf = (name: string) => object.fields.find((field) => field.name === name);
  if (!metadata.businessCalendars.has(rule.calendar)) problems.push({ path: '/calendar', code: 'unknownCalendar', message: `there is no business calendar "${rule.calendar}"` });
  if ('field' in rule.from) {
    const field = fieldOf(rule.from.field);
    const ok = systemDates.has(rule.from.field) || field?.type === 'date' || field?.type === 'datetime' || (field?.type === 'formula' && ['date', 'datetime'].includes(field.returnType));
    if (!ok) problems.push({ path: '/from/field', code: field ? 'fieldType' : 'unknownField', message: field ? `${rule.object}.${rule.from.field} is not a date or datetime field` : `${rule.object} has no field "${rule.from.field}"` });
  } else if (!fieldOf(rule.from.statusEntered)) {
    problems.push({ path: '/from/statusEntered', code: 'unknownField', message: `${rule.object} has no field "${rule.from.statusEntered}"` });
  }
  if (rule.pause && !fieldOf(rule.pause.field)) problems.push({ path: '/pause/field', code: 'unknownField', message: `${rule.object} has no field "${rule.pause.field}"` });
  if (rule.dueField) {
    const field = fieldOf(rule.dueField);
    if (field?.type !== 'datetime') problems.push({ path: '/dueField', code: field ? 'fieldType' : 'unknownField', message: field ? `${rule.object}.${rule.dueField} is not a datetime field` : `${rule.object} has no field "${rule.dueField}"` });
    if ('field' in rule.from && rule.from.field === 'updatedAt') {
      problems.push({ path: '/dueField', code: 'loop', message: 'setting the due field updates the record, which would restart a clock measured from updatedAt' });
    }
  }
  problems.push(...filterProblems(rule, metadata));
  rule.steps.forEach((step, index) => {
    if (index > 0 && stepAgeMs(rule, step) < stepAgeMs(rule, rule.steps[index - 1]!)) {
      problems.push({ path: `/steps/${index}/after`, code: 'order', message: 'steps are in order of their age: this one comes before the step above it' });
    }
    step.actions.forEach((action: WorkflowAction, actionIndex) => {
      const actionType = registry.get(action.type);
      const path = `/steps/${index}/actions/${actionIndex}`;
      if (!actionType) {
        problems.push({ path: `${path}/type`, code: 'unknownAction', message: `no action type "${action.type}" is registered` });
        return;
      }
      for (const problem of actionType.check?.(action, { metadata, objectName: rule.object }) ?? []) problems.push({ ...problem, path: `${path}${problem.path}` });
    });
  });
  return problems;
}

async function auditRuleChange(db: Db, actor: WorkflowActor, details: Record<string, unknown>): Promise<void> {
  await appendAuditEvent(db, { workspaceId: actor.workspaceId, actorId: actor.userId, clientAddress: actor.clientAddress ?? null, requestId: actor.requestId ?? null }, { kind: 'definition.change', details: { definition: 'escalationRule', ...details } });
}

/**
 * Creates or replaces an escalation rule (PUT semantics), stored as a new version. An enabled
 * rule is planned over the existing records of its object in batches; a disabled one has its
 * pending steps cancelled. Step runs in flight finish on the version they started with.
 */
export async function saveEscalationRule(deps: WorkflowDeps, actor: WorkflowActor, input: unknown, options: { expectedVersion?: number } = {}): Promise<SavedEscalationRule> {
  const schemaProblems = validateDefinitionDocument('escalationRule', input);
  if (schemaProblems.length > 0) throw errors.invalidDefinition(schemaProblems);
  const body = input as EscalationRuleDefinition;
  const metadata = await deps.metadata.get(actor.workspaceId);
  const problems = checkEscalationRule(body, metadata, deps.registry);
  if (problems.length > 0) throw errors.invalidDefinition(problems);
  const saved = await deps.em().transactional(async (trx) => {
    const db = trx.getKysely() as Db;
    const { row, change, diff } = await saveDefinitionVersion(db, 'escalationRule', 'Escalation rule', actor, body, options);
    await auditRuleChange(db, actor, { name: body.name, version: row.version, change, diff });
    await ensureFeedCursor(db, actor.workspaceId);
    await scheduleTimerBackfill(db, actor.workspaceId, 'escalationStep', row, true);
    return row;
  });
  deps.metadata.invalidate(actor.workspaceId);
  return { definition: saved.body, version: saved.version };
}

/** Turns an escalation rule on or off as a new version. */
export async function setEscalationRuleEnabled(deps: WorkflowDeps, actor: WorkflowActor, name: string, enabled: boolean): Promise<SavedEscalationRule> {
  const row = await findDefinitionRow(deps.em().getKysely() as Db, actor.workspaceId, 'escalationRule', name);
  if (!row || row.deletedAt) throw errors.notFound('Escalation rule', name);
  return saveEscalationRule(deps, actor, { ...row.body, enabled });
}

/** Deletes an escalation rule: its pending steps are cancelled; history and runs stay. */
export async function deleteEscalationRule(deps: WorkflowDeps, actor: WorkflowActor, name: string): Promise<void> {
  await deps.em().transactional(async (trx) => {
    const db = trx.getKysely() as Db;
    const row = await deleteDefinitionVersion(db, 'escalationRule', 'Escalation rule', actor, name);
    await auditRuleChange(db, actor, { name, version: row.version, change: 'deleted' });
    await scheduleTimerBackfill(db, actor.workspaceId, 'escalationStep', row, false);
  });
  deps.metadata.invalidate(actor.workspaceId);
}

export interface EscalationDryRun {
  rule: string;
  version: number;
  enabled: boolean;
  /** Whether the record is in the rule's entry condition. */
  conditionHolds: boolean;
  paused: boolean;
  /** The clock as stored for the record, or as it would start now. */
  clock: { startedAt: string; elapsedMs: number; runningSince: string | null } | null;
  /** Each step: its due time on that clock (null while paused) and what its actions would do. */
  steps: Array<{ index: number; name: string | null; dueAt: string | null; state: string | null; actions: Array<{ index: number; type: string; wouldDo: unknown }> }>;
}

/**
 * What an escalation rule would do for a record, without doing it: whether it is in the entry
 * condition and paused, the due time of each step, and what each step's actions would change.
 */
export async function dryRunEscalationRule(deps: RunsDeps, actor: RecordsActor, name: string, recordId: string): Promise<EscalationDryRun> {
  const db = deps.em().getKysely() as Db;
  const stored = await findDefinitionRow(db, actor.workspaceId, 'escalationRule', name);
  if (!stored || stored.deletedAt) throw errors.notFound('Escalation rule', name);
  const rule = stored.body;
  const metadata = await deps.metadata.get(actor.workspaceId);
  const record = await getRecord({ em: deps.em, metadata: deps.metadata, logger: deps.logger }, actor, rule.object, recordId) as Record<string, unknown>;
  const calendarDefinition = metadata.businessCalendars.get(rule.calendar);
  if (!calendarDefinition) throw errors.conflict(`Business calendar "${rule.calendar}" of escalation rule "${name}" does not exist`);
  const calendar = compiledCalendarOf(calendarDefinition.body);
  const now = new Date();
  const holds = ruleConditionHolds(rule, metadata, record, now);
  const paused = isPaused(rule, record);
  const { rows: [storedClock] } = await sql<{ started_at: Date; elapsed_ms: string; running_since: Date | null }>`select started_at, elapsed_ms, running_since from daicho.escalation_clock
    where definition_id = ${stored.id} and record_id = ${recordId}`.execute(db);
  const startedAt = 'field' in rule.from ? clockStartOf(record[rule.from.field], calendar.timeZone) : clockStartOf(record.createdAt, calendar.timeZone);
  const clock = storedClock
    ? { startedAt: new Date(storedClock.started_at), elapsedMs: Number(storedClock.elapsed_ms), runningSince: storedClock.running_since && new Date(storedClock.running_since) }
    : holds && startedAt ? nextClock(calendar, undefined, { startedAt, paused, at: now }) : null;
  const { rows: timers } = await sql<{ slot: number; state: string }>`select slot, state from daicho.automation_timer where definition_id = ${stored.id} and record_id = ${recordId}`.execute(db);
  const dues = clock ? escalationDueTimes(calendar, rule, clock) : [];
  const context = { workspaceId: actor.workspaceId, metadata, now, objectName: rule.object, recordId, record, previous: null };
  const steps: EscalationDryRun['steps'] = [];
  for (const [index, step] of rule.steps.entries()) {
    const actions = [];
    for (const [actionIndex, action] of step.actions.entries()) {
      const actionType = deps.registry.get(action.type);
      actions.push({ index: actionIndex, type: action.type, wouldDo: actionType ? await actionType.describe(action, context) : { unknownAction: true } });
    }
    steps.push({ index, name: step.name ?? null, dueAt: dues[index]?.dueAt?.toISOString() ?? null, state: timers.find((timer) => Number(timer.slot) === index)?.state ?? null, actions });
  }
  return {
    rule: name, version: stored.version, enabled: rule.enabled !== false, conditionHolds: holds, paused,
    clock: clock && { startedAt: clock.startedAt.toISOString(), elapsedMs: clock.elapsedMs, runningSince: clock.runningSince?.toISOString() ?? null },
    steps,
  };
}
