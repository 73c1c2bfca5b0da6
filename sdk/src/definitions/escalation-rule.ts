import type { Filter } from './filter.ts';
import type { Labels } from './object-definition.ts';
import type { WorkflowAction, WorkflowLiteral } from './workflow-definition.ts';

/**
 * Escalation rules, validated by `escalation-rule.schema.json`: for the records of an object that
 * match a condition, ordered steps fire after an age in business time on a business calendar,
 * with the clock stopped while a status field has chosen values. The admin guide page
 * `docs/admin-guide/escalation-rules.md` explains planning, pauses and the SLA due field.
 */

/** The units of a step's age; a business day counts `businessDayHours` of open time. */
export const escalationAgeUnits = ['businessMinutes', 'businessHours', 'businessDays'] as const;
export type EscalationAgeUnit = (typeof escalationAgeUnits)[number];

/** Where the age is measured from: a field (`createdAt`, `updatedAt`, a date or datetime field), or when a field last changed to its current value. */
export type EscalationStart = { field: string } | { statusEntered: string };

export interface EscalationStep {
  name?: string;
  /** The age at which the step fires; steps are in non-decreasing order of it. */
  after: { amount: number; unit: EscalationAgeUnit };
  /** Workflow actions of any registered type, run as a workflow run on the record. */
  actions: WorkflowAction[];
}

export interface EscalationRuleDefinition {
  name: string;
  labels: Labels;
  description?: Labels;
  /** Absent means enabled. */
  enabled?: boolean;
  object: string;
  /** The entry condition; a record that stops matching has its pending steps cancelled. */
  condition?: Filter;
  /** The business calendar that counts the age. */
  calendar: string;
  from: EscalationStart;
  /** The clock stops while `field` has one of `values`. */
  pause?: { field: string; values: WorkflowLiteral[] };
  /** A datetime field set to the last step's due time (null while paused), for sorting lists. */
  dueField?: string;
  /** Hours of open time in one `businessDays` unit; default 8. */
  businessDayHours?: number;
  steps: EscalationStep[];
}
