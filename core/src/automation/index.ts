// Automation: workflows (definitions of kind `workflow`) and escalation rules (`escalationRule`),
// trigger dispatch from the sealed audit trail, durable timers (date-relative triggers, escalation
// steps), durable runs on pg-boss with per-step history, retries and dead letters, and schedules.
// Extension point: the action registry (built-in actions register through it too).
export { createActionRegistry } from './action-registry.ts';
export type { ActionCheckScope, ActionContext, ActionOutcome, ActionRegistry, DryRunContext, RunRecordState, WorkflowActionType } from './action-registry.ts';
export { startAutomation } from './automation-runtime.ts';
export type { Automation, StartAutomationOptions } from './automation-runtime.ts';
export { durationMs, signWebhook } from './built-in-actions.ts';
export { createMailer } from './mailer.ts';
export type { MailMessage, Mailer } from './mailer.ts';
export { nextCronTime } from './workflow-scheduler.ts';
export { JOBS_SCHEMA } from './run-queue.ts';
export { checkWorkflow, deleteWorkflow, saveWorkflow, setWorkflowEnabled } from './workflow-definitions.service.ts';
export type { SavedWorkflow, WorkflowActor, WorkflowDeps } from './workflow-definitions.service.ts';
export { findRun, listRuns, listSteps } from './workflow-runs.repository.ts';
export type { RunListQuery, WorkflowRun, WorkflowStep } from './workflow-runs.repository.ts';
export { cancelRun, dryRunWorkflow, retryRun, startManualRun } from './workflow-runs.service.ts';
export type { DryRunResult, RunsDeps } from './workflow-runs.service.ts';
export { checkEscalationRule, deleteEscalationRule, dryRunEscalationRule, saveEscalationRule, setEscalationRuleEnabled } from './escalation-rules.service.ts';
export type { EscalationDryRun, SavedEscalationRule } from './escalation-rules.service.ts';
export { listTimers } from './timer-list.ts';
export type { AutomationTimer, TimerListQuery } from './timer-list.ts';
