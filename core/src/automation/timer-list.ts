import type { Kysely } from 'kysely';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A timer as the API shows it. */
export interface AutomationTimer {
  id: string;
  kind: string;
  definition: string;
  definitionVersion: number;
  object: string;
  recordId: string;
  slot: number;
  dueAt: string | null;
  state: string;
  runId: string | null;
  firedAt: string | null;
}

export interface TimerListQuery {
  definition?: string;
  recordId?: string;
  state?: string;
  limit: number;
}

const iso = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string).toISOString());

/** A workspace's timers, soonest first (pending ones by due time). */
export async function listTimers(db: Db, workspaceId: string, query: TimerListQuery): Promise<AutomationTimer[]> {
  let statement = db.withSchema('daicho').selectFrom('automation_timer').selectAll().where('workspace_id', '=', workspaceId);
  if (query.definition) statement = statement.where('definition_name', '=', query.definition);
  if (query.recordId) statement = statement.where('record_id', '=', query.recordId);
  if (query.state) statement = statement.where('state', '=', query.state);
  const rows = await statement.orderBy('due_at').orderBy('slot').limit(query.limit).execute();
  return rows.map((row) => ({
    id: row.id as string,
    kind: row.kind as string,
    definition: row.definition_name as string,
    definitionVersion: Number(row.definition_version),
    object: row.object_name as string,
    recordId: row.record_id as string,
    slot: Number(row.slot),
    dueAt: iso(row.due_at),
    state: row.state as string,
    runId: (row.run_id as string | null) ?? null,
    firedAt: iso(row.fired_at),
  }));
}
