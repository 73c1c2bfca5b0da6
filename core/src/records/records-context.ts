import type { FieldAccess, ObjectAction } from '@daicho/sdk';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Kysely } from 'kysely';
import type { Logger } from '../log/index.ts';
import type { MetadataCache } from '../metadata/index.ts';
import type { ValidFilter } from '../query/index.ts';
import type { RecordHookRegistry } from './record-hooks.ts';

/** What the records services need from the runtime. */
export interface RecordsDeps {
  em: () => EntityManager;
  metadata: MetadataCache;
  logger: Logger;
  /** Code that runs around writes (plugins' record hooks); none when absent. */
  recordHooks?: RecordHookRegistry;
}

/** On whose behalf, in which workspace, records are read or written. */
export interface RecordsActor {
  workspaceId: string;
  userId: string;
  /** IANA time zone for relative dates and formulas (e.g. Asia/Tokyo). */
  timeZone: string;
  /** What the actor may do; every records service enforces it. */
  access: RecordAccess;
  /** The client's address, for the audit trail. */
  clientAddress?: string;
  /** The request's id, for the audit trail (and to find its access log line). */
  requestId?: string;
}

/**
 * An actor's permissions as the records domain asks for them. The access domain computes one
 * per user and role from permission sets, roles and sharing rules; platform jobs use
 * {@link fullAccess}.
 */
export interface RecordAccess {
  /** Whether the actor may do `action` to the object's records at all. */
  allows(objectName: string, action: ObjectAction): boolean;
  /** Access to one (non-system) field: none means absent on every path. */
  fieldAccess(objectName: string, fieldName: string): FieldAccess;
  /**
   * Which records the actor may read (`read`) or change and delete (`write`): undefined when
   * every record of the object is in scope.
   */
  recordScope(objectName: string, mode: 'read' | 'write'): RecordScope | undefined;
}

/** Records in scope: owned by one of `ownerIds`, or matching one of `filters`. */
export interface RecordScope {
  ownerIds: readonly string[];
  /** Filters validated for the object against the whole catalog (sharing rules). */
  filters: readonly ValidFilter[];
}

/** Everything on every record: for the platform's own work (roll-up refreshes, jobs, imports of definitions). */
export const fullAccess: RecordAccess = {
  allows: () => true,
  fieldAccess: () => 'edit',
  recordScope: () => undefined,
};

export type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function kyselyOf(em: EntityManager): Db {
  return em.getKysely() as Db;
}
