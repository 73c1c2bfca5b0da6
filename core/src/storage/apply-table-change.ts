import { sql, type Kysely } from 'kysely';
import { ddlPhases, type DdlStep } from './plan-table-change.ts';

/** The longest a DDL statement waits for a lock before the change fails (instead of queueing). */
export const DDL_LOCK_TIMEOUT = '5s';

/**
 * Runs the transactional steps of one or more plans, phase by phase, inside `trx`. A short
 * lock_timeout makes a change fail fast rather than queue behind a long transaction (and block
 * every query queued behind it). Returns the steps to run after commit.
 */
export async function applyTableChanges(trx: Kysely<unknown>, steps: readonly DdlStep[]): Promise<DdlStep[]> {
  await sql`set local lock_timeout = ${sql.lit(DDL_LOCK_TIMEOUT)}`.execute(trx);
  for (const phase of ddlPhases) {
    if (phase === 'concurrent') continue;
    for (const step of steps) {
      if (step.phase === phase) await step.statement.execute(trx);
    }
  }
  return steps.filter((step) => step.phase === 'concurrent');
}

/**
 * Runs post-commit steps (concurrent index builds) one by one, outside any transaction. A failed
 * build leaves an INVALID index behind in PostgreSQL; the caller learns which step failed.
 */
export async function applyConcurrentSteps(db: Kysely<unknown>, steps: readonly DdlStep[]): Promise<{ failed: Array<{ step: DdlStep; error: Error }> }> {
  const failed: Array<{ step: DdlStep; error: Error }> = [];
  for (const step of steps) {
    try {
      await step.statement.execute(db);
    } catch (error) {
      failed.push({ step, error: error as Error });
    }
  }
  return { failed };
}

/** Creates the workspace's schema (and, where the server allows it, the trigram extension for search). */
export async function ensureWorkspaceSchema(trx: Kysely<unknown>, schema: string): Promise<void> {
  await sql`create schema if not exists ${sql.id(schema)}`.execute(trx);
}
