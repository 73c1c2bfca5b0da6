import type { RecordHookEvent } from '@daicho/sdk';
import type { Db, RecordsActor, RecordsDeps } from './records-context.ts';

/** What a record hook is told about one write. */
export interface RecordHookCall {
  object: string;
  event: RecordHookEvent;
  /** The record as it will be written (before*) or as it was written (after*), in API shape. */
  record: Record<string, unknown>;
  /** The stored record before an update or delete; null for creates. */
  previous: Record<string, unknown> | null;
  /** On whose behalf the write runs. */
  actor: RecordsActor;
  /** The write's transaction: what a hook writes through it commits (or rolls back) with the write. */
  db: Db;
  /** Records services bound to the write's transaction. */
  records: RecordsDeps;
}

/** What a before-hook may answer: values to set (validated again), or problems that refuse the write. */
export interface RecordHookOutcome {
  set?: Record<string, unknown>;
  problems?: Array<{ field: string; message: string }>;
}

/**
 * One registration. `before*` events run inside the write's transaction after validation;
 * `after*` events run inside it after the write, and should only queue durable work (the
 * transaction is the write's: a slow after-hook slows the write).
 */
export interface RecordHook {
  /** The workspace whose writes it sees (a plugin is installed per workspace). */
  workspaceId: string;
  object: string;
  events: readonly RecordHookEvent[];
  run(call: RecordHookCall): Promise<RecordHookOutcome | null | undefined | void>;
}

/** The records domain's extension point for code that runs around writes (plugins register here). */
export interface RecordHookRegistry {
  /** Registers a hook; returns a disposer that removes it. */
  register(hook: RecordHook): () => void;
  /** The hooks of one object and event in a workspace, in registration order. */
  hooksFor(workspaceId: string, object: string, event: RecordHookEvent): RecordHook[];
  /** Whether any hook is registered on the object (such writes take the transactional path). */
  has(workspaceId: string, object: string): boolean;
  /** Every registration, for checks that a disposer removed what it added. */
  all(): RecordHook[];
}

export function createRecordHookRegistry(): RecordHookRegistry {
  const hooks: RecordHook[] = [];
  return {
    register(hook) {
      const entry = { ...hook, events: [...hook.events] };
      hooks.push(entry);
      return () => {
        const index = hooks.indexOf(entry);
        if (index >= 0) hooks.splice(index, 1);
      };
    },
    hooksFor: (workspaceId, object, event) => hooks.filter((hook) => hook.workspaceId === workspaceId && hook.object === object && hook.events.includes(event)),
    has: (workspaceId, object) => hooks.some((hook) => hook.workspaceId === workspaceId && hook.object === object),
    all: () => [...hooks],
  };
}

/** Runs the after-hooks of a write, in its transaction. */
export async function runAfterHooks(deps: RecordsDeps, db: Db, call: Omit<RecordHookCall, 'db' | 'records'> & { event: 'afterCreate' | 'afterUpdate' | 'afterDelete' }, bound: RecordsDeps): Promise<void> {
  for (const hook of deps.recordHooks?.hooksFor(call.actor.workspaceId, call.object, call.event) ?? []) await hook.run({ ...call, db, records: bound });
}
