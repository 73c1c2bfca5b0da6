import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type Kysely } from 'kysely';
import { errors } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';
import { findDefinitionRow, type MetadataCache } from '../metadata/index.ts';
import { getRecord, type RecordsActor } from '../records/index.ts';
import type { ActionRegistry } from './action-registry.ts';
import type { RunQueue } from './run-queue.ts';
import { conditionsHold, triggerObject } from './trigger-matching.ts';
import { findRun, insertRun, type WorkflowRun } from './workflow-runs.repository.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface RunsDeps {
  em: () => EntityManager;
  metadata: MetadataCache;
  logger: Logger;
  queue: RunQueue;
  registry: ActionRegistry;
}

const db = (deps: RunsDeps) => deps.em().getKysely() as Db;

async function liveWorkflow(deps: RunsDeps, workspaceId: string, name: string) {
  const workflow = (await deps.metadata.get(workspaceId)).workflows.get(name);
  if (!workflow) throw errors.notFound('Workflow', name);
  return workflow;
}

/**
 * Starts a manual workflow on a record the caller can read, if its conditions hold for the
 * record as it is now. Returns the queued run.
 */
export async function startManualRun(deps: RunsDeps, actor: RecordsActor, objectName: string, recordId: string, workflowName: string): Promise<WorkflowRun> {
  const workflow = await liveWorkflow(deps, actor.workspaceId, workflowName);
  if (workflow.body.trigger.type !== 'manual' || workflow.body.trigger.object !== objectName) {
    throw errors.conflict(`Workflow "${workflowName}" is not started by hand on ${objectName} records`);
  }
  if (workflow.body.enabled === false) throw errors.conflict(`Workflow "${workflowName}" is disabled`);
  const record = await getRecord({ em: deps.em, metadata: deps.metadata, logger: deps.logger }, actor, objectName, recordId) as Record<string, unknown>;
  const metadata = await deps.metadata.get(actor.workspaceId);
  if (!conditionsHold(workflow.body, metadata, { record, previous: null, triggeredBy: actor.userId })) {
    throw errors.conflict(`The conditions of workflow "${workflowName}" do not hold for this record`);
  }
  const runId = await deps.em().transactional(async (trx) => insertRun(trx.getKysely() as Db, deps.queue, {
    workspaceId: actor.workspaceId, workflow, trigger: 'manual', objectName, recordId, triggeredBy: actor.userId, input: { record, previous: null },
  }));
  return (await findRun(db(deps), actor.workspaceId, runId!))!;
}

/** Sends a dead-lettered (or cancelled) run back to the queue from the step that failed, with fresh attempts. */
export async function retryRun(deps: RunsDeps, workspaceId: string, runId: string): Promise<WorkflowRun> {
  await deps.em().transactional(async (trx) => {
    const tx = trx.getKysely() as Db;
    const { rows: [run] } = await sql<{ status: string; next_step: number }>`select status, next_step from daicho.workflow_run where id = ${runId} and workspace_id = ${workspaceId} for update`.execute(tx);
    if (!run) throw errors.notFound('Run', runId);
    if (run.status !== 'deadLetter' && run.status !== 'cancelled') throw errors.conflict(`Only dead-lettered or cancelled runs can be retried; this one is ${run.status}`, { status: run.status });
    await sql`update daicho.workflow_step set attempts = 0, status = 'failed' where run_id = ${runId} and step_index = ${run.next_step}`.execute(tx);
    await sql`update daicho.workflow_run set status = 'queued', error = null, resume_at = null, finished_at = null, updated_at = now() where id = ${runId}`.execute(tx);
    await deps.queue.enqueue(tx, { workspaceId, runId });
  });
  return (await findRun(db(deps), workspaceId, runId))!;
}

/** Cancels a run that has not finished: no further step starts (a step under way completes). */
export async function cancelRun(deps: RunsDeps, workspaceId: string, runId: string): Promise<WorkflowRun> {
  const { rows } = await sql<{ id: string }>`update daicho.workflow_run set status = 'cancelled', finished_at = now(), updated_at = now()
    where id = ${runId} and workspace_id = ${workspaceId} and status in ('queued', 'running', 'waiting') returning id`.execute(db(deps));
  if (rows.length === 0) {
    const run = await findRun(db(deps), workspaceId, runId);
    if (!run) throw errors.notFound('Run', runId);
    throw errors.conflict(`The run has finished (${run.status}); it cannot be cancelled`, { status: run.status });
  }
  return (await findRun(db(deps), workspaceId, runId))!;
}

export interface DryRunResult {
  workflow: string;
  version: number;
  enabled: boolean;
  /** Whether the conditions hold for the record (and the previous values given). */
  conditionsHold: boolean;
  /** What each action would do, in order; empty when the conditions do not hold. */
  actions: Array<{ index: number; type: string; name: string | null; wouldDo: unknown }>;
}

/**
 * What a workflow would do for a record, without doing it: whether its conditions hold (for the
 * record as it is, and `previous` values if given) and what each action would change or send.
 */
export async function dryRunWorkflow(deps: RunsDeps, actor: RecordsActor, workflowName: string, input: { recordId?: string; previous?: Record<string, unknown> }): Promise<DryRunResult> {
  const stored = await findDefinitionRow(db(deps), actor.workspaceId, 'workflow', workflowName);
  if (!stored || stored.deletedAt) throw errors.notFound('Workflow', workflowName);
  const workflow = stored.body;
  const objectName = triggerObject(workflow.trigger) ?? null;
  const metadata = await deps.metadata.get(actor.workspaceId);
  let record: Record<string, unknown> | null = null;
  if (objectName) {
    if (!input.recordId) throw errors.validationFailed([{ path: '/recordId', code: 'required', message: 'is required: the workflow runs on a record' }]);
    record = await getRecord({ em: deps.em, metadata: deps.metadata, logger: deps.logger }, actor, objectName, input.recordId) as Record<string, unknown>;
  }
  const previous = record && input.previous ? { ...record, ...input.previous } : record;
  const holds = conditionsHold(workflow, metadata, { record, previous, triggeredBy: actor.userId });
  const actions: DryRunResult['actions'] = [];
  if (holds) {
    const context = { workspaceId: actor.workspaceId, metadata, now: new Date(), objectName, recordId: input.recordId ?? null, record, previous };
    for (const [index, action] of workflow.actions.entries()) {
      const actionType = deps.registry.get(action.type);
      actions.push({ index, type: action.type, name: action.name ?? null, wouldDo: actionType ? await actionType.describe(action, context) : { unknownAction: true } });
    }
  }
  return { workflow: workflow.name, version: stored.version, enabled: workflow.enabled !== false, conditionsHold: holds, actions };
}
