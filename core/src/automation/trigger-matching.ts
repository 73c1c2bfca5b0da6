import type { Filter, WorkflowDefinition, WorkflowTrigger } from '@daicho/sdk';
import type { FieldChanges } from '../audit/index.ts';
import type { WorkspaceMetadata } from '../metadata/index.ts';
import { createQueryContext, evaluateFilter, validateFilter, type ValidFilter } from '../query/index.ts';

/** Record triggers that the change feed fires, by audit event kind. */
const kindOfTrigger: Partial<Record<WorkflowTrigger['type'], string>> = {
  recordCreated: 'record.create',
  recordUpdated: 'record.update',
  fieldChanged: 'record.update',
  recordDeleted: 'record.delete',
};

/** The object a workflow's trigger is on (none for schedules). */
export function triggerObject(trigger: WorkflowTrigger): string | undefined {
  return 'object' in trigger ? trigger.object : undefined;
}

/** Whether the workflow runs on changes from the change feed (not schedules nor manual starts). */
export function isChangeTrigger(trigger: WorkflowTrigger): boolean {
  return kindOfTrigger[trigger.type] !== undefined;
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Whether a change (an audit event's kind and per-field changes) fires the trigger. Conditions are checked apart. */
export function triggerMatches(trigger: WorkflowTrigger, kind: string, objectName: string | null, changes: FieldChanges | null): boolean {
  if (kindOfTrigger[trigger.type] !== kind || !('object' in trigger) || trigger.object !== objectName) return false;
  if (trigger.type === 'recordUpdated') {
    const changed = Object.keys(changes ?? {});
    return changed.length > 0 && (trigger.fields === undefined || trigger.fields.some((field) => changed.includes(field)));
  }
  if (trigger.type === 'fieldChanged') {
    const change = changes?.[trigger.field];
    if (!change) return false;
    if (trigger.from !== undefined && !sameValue(change.before, trigger.from)) return false;
    if (trigger.to !== undefined && !sameValue(change.after, trigger.to)) return false;
    return true;
  }
  return true;
}

/**
 * The record after and before a change: the stored record (as the dispatcher reads it) with the
 * event's own per-field values, which are exact for the fields that changed.
 */
export function recordStates(current: Record<string, unknown>, changes: FieldChanges | null): { record: Record<string, unknown>; previous: Record<string, unknown> } {
  const record = { ...current };
  const previous = { ...current };
  for (const [field, change] of Object.entries(changes ?? {})) {
    record[field] = change.after;
    previous[field] = change.before;
  }
  return { record, previous };
}

const validated = new WeakMap<Filter, ValidFilter>();

function validatedFilter(filter: Filter, objectName: string, metadata: WorkspaceMetadata): ValidFilter {
  let valid = validated.get(filter);
  if (!valid) {
    valid = validateFilter(filter, objectName, metadata.catalog);
    validated.set(filter, valid);
  }
  return valid;
}

/**
 * Whether the workflow's conditions hold: `condition` on the record after the change,
 * `previousCondition` on the record before it; `{ "$var": "user.id" }` is the triggering user.
 * A condition that cannot be evaluated (a field deleted since the save) does not hold.
 */
export function conditionsHold(workflow: WorkflowDefinition, metadata: WorkspaceMetadata, state: { record: Record<string, unknown> | null; previous: Record<string, unknown> | null; triggeredBy: string | null; now?: Date }): boolean {
  const objectName = triggerObject(workflow.trigger);
  if (!objectName) return true;
  const context = createQueryContext({ ...(state.triggeredBy ? { userId: state.triggeredBy } : {}), ...(state.now ? { now: state.now } : {}) });
  try {
    if (workflow.condition && !evaluateFilter(validatedFilter(workflow.condition, objectName, metadata), state.record ?? {}, context)) return false;
    if (workflow.previousCondition && !evaluateFilter(validatedFilter(workflow.previousCondition, objectName, metadata), state.previous ?? {}, context)) return false;
    return true;
  } catch {
    return false;
  }
}
