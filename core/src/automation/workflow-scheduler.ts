import type { ScheduleTrigger, WorkflowDefinition } from '@daicho/sdk';
import { Cron } from 'croner';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type Kysely } from 'kysely';
import type { Logger } from '../log/index.ts';
import type { MetadataCache, StoredDefinition } from '../metadata/index.ts';
import type { RunQueue } from './run-queue.ts';
import { insertRun } from './workflow-runs.repository.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The next time a cron expression fires after `from`, in its time zone; throws when it does not parse. */
export function nextCronTime(trigger: Pick<ScheduleTrigger, 'cron' | 'timeZone'>, from: Date): Date | null {
  return new Cron(trigger.cron, { timezone: trigger.timeZone, paused: true }).nextRun(from);
}

/** Plans (or unplans) a workflow's next scheduled run, in the transaction that saves it. */
export async function planSchedule(db: Db, workspaceId: string, workflow: StoredDefinition<WorkflowDefinition>, now = new Date()): Promise<void> {
  const trigger = workflow.body.trigger;
  const next = trigger.type === 'schedule' && workflow.body.enabled !== false && !workflow.deletedAt ? nextCronTime(trigger, now) : null;
  if (!next) {
    await sql`delete from daicho.workflow_schedule where definition_id = ${workflow.id}`.execute(db);
    return;
  }
  await sql`insert into daicho.workflow_schedule (definition_id, workspace_id, workflow_version, next_at) values (${workflow.id}, ${workspaceId}, ${workflow.version}, ${next})
    on conflict (definition_id) do update set workflow_version = excluded.workflow_version, next_at = excluded.next_at`.execute(db);
}

/**
 * Starts runs of scheduled workflows that are due. Every node runs it; each due schedule is
 * claimed by one (`for update skip locked`) and moved to its next time in the same transaction
 * as its run, so a time fires once.
 */
export function createWorkflowScheduler(deps: { em: () => EntityManager; metadata: MetadataCache; logger: Logger; queue: RunQueue }) {
  return {
    async fireDue(now = new Date()): Promise<number> {
      return deps.em().transactional(async (trx) => {
        const db = trx.getKysely() as Db;
        const { rows } = await sql<{ definition_id: string; workspace_id: string; next_at: Date }>`select definition_id, workspace_id, next_at from daicho.workflow_schedule
          where next_at <= ${now} order by next_at limit 100 for update skip locked`.execute(db);
        for (const row of rows) {
          const metadata = await deps.metadata.get(row.workspace_id);
          const workflow = [...metadata.workflows.values()].find((candidate) => candidate.id === row.definition_id);
          if (!workflow || workflow.body.trigger.type !== 'schedule' || workflow.body.enabled === false) {
            await sql`delete from daicho.workflow_schedule where definition_id = ${row.definition_id}`.execute(db);
            continue;
          }
          await insertRun(db, deps.queue, {
            workspaceId: row.workspace_id, workflow, trigger: 'schedule', objectName: null, recordId: null, triggeredBy: null,
            input: { record: null, previous: null, scheduledAt: new Date(row.next_at).toISOString() },
          });
          // Missed times (the platform was down) fire once, not once each.
          await planSchedule(db, row.workspace_id, workflow, now);
        }
        return rows.length;
      });
    },
  };
}
