import type { RecordHookRegistry } from '../records/index.ts';
import type { EscalationRuleDefinition, WorkflowAction, WorkflowDefinition } from '@daicho/sdk';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type Kysely } from 'kysely';
import type { Logger } from '../log/index.ts';
import type { MetadataCache } from '../metadata/index.ts';
import { fullAccess, type RecordsActor } from '../records/index.ts';
import type { ActionContext, ActionRegistry } from './action-registry.ts';
import type { Mailer } from './mailer.ts';
import type { RunJob, RunQueue } from './run-queue.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface RunExecutorDeps {
  em: () => EntityManager;
  metadata: MetadataCache;
  logger: Logger;
  registry: ActionRegistry;
  queue: RunQueue;
  mailer: Mailer | undefined;
  openSecret: (workspaceId: string, workflowName: string, sealed: string) => string | undefined;
  maxAttempts: number;
  retryDelaySeconds: number;
  /** Record hooks (plugins'): a run's record writes pass through them like any other write. */
  recordHooks?: RecordHookRegistry | undefined;
}

/** The request id that a run's record writes carry into the audit trail: how the dispatcher knows a change came from a run. */
export const RUN_REQUEST_PREFIX = 'workflow-run:';

interface RunRow {
  id: string;
  workspace_id: string;
  workflow_name: string;
  definition_id: string;
  workflow_version: number;
  object_name: string | null;
  record_id: string | null;
  run_as: string | null;
  triggered_by: string | null;
  status: string;
  next_step: number;
  resume_at: Date | null;
  input: { record: Record<string, unknown> | null; previous: Record<string, unknown> | null };
  escalation_step: number | null;
}

const lockRun = async (db: Db, runId: string) =>
  (await sql<RunRow>`select * from daicho.workflow_run where id = ${runId} for update`.execute(db)).rows[0];

/**
 * The version a run started on: runs finish on it whatever is saved meanwhile. An escalation
 * step's run is a workflow run whose actions are those of the rule's step.
 */
async function workflowVersion(db: Db, definitionId: string, version: number, escalationStep: number | null): Promise<WorkflowDefinition> {
  const row = await db.withSchema('daicho').selectFrom('definition_version').select('body').where('definition_id', '=', definitionId).where('version', '=', version).executeTakeFirstOrThrow();
  if (escalationStep === null) return row.body as WorkflowDefinition;
  const rule = row.body as EscalationRuleDefinition;
  return { name: rule.name, labels: rule.labels, trigger: { type: 'manual', object: rule.object }, actions: rule.steps[escalationStep]?.actions ?? [] };
}

function describeError(error: unknown): { code: string; message: string } {
  const code = (error as { code?: unknown }).code;
  return { code: typeof code === 'string' ? code : 'ERROR', message: error instanceof Error ? error.message : String(error) };
}

type StepResult = 'next' | 'stop';

/**
 * Advances runs, one step per transaction. A step's attempt is counted (committed) before it
 * runs; the action then runs in a transaction that holds the run's row lock and records the
 * step's completion, so record changes commit together with "done" and a step that completed is
 * never run again. A failed step is retried with backoff by a new job; after the last attempt
 * the run goes to the dead-letter list with the reason, and the job completes (the queue flows on).
 */
export function createRunExecutor(deps: RunExecutorDeps) {
  const claim = async (runId: string): Promise<{ run: RunRow; workflow: WorkflowDefinition; action: WorkflowAction; attempts: number } | undefined> =>
    deps.em().transactional(async (trx) => {
      const db = trx.getKysely() as Db;
      const run = await lockRun(db, runId);
      if (!run || ['completed', 'deadLetter', 'cancelled', 'skipped'].includes(run.status)) return undefined;
      // A job delivered again (or early) for a run that waits: the job queued for the time will come.
      if (run.resume_at !== null && new Date(run.resume_at).getTime() > Date.now()) return undefined;
      const workflow = await workflowVersion(db, run.definition_id, run.workflow_version, run.escalation_step);
      const action = workflow.actions[run.next_step];
      if (!action) {
        await sql`update daicho.workflow_run set status = 'completed', finished_at = now(), updated_at = now() where id = ${runId}`.execute(db);
        return undefined;
      }
      const { rows } = await sql<{ attempts: number }>`insert into daicho.workflow_step (run_id, step_index, action_type, status, attempts, input, started_at)
        values (${runId}, ${run.next_step}, ${action.type}, 'running', 1, ${JSON.stringify(action)}, now())
        on conflict (run_id, step_index) do update set attempts = workflow_step.attempts + 1, status = 'running', started_at = now(), finished_at = null
        returning attempts`.execute(db);
      await sql`update daicho.workflow_run set status = 'running', started_at = coalesce(started_at, now()), updated_at = now() where id = ${runId}`.execute(db);
      return { run, workflow, action, attempts: Number(rows[0]!.attempts) };
    });

  const runStep = async (runId: string): Promise<StepResult> => {
    const claimed = await claim(runId);
    if (!claimed) return 'stop';
    const { run, workflow, action, attempts } = claimed;
    const stepIndex = run.next_step;
    try {
      return await deps.em().transactional(async (trx): Promise<StepResult> => {
        const db = trx.getKysely() as Db;
        const current = await lockRun(db, runId);
        // Another worker moved the run on (or it was cancelled) while this one waited for the lock.
        if (!current || current.status !== 'running' || current.next_step !== stepIndex) return 'stop';
        const actionType = deps.registry.get(action.type);
        if (!actionType) throw Object.assign(new Error(`no action type "${action.type}" is registered`), { code: 'UNKNOWN_ACTION' });
        const actor: RecordsActor = { workspaceId: run.workspace_id, userId: run.run_as ?? run.triggered_by ?? '', timeZone: 'UTC', access: fullAccess, requestId: `${RUN_REQUEST_PREFIX}${runId}` };
        if (!actor.userId) throw Object.assign(new Error('the run has no user to act as'), { code: 'NO_ACTOR' });
        const context: ActionContext = {
          runId,
          stepIndex,
          workspaceId: run.workspace_id,
          workflow,
          idempotencyKey: `${runId}:${stepIndex}`,
          records: { em: () => trx, metadata: deps.metadata, logger: deps.logger, ...(deps.recordHooks ? { recordHooks: deps.recordHooks } : {}) },
          actor,
          db,
          mailer: deps.mailer,
          openSecret: (sealed) => deps.openSecret(run.workspace_id, workflow.name, sealed),
          objectName: run.object_name,
          recordId: run.record_id,
          record: run.input.record,
          previous: run.input.previous,
        };
        const outcome = await actionType.execute(action, context);
        await sql`update daicho.workflow_step set status = 'completed', output = ${JSON.stringify(outcome.output ?? null)}, error = null, finished_at = now()
          where run_id = ${runId} and step_index = ${stepIndex}`.execute(db);
        const last = stepIndex + 1 >= workflow.actions.length;
        const status = last ? 'completed' : outcome.waitUntil ? 'waiting' : 'running';
        const resumeAt = outcome.waitUntil && !last ? outcome.waitUntil : null;
        await sql`update daicho.workflow_run set next_step = ${stepIndex + 1}, status = ${status}, resume_at = ${resumeAt}, updated_at = now(), finished_at = ${last ? sql`now()` : null} where id = ${runId}`.execute(db);
        if (outcome.waitUntil && !last) {
          await deps.queue.enqueue(db, { workspaceId: run.workspace_id, runId }, { startAfter: outcome.waitUntil });
          return 'stop';
        }
        return last ? 'stop' : 'next';
      });
    } catch (error) {
      const reason = describeError(error);
      const dead = attempts >= deps.maxAttempts;
      await deps.em().transactional(async (trx) => {
        const db = trx.getKysely() as Db;
        await sql`update daicho.workflow_step set status = ${dead ? 'deadLetter' : 'failed'}, error = ${JSON.stringify({ ...reason, attempt: attempts })}, finished_at = now()
          where run_id = ${runId} and step_index = ${stepIndex}`.execute(db);
        if (dead) {
          await sql`update daicho.workflow_run set status = 'deadLetter', error = ${JSON.stringify({ ...reason, step: stepIndex, attempts })}, finished_at = now(), updated_at = now()
            where id = ${runId} and status = 'running'`.execute(db);
        } else {
          const retryAt = new Date(Date.now() + deps.retryDelaySeconds * 2 ** (attempts - 1) * 1000);
          await sql`update daicho.workflow_run set status = 'queued', resume_at = ${retryAt}, updated_at = now() where id = ${runId} and status = 'running'`.execute(db);
          await deps.queue.enqueue(db, { workspaceId: run.workspace_id, runId }, { startAfter: retryAt });
        }
      });
      deps.logger.warn({ runId, workflow: run.workflow_name, step: stepIndex, attempt: attempts, deadLetter: dead, code: reason.code }, dead ? 'workflow step failed its last attempt; run dead-lettered' : 'workflow step failed; retrying later');
      return 'stop';
    }
  };

  return {
    /** Runs the steps of a run that are due, until it finishes, waits or fails. */
    async execute(job: RunJob): Promise<void> {
      while ((await runStep(job.runId)) === 'next');
    },
  };
}
