import type { EntityManager } from '@mikro-orm/postgresql';
import type { Kysely } from 'kysely';
import type { Logger } from '../log/index.ts';
import type { MetadataCache } from '../metadata/index.ts';

/** What the records services need from the runtime. */
export interface RecordsDeps {
  em: () => EntityManager;
  metadata: MetadataCache;
  logger: Logger;
}

/** On whose behalf, in which workspace, records are read or written. */
export interface RecordsActor {
  workspaceId: string;
  userId: string;
  /** IANA time zone for relative dates and formulas (e.g. Asia/Tokyo). */
  timeZone: string;
  /** The client's address, for the audit trail. */
  clientAddress?: string;
  /** The request's id, for the audit trail (and to find its access log line). */
  requestId?: string;
}

export type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function kyselyOf(em: EntityManager): Db {
  return em.getKysely() as Db;
}
