import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccessResolver } from '../access/index.ts';
import type { SessionAuthenticator } from '../auth/index.ts';
import type { Logger } from '../log/index.ts';
import type { MetadataActor, MetadataCache, ObjectChangeResult } from '../metadata/index.ts';

/** What the API routers need: the same services the domains take, plus settings. */
export interface ApiDeps {
  em: () => EntityManager;
  metadata: MetadataCache;
  sessions: SessionAuthenticator;
  /** Each principal's permissions, per workspace metadata version. */
  access: AccessResolver;
  logger: Logger;
  /** Deleted fields keep their columns this many days before a purge drops them. */
  fieldRetentionDays: number;
  /** Largest bulk-import body, in bytes. */
  importLimitBytes: number;
  /** Runs after each committed definition change (see MetadataDeps.afterObjectChange). */
  afterObjectChange?: (actor: MetadataActor, result: ObjectChangeResult) => Promise<void>;
}
