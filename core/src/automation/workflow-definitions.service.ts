import type { DateRelativeTrigger, Filter, ObjectDefinition, WorkflowAction, WorkflowDefinition, WorkflowTrigger } from '@daicho/sdk';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Kysely } from 'kysely';
import { appendAuditEvent } from '../audit/index.ts';
import { DaichoError, errors, type InputProblem } from '../errors/index.ts';
import {
  deleteDefinitionVersion, findDefinitionRow, saveDefinitionVersion, validateDefinitionDocument, type MetadataCache, type WorkspaceMetadata,
} from '../metadata/index.ts';
import { validateFilter } from '../query/index.ts';
import type { ActionRegistry } from './action-registry.ts';
import { scheduleTimerBackfill } from './automation-timers.ts';
import { ensureFeedCursor } from './change-feed-dispatcher.ts';
import { findLoops } from './workflow-loops.ts';
import { nextCronTime, planSchedule } from './workflow-scheduler.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface WorkflowDeps {
  em: () => EntityManager;
  metadata: MetadataCache;
  registry: ActionRegistry;
  /** Seals a webhook secret for storage in the definition. */
  sealSecret: (workspaceId: string, workflowName: string, secret: string) => string;
}

export interface WorkflowActor {
  workspaceId: string;
  userId: string;
  clientAddress?: string;
  requestId?: string;
}

/** A saved workflow, with warnings that did not stop the save (a loop through other workflows). */
export interface SavedWorkflow {
  definition: WorkflowDefinition;
  version: number;
  warnings: InputProblem[];
}

function filterProblems(filter: Filter, objectName: string, metadata: WorkspaceMetadata, path: string): InputProblem[] {
  const problems: InputProblem[] = [];
  try {
    validateFilter(filter, objectName, metadata.catalog);
  } catch (error) {
    if (!(error instanceof DaichoError)) throw error;
    const inner = (error.details as { problems?: InputProblem[] } | undefined)?.problems ?? [{ path: '', code: 'filter', message: error.message }];
    return inner.map((problem) => ({ ...problem, path: `${path}${problem.path}` }));
  }
  // Conditions are evaluated on the record in memory, where lookups are not expanded.
  const object = metadata.objects.get(objectName)!.body;
  const lookups = new Set(object.fields.filter((field) => field.type === 'lookup' || field.type === 'masterDetail').map((field) => field.name));
  const walk = (node: Filter, pointer: string): void => {
    if ('and' in node) node.and.forEach((child, index) => walk(child, `${pointer}/and/${index}`));
    else if ('or' in node) node.or.forEach((child, index) => walk(child, `${pointer}/or/${index}`));
    else if ('not' in node) walk(node.not, `${pointer}/not`);
    else if (node.field.includes('.') && lookups.has(node.field.split('.')[0]!)) {
      problems.push({ path: `${pointer}/field`, code: 'lookupPath', message: 'workflow conditions cannot go through lookups yet; use a field of the record itself' });
    }
  };
  walk(filter, path);
  return problems;
}

function triggerProblems(trigger: WorkflowTrigger, metadata: WorkspaceMetadata): InputProblem[] {
  if (trigger.type === 'schedule') {
    const problems: InputProblem[] = [];
    try {
      new Intl.DateTimeFormat('en', { timeZone: trigger.timeZone });
    } catch {
      problems.push({ path: '/trigger/timeZone', code: 'timeZone', message: `"${trigger.timeZone}" is not an IANA time zone` });
      return problems;
    }
    try {
      if (!nextCronTime(trigger, new Date())) problems.push({ path: '/trigger/cron', code: 'cron', message: 'never fires' });
    } catch (error) {
      problems.push({ path: '/trigger/cron', code: 'cron', message: `is not a cron expression: ${(error as Error).message}` });
    }
    return problems;
  }
  const object = metadata.objects.get(trigger.object)?.body;
  if (!object) return [{ path: '/trigger/object', code: 'unknownObject', message: `there is no object "${trigger.object}"` }];
  if (trigger.type === 'dateRelative') return dateRelativeProblems(trigger, object, metadata);
  const fields = new Set(object.fields.map((field) => field.name));
  const named = trigger.type === 'recordUpdated' ? (trigger.fields ?? []).map((field, index) => ({ field, path: `/trigger/fields/${index}` }))
    : trigger.type === 'fieldChanged' ? [{ field: trigger.field, path: '/trigger/field' }] : [];
  return named.filter(({ field }) => !fields.has(field)).map(({ field, path }) => ({ path, code: 'unknownField', message: `${trigger.object} has no field "${field}"` }));
}

/** A date-relative trigger reads a date, datetime or date formula field; business days need a calendar. */
function dateRelativeProblems(trigger: DateRelativeTrigger, object: ObjectDefinition, metadata: WorkspaceMetadata): InputProblem[] {
  const problems: InputProblem[] = [];
  const field = object.fields.find((candidate) => candidate.name === trigger.field);
  const isDate = ['createdAt', 'updatedAt'].includes(trigger.field) || field?.type === 'date' || field?.type === 'datetime'
    || (field?.type === 'formula' && (field.returnType === 'date' || field.returnType === 'datetime'));
  if (!isDate) problems.push({ path: '/trigger/field', code: field ? 'fieldType' : 'unknownField', message: field ? `${trigger.object}.${trigger.field} is not a date, datetime or date formula field` : `${trigger.object} has no field "${trigger.field}"` });
  if (trigger.timeZone) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: trigger.timeZone });
    } catch {
      problems.push({ path: '/trigger/timeZone', code: 'timeZone', message: `"${trigger.timeZone}" is not an IANA time zone` });
    }
  }
  if (trigger.calendar && !metadata.businessCalendars.has(trigger.calendar)) problems.push({ path: '/trigger/calendar', code: 'unknownCalendar', message: `there is no business calendar "${trigger.calendar}"` });
  const businessIndex = trigger.offsets.findIndex((offset) => offset.unit === 'businessDays');
  if (businessIndex >= 0 && !trigger.calendar) problems.push({ path: `/trigger/offsets/${businessIndex}/unit`, code: 'calendarRequired', message: 'businessDays counts the open days of a business calendar: name one in trigger.calendar' });
  const seen = new Set<string>();
  trigger.offsets.forEach((offset, index) => {
    const key = `${offset.amount} ${offset.unit}`;
    if (seen.has(key)) problems.push({ path: `/trigger/offsets/${index}`, code: 'duplicate', message: `the offset ${key} is given twice` });
    seen.add(key);
  });
  return problems;
}

/** Checks what the meta-schema cannot: objects, fields, filters, cron, registered action types, loops. */
export function checkWorkflow(workflow: WorkflowDefinition, metadata: WorkspaceMetadata, registry: ActionRegistry): { problems: InputProblem[]; warnings: InputProblem[] } {
  const problems = triggerProblems(workflow.trigger, metadata);
  const objectName = 'object' in workflow.trigger ? workflow.trigger.object : undefined;
  const hasObject = objectName !== undefined && metadata.objects.has(objectName);
  for (const [key, filter] of [['condition', workflow.condition], ['previousCondition', workflow.previousCondition]] as const) {
    if (!filter) continue;
    if (!objectName) problems.push({ path: `/${key}`, code: 'noRecord', message: 'a scheduled workflow has no record to test' });
    else if (key === 'previousCondition' && (workflow.trigger.type === 'recordCreated' || workflow.trigger.type === 'manual' || workflow.trigger.type === 'dateRelative')) {
      problems.push({ path: '/previousCondition', code: 'noPrevious', message: `a ${workflow.trigger.type} trigger has no previous values` });
    } else if (hasObject) problems.push(...filterProblems(filter, objectName, metadata, `/${key}`));
  }
  workflow.actions.forEach((action: WorkflowAction, index) => {
    const actionType = registry.get(action.type);
    if (!actionType) {
      problems.push({ path: `/actions/${index}/type`, code: 'unknownAction', message: `no action type "${action.type}" is registered` });
      return;
    }
    if (objectName !== undefined && !hasObject) return;
    for (const problem of actionType.check?.(action, { metadata, objectName }) ?? []) problems.push({ ...problem, path: `/actions/${index}${problem.path}` });
  });
  const loops = problems.length === 0 ? findLoops(workflow, metadata) : { self: [], through: [] };
  problems.push(...loops.self);
  return { problems, warnings: loops.through };
}

/** Webhook secrets arrive as text and are stored sealed with the installation's secret key. */
function sealSecrets(workflow: WorkflowDefinition, seal: (secret: string) => string): WorkflowDefinition {
  return {
    ...workflow,
    actions: workflow.actions.map((action) => (action.type === 'webhook' && typeof (action as { secret?: unknown }).secret === 'string'
      ? { ...action, secret: { sealed: seal((action as { secret: string }).secret) } }
      : action)),
  };
}

async function auditDefinitionChange(db: Db, actor: WorkflowActor, details: Record<string, unknown>): Promise<void> {
  await appendAuditEvent(db, { workspaceId: actor.workspaceId, actorId: actor.userId, clientAddress: actor.clientAddress ?? null, requestId: actor.requestId ?? null }, { kind: 'definition.change', details });
}

/**
 * Creates or replaces a workflow (PUT semantics): validated against its meta-schema and the
 * workspace's objects, stored as a new version. Runs in flight finish on the version they started with.
 */
export async function saveWorkflow(deps: WorkflowDeps, actor: WorkflowActor, input: unknown, options: { expectedVersion?: number } = {}): Promise<SavedWorkflow> {
  const schemaProblems = validateDefinitionDocument('workflow', input);
  if (schemaProblems.length > 0) throw errors.invalidDefinition(schemaProblems);
  const body = sealSecrets(input as WorkflowDefinition, (secret) => deps.sealSecret(actor.workspaceId, (input as WorkflowDefinition).name, secret));
  const metadata = await deps.metadata.get(actor.workspaceId);
  const { problems, warnings } = checkWorkflow(body, metadata, deps.registry);
  if (problems.length > 0) throw errors.invalidDefinition(problems);
  const saved = await deps.em().transactional(async (trx) => {
    const db = trx.getKysely() as Db;
    const { row, change, diff } = await saveDefinitionVersion(db, 'workflow', 'Workflow', actor, body, options);
    await auditDefinitionChange(db, actor, { definition: 'workflow', name: body.name, version: row.version, change, diff });
    await ensureFeedCursor(db, actor.workspaceId);
    await planSchedule(db, actor.workspaceId, row);
    await scheduleTimerBackfill(db, actor.workspaceId, 'dateRelative', row, row.body.trigger.type === 'dateRelative');
    return row;
  });
  deps.metadata.invalidate(actor.workspaceId);
  return { definition: saved.body, version: saved.version, warnings };
}

/** Turns a workflow on or off as a new version; runs in flight are not affected. */
export async function setWorkflowEnabled(deps: WorkflowDeps, actor: WorkflowActor, name: string, enabled: boolean): Promise<SavedWorkflow> {
  const row = await findDefinitionRow(deps.em().getKysely() as Db, actor.workspaceId, 'workflow', name);
  if (!row || row.deletedAt) throw errors.notFound('Workflow', name);
  return saveWorkflow(deps, actor, { ...row.body, enabled });
}

/** Deletes a workflow (its history and runs stay; runs in flight finish). */
export async function deleteWorkflow(deps: WorkflowDeps, actor: WorkflowActor, name: string): Promise<void> {
  await deps.em().transactional(async (trx) => {
    const db = trx.getKysely() as Db;
    const row = await deleteDefinitionVersion(db, 'workflow', 'Workflow', actor, name);
    await auditDefinitionChange(db, actor, { definition: 'workflow', name, version: row.version, change: 'deleted' });
    await planSchedule(db, actor.workspaceId, row);
    await scheduleTimerBackfill(db, actor.workspaceId, 'dateRelative', row, false);
  });
  deps.metadata.invalidate(actor.workspaceId);
}

