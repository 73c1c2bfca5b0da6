import type { EntityManager } from '@mikro-orm/postgresql';
import type { Kysely } from 'kysely';

/**
 * What an audit event records. A kind is a stable string: it is stored, hashed into the chain
 * and filtered on, so a kind never changes its meaning and is never renamed.
 */
export const auditKinds = [
  'record.create',
  'record.update',
  'record.delete',
  'record.restore',
  'record.purge',
  'definition.change',
  'permission.change',
  'auth.login',
  'auth.loginFailed',
  'auth.lockout',
  'auth.reset',
  'export',
  'plugin.install',
  'plugin.denied',
  'plugin.consent',
  'plugin.enable',
  'plugin.disable',
  'plugin.upgrade',
  'plugin.uninstall',
  'plugin.purge',
  'plugin.settings',
] as const;

export type AuditKind = (typeof auditKinds)[number];

export function isAuditKind(value: unknown): value is AuditKind {
  return (auditKinds as readonly unknown[]).includes(value);
}

/** Who did it, from where, in which request: the same for every event a request writes. */
export interface AuditContext {
  workspaceId: string;
  /** The user (or API token's user) acting; absent for the platform itself and failed sign-ins. */
  actorId?: string | null;
  /** The client's IP address as the server saw it. */
  clientAddress?: string | null;
  /** The request id (`X-Request-Id`), which also appears on the access log line. */
  requestId?: string | null;
}

/** A field's value before and after a change, in API shape. `before` is null on create. */
export interface FieldChange {
  before: unknown;
  after: unknown;
}

/** Per-field changes of a record, by field name: only fields whose value changed. */
export type FieldChanges = Record<string, FieldChange>;

/** One event to append. */
export interface AuditEventInput {
  kind: AuditKind;
  objectName?: string | null;
  recordId?: string | null;
  changes?: FieldChanges | null;
  /** Anything else worth keeping, as JSON (a definition's version and diff, an import's size, …). */
  details?: Record<string, unknown> | null;
}

/** A stored event, as the read functions return it. */
export interface AuditEvent {
  /** Increasing in the order events were written; the key of keyset pages. */
  id: string;
  /** Its place in the workspace's hash chain; null until the sealer reaches it. */
  position: number | null;
  occurredAt: string;
  kind: string;
  actorId: string | null;
  clientAddress: string | null;
  requestId: string | null;
  objectName: string | null;
  recordId: string | null;
  changes: FieldChanges | null;
  details: Record<string, unknown> | null;
}

/** A Kysely instance or transaction (e.g. `em.getKysely()` inside `em.transactional`). */
export type AuditDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Where events are written: a Kysely (transaction) or an entity manager (inside `transactional`, its transaction). */
export type AuditWriter = AuditDb | EntityManager;

export function kyselyOfWriter(writer: AuditWriter): AuditDb {
  return 'getKysely' in writer ? (writer.getKysely() as AuditDb) : writer;
}
