import type { WorkflowDefinition, WorkflowRunStatus } from '@daicho/sdk';
import { sql, type Kysely } from 'kysely';
import { generateUuidV7 } from '../db/index.ts';
import type { StoredDefinition } from '../metadata/index.ts';
import type { RunQueue } from './run-queue.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What starts a run: the workflow at its current version, and the record state it runs on. */
export interface NewRun {
  workspaceId: string;
  workflow: StoredDefinition<WorkflowDefinition>;
  trigger: string;
  objectName: string | null;
  recordId: string | null;
  auditEventId?: string | null;
  triggeredBy: string | null;
  parentRunId?: string | null;
  depth?: number;
  input: { record: Record<string, unknown> | null; previous: Record<string, unknown> | null; changes?: unknown; scheduledAt?: string; dueAt?: string; slot?: number };
  /** A run recorded as skipped (the loop guard), with the reason; no job is queued. */
  skipped?: { code: string; message: string };
  /** The timer (and its due time) the run comes from: one run per timer and due time. */
  timer?: { id: string; dueAt: Date };
  /** An escalation step run: the index of the rule's step whose actions it runs. */
  escalationStep?: number;
}

/**
 * Records a run and queues its job, in the caller's transaction. Runs as the user who saved the
 * workflow version. Returns the run id, or undefined when the change already has its run.
 */
export async function insertRun(db: Db, queue: RunQueue, run: NewRun): Promise<string | undefined> {
  const id = generateUuidV7();
  const { rows } = await sql<{ id: string }>`insert into daicho.workflow_run
      (id, workspace_id, workflow_name, definition_id, workflow_version, trigger, object_name, record_id, audit_event_id, triggered_by, run_as, parent_run_id, depth, status, input, error, finished_at,
       timer_id, timer_due_at, escalation_step)
    values (${id}, ${run.workspaceId}, ${run.workflow.name}, ${run.workflow.id}, ${run.workflow.version}, ${run.trigger}, ${run.objectName}, ${run.recordId}, ${run.auditEventId ?? null},
      ${run.triggeredBy}, (select created_by from daicho.definition_version where definition_id = ${run.workflow.id} and version = ${run.workflow.version}),
      ${run.parentRunId ?? null}, ${run.depth ?? 0}, ${run.skipped ? 'skipped' : 'queued'}, ${JSON.stringify(run.input)}, ${run.skipped ? JSON.stringify(run.skipped) : null},
      ${run.skipped ? sql`now()` : null}, ${run.timer?.id ?? null}, ${run.timer?.dueAt ?? null}, ${run.escalationStep ?? null})
    on conflict do nothing returning id`.execute(db);
  if (rows.length === 0) return undefined;
  if (!run.skipped) await queue.enqueue(db, { workspaceId: run.workspaceId, runId: id });
  return id;
}

/** A run a due timer starts: depth 0, no triggering user, one per timer and due time. */
export interface NewTimerRun {
  workspaceId: string;
  definition: StoredDefinition<{ name: string }>;
  trigger: 'dateRelative' | 'escalation';
  objectName: string;
  recordId: string;
  timer: { id: string; dueAt: Date };
  escalationStep: number | null;
  input: { record: Record<string, unknown>; previous: null; dueAt: string; slot: number };
}

/**
 * Records many timer runs with one statement and queues their jobs with another, in the caller's
 * transaction; runs as the user who saved each definition version. Returns the run id of each
 * timer that did not already have its run for that due time.
 */
export async function insertTimerRuns(db: Db, queue: RunQueue, runs: NewTimerRun[]): Promise<Map<string, string>> {
  if (runs.length === 0) return new Map();
  const { rows } = await sql<{ id: string; workspace_id: string; timer_id: string }>`insert into daicho.workflow_run
      (id, workspace_id, workflow_name, definition_id, workflow_version, trigger, object_name, record_id, triggered_by, run_as, depth, status, input, timer_id, timer_due_at, escalation_step)
    select r.id, r.workspace_id, r.name, r.definition_id, r.version, r.trigger, r.object_name, r.record_id, null, v.created_by, 0, 'queued', r.input, r.timer_id, r.due_at, r.step
    from unnest(${runs.map(() => generateUuidV7())}::uuid[], ${runs.map((run) => run.workspaceId)}::uuid[], ${runs.map((run) => run.definition.name)}::varchar[],
      ${runs.map((run) => run.definition.id)}::uuid[], ${runs.map((run) => run.definition.version)}::int[], ${runs.map((run) => run.trigger)}::varchar[],
      ${runs.map((run) => run.objectName)}::varchar[], ${runs.map((run) => run.recordId)}::uuid[], ${runs.map((run) => JSON.stringify(run.input))}::jsonb[],
      ${runs.map((run) => run.timer.id)}::uuid[], ${runs.map((run) => run.timer.dueAt.toISOString())}::timestamptz[], ${runs.map((run) => run.escalationStep)}::int[])
      as r(id, workspace_id, name, definition_id, version, trigger, object_name, record_id, input, timer_id, due_at, step)
    left join daicho.definition_version v on v.definition_id = r.definition_id and v.version = r.version
    on conflict do nothing returning id, workspace_id, timer_id`.execute(db);
  await queue.enqueueMany(db, rows.map((row) => ({ workspaceId: row.workspace_id, runId: row.id })));
  return new Map(rows.map((row) => [row.timer_id, row.id]));
}

/** A run as the API shows it. */
export interface WorkflowRun {
  id: string;
  workflow: string;
  workflowVersion: number;
  trigger: string;
  object: string | null;
  recordId: string | null;
  triggeredBy: string | null;
  runAs: string | null;
  parentRunId: string | null;
  depth: number;
  status: WorkflowRunStatus;
  nextStep: number;
  error: unknown;
  input: unknown;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface WorkflowStep {
  index: number;
  type: string;
  status: string;
  attempts: number;
  input: unknown;
  output: unknown;
  error: unknown;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

const iso = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string).toISOString());

function toRun(row: Record<string, unknown>): WorkflowRun {
  return {
    id: row.id as string,
    workflow: row.workflow_name as string,
    workflowVersion: Number(row.workflow_version),
    trigger: row.trigger as string,
    object: (row.object_name as string | null) ?? null,
    recordId: (row.record_id as string | null) ?? null,
    triggeredBy: (row.triggered_by as string | null) ?? null,
    runAs: (row.run_as as string | null) ?? null,
    parentRunId: (row.parent_run_id as string | null) ?? null,
    depth: Number(row.depth),
    status: row.status as WorkflowRunStatus,
    nextStep: Number(row.next_step),
    error: row.error ?? null,
    input: row.input,
    createdAt: iso(row.created_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}

export interface RunListQuery {
  workflow?: string;
  recordId?: string;
  status?: string;
  /** The last id of the previous page. */
  after?: string;
  limit: number;
}

/** Runs of a workspace, newest first, in keyset pages. */
export async function listRuns(db: Db, workspaceId: string, query: RunListQuery): Promise<{ runs: WorkflowRun[]; nextCursor: string | null }> {
  let statement = db.withSchema('daicho').selectFrom('workflow_run').selectAll().where('workspace_id', '=', workspaceId);
  if (query.workflow) statement = statement.where('workflow_name', '=', query.workflow);
  if (query.recordId) statement = statement.where('record_id', '=', query.recordId);
  if (query.status) statement = statement.where('status', '=', query.status);
  if (query.after) statement = statement.where('id', '<', query.after);
  const rows = await statement.orderBy('id', 'desc').limit(query.limit + 1).execute();
  const runs = rows.slice(0, query.limit).map(toRun);
  return { runs, nextCursor: rows.length > query.limit ? runs.at(-1)!.id : null };
}

export async function findRun(db: Db, workspaceId: string, runId: string): Promise<WorkflowRun | undefined> {
  const row = await db.withSchema('daicho').selectFrom('workflow_run').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', runId).executeTakeFirst();
  return row && toRun(row);
}

export async function listSteps(db: Db, runId: string): Promise<WorkflowStep[]> {
  const rows = await db.withSchema('daicho').selectFrom('workflow_step').selectAll().where('run_id', '=', runId).orderBy('step_index').execute();
  return rows.map((row) => ({
    index: Number(row.step_index),
    type: row.action_type as string,
    status: row.status as string,
    attempts: Number(row.attempts),
    input: row.input ?? null,
    output: row.output ?? null,
    error: row.error ?? null,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    durationMs: row.started_at && row.finished_at ? new Date(row.finished_at as string).getTime() - new Date(row.started_at as string).getTime() : null,
  }));
}

export const finishedStatuses: readonly WorkflowRunStatus[] = ['completed', 'deadLetter', 'cancelled', 'skipped'];
