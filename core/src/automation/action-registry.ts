import type { WorkflowAction, WorkflowDefinition } from '@daicho/sdk';
import type { Kysely } from 'kysely';
import type { InputProblem } from '../errors/index.ts';
import type { WorkspaceMetadata } from '../metadata/index.ts';
import type { RecordsActor, RecordsDeps } from '../records/index.ts';
import type { Mailer } from './mailer.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The record a run works on, as the change left it, and as it was before. */
export interface RunRecordState {
  objectName: string | null;
  recordId: string | null;
  /** The record after the change (as deleted, for deletions); null for scheduled runs. */
  record: Record<string, unknown> | null;
  previous: Record<string, unknown> | null;
}

/** What an action sees when it runs as one step of a run. */
export interface ActionContext extends RunRecordState {
  runId: string;
  stepIndex: number;
  workspaceId: string;
  workflow: WorkflowDefinition;
  /** `<run id>:<step index>`: the same on every attempt of the step, for outside systems to deduplicate. */
  idempotencyKey: string;
  /** Records services bound to the step's transaction: what they write commits with the step's completion. */
  records: RecordsDeps;
  /** The workflow's actor: the user who saved the workflow version, with full access. */
  actor: RecordsActor;
  /** The step's transaction. */
  db: Db;
  mailer: Mailer | undefined;
  /** Opens a webhook secret sealed at save. */
  openSecret(sealed: string): string | undefined;
}

/** What a step produced: kept as its output; `waitUntil` pauses the run until then. */
export interface ActionOutcome {
  output?: unknown;
  waitUntil?: Date;
}

/** What save-time checks of an action know. */
export interface ActionCheckScope {
  metadata: WorkspaceMetadata;
  /** The object the workflow's trigger is on; undefined for scheduled workflows. */
  objectName: string | undefined;
}

/** What the dry run gives an action: the record, nothing to write with. */
export interface DryRunContext extends RunRecordState {
  workspaceId: string;
  metadata: WorkspaceMetadata;
  now: Date;
}

/**
 * An action type: built-in ones and plugins' register the same way. `execute` runs inside the
 * step's transaction; an effect outside the database (mail, HTTP) should be keyed by
 * `context.idempotencyKey`, since a step may run again after a crash.
 */
export interface WorkflowActionType<A extends WorkflowAction = WorkflowAction> {
  type: string;
  /** Problems with the action's references (fields, objects), as JSON pointers relative to the action. */
  check?(action: A, scope: ActionCheckScope): InputProblem[];
  execute(action: A, context: ActionContext): Promise<ActionOutcome>;
  /** What the action would do, without doing it. */
  describe(action: A, context: DryRunContext): Promise<unknown> | unknown;
}

/** The extension point for action types (built-in actions and plugins' alike). */
export interface ActionRegistry {
  /** Registers an action type; returns a disposer that removes it. */
  register<A extends WorkflowAction>(actionType: WorkflowActionType<A>): () => void;
  get(type: string): WorkflowActionType | undefined;
  types(): string[];
}

export function createActionRegistry(): ActionRegistry {
  const types = new Map<string, WorkflowActionType>();
  return {
    register(actionType) {
      if (types.has(actionType.type)) throw new Error(`the workflow action type "${actionType.type}" is registered already`);
      types.set(actionType.type, actionType as unknown as WorkflowActionType);
      return () => {
        if (types.get(actionType.type) === (actionType as unknown)) types.delete(actionType.type);
      };
    },
    get: (type) => types.get(type),
    types: () => [...types.keys()],
  };
}
