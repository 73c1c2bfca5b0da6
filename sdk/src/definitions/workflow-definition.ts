import type { Filter } from './filter.ts';
import type { Labels } from './object-definition.ts';

/**
 * Workflows: a trigger, conditions in the filter language and ordered actions, validated by
 * `workflow.schema.json`. The admin guide page `docs/admin-guide/workflows.md` explains runs,
 * retries, dead letters and the dry run.
 */

/** The built-in trigger types. */
export const workflowTriggerTypes = ['recordCreated', 'recordUpdated', 'recordDeleted', 'fieldChanged', 'schedule', 'manual', 'dateRelative'] as const;
export type WorkflowTriggerType = (typeof workflowTriggerTypes)[number];

/** The built-in action types; plugins register more, qualified by their id (`acme.crm.notify`). */
export const workflowActionTypes = ['updateFields', 'createRecord', 'sendEmail', 'webhook', 'wait'] as const;
export type WorkflowActionType = (typeof workflowActionTypes)[number];

export interface RecordCreatedTrigger { type: 'recordCreated'; object: string }
export interface RecordUpdatedTrigger {
  type: 'recordUpdated';
  object: string;
  /** Only when one of these changed; absent: any change. */
  fields?: string[];
}
export interface RecordDeletedTrigger { type: 'recordDeleted'; object: string }
/** A field changed on update, optionally from one value and/or to another. */
export interface FieldChangedTrigger {
  type: 'fieldChanged';
  object: string;
  field: string;
  from?: WorkflowLiteral;
  to?: WorkflowLiteral;
}
/** At the times of a cron expression in an IANA time zone; the run has no record. */
export interface ScheduleTrigger { type: 'schedule'; cron: string; timeZone: string }
/** Started from a record through the API (a button on the record). */
export interface ManualTrigger { type: 'manual'; object: string }

/** The units of a date offset; `businessDays` counts the open days of the trigger's calendar. */
export const dateOffsetUnits = ['minutes', 'hours', 'days', 'businessDays'] as const;
export type DateOffsetUnit = (typeof dateOffsetUnits)[number];

/** An offset from a date: negative before it, positive after it. */
export interface DateOffset {
  amount: number;
  unit: DateOffsetUnit;
  name?: string;
}

/**
 * At offsets from a date, date-time or date formula field of each matching record (e.g. −120,
 * −90 and 0 days before a contract ends). Re-planned when the date or the record changes;
 * cancelled when the record stops matching or is deleted. Offsets already past when planned do
 * not fire.
 */
export interface DateRelativeTrigger {
  type: 'dateRelative';
  object: string;
  field: string;
  offsets: DateOffset[];
  /** For date fields and day offsets: local `HH:MM` to fire at; default `09:00`. */
  timeOfDay?: string;
  /** IANA time zone; default the calendar's, else `Asia/Tokyo`. */
  timeZone?: string;
  /** The business calendar that `businessDays` offsets count open days on. */
  calendar?: string;
  /** Around the next anniversary (month and day) of the date; 29 February falls on 28 February in other years. */
  recurrence?: 'yearly';
}

export type WorkflowTrigger = RecordCreatedTrigger | RecordUpdatedTrigger | RecordDeletedTrigger | FieldChangedTrigger | ScheduleTrigger | ManualTrigger | DateRelativeTrigger;

export type WorkflowLiteral = string | number | boolean | null;

/** `{ "$field": "email" }`: a value of the triggering record (`id` for its own id). */
export interface FieldReference { $field: string }

/** Field values by name: JSON values the field accepts, or references to the triggering record. */
export type WorkflowValues = Record<string, unknown>;

interface ActionBase {
  /** A label for the step in run history. */
  name?: string;
}

/** Updates fields of the triggering record. */
export interface UpdateFieldsAction extends ActionBase { type: 'updateFields'; values: WorkflowValues }
/** Creates a record, once per run whatever the retries. */
export interface CreateRecordAction extends ActionBase { type: 'createRecord'; object: string; values: WorkflowValues }
export type EmailRecipient = { field: string } | { address: string } | { owner: true };
/** Sends an e-mail with `{{field}}` merge fields, once per run and step. */
export interface SendEmailAction extends ActionBase {
  type: 'sendEmail';
  to: EmailRecipient;
  subject: string;
  body: string;
  language?: 'ja' | 'en';
}
/** POSTs the record as JSON; signed with HMAC-SHA256 when a secret is set (text on input, stored sealed). */
export interface WebhookAction extends ActionBase { type: 'webhook'; url: string; secret?: string | { sealed: string } }
/** Waits an ISO 8601 duration (`P1D`, `PT2H30M`) before the next action. */
export interface WaitAction extends ActionBase { type: 'wait'; duration: string }
/** An action type registered by a plugin. */
export interface PluginAction extends ActionBase { type: string; input?: Record<string, unknown> }

export type BuiltInWorkflowAction = UpdateFieldsAction | CreateRecordAction | SendEmailAction | WebhookAction | WaitAction;
export type WorkflowAction = BuiltInWorkflowAction | PluginAction;

export interface WorkflowDefinition {
  name: string;
  labels: Labels;
  description?: Labels;
  /** Absent means enabled. */
  enabled?: boolean;
  trigger: WorkflowTrigger;
  /** On the record after the change; `{ "$var": "user.id" }` is the triggering user. */
  condition?: Filter;
  /** On the record before the change (updates and deletions). */
  previousCondition?: Filter;
  actions: WorkflowAction[];
}

/** Where a run stands. `deadLetter`: a step failed its last attempt; the reason is kept. */
export const workflowRunStatuses = ['queued', 'running', 'waiting', 'completed', 'deadLetter', 'cancelled', 'skipped'] as const;
export type WorkflowRunStatus = (typeof workflowRunStatuses)[number];
