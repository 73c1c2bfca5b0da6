import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type Kysely } from 'kysely';
import { generateUuidV7 } from '../db/index.ts';
import type { AuthSettings } from './auth-settings.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** How a request proved who it is. */
export type AuthMethod = 'session' | 'cookie' | 'token';

/** Who a request acts for. */
export interface Principal {
  workspaceId: string;
  workspaceSlug: string;
  userId: string;
  email: string;
  displayName: string;
  /** The admin capability (designing objects, managing users). An API token has it only when made as an admin token by an admin. */
  isAdmin: boolean;
  /** The effective role of this request: the user's role for sessions, the token's role for API tokens. */
  roleName: string | null;
  locale: string;
  timeZone: string;
  /** The session's id, or the API token's id when `authMethod` is `token`. */
  sessionId: string;
  /** `session`: a bearer session token; `cookie`: the browser's session cookie; `token`: an API token (`dct_…`). */
  authMethod: AuthMethod;
  /** The client's address (trusted proxies taken into account). */
  clientAddress: string;
  /** Whether the user has a confirmed TOTP second factor. */
  totpEnabled: boolean;
}

/** A principal before it is bound to a request's client address: what caches hold. */
export type StoredPrincipal = Omit<Principal, 'clientAddress'>;

/** The kinds of session a sign-in can open. */
export type SessionKind = 'bearer' | 'cookie';

/** A credential as presented by a request. */
export interface Credential {
  kind: SessionKind;
  token: string;
}

/** API tokens carry this prefix, so that they are told apart from session tokens (and found by secret scanners). */
export const API_TOKEN_PREFIX = 'dct_';

export const tokenDigest = (token: string) => createHash('sha256').update(token).digest('hex');

const principalColumns = ['u.id as user_id', 'u.email', 'u.display_name', 'u.is_admin', 'u.role_name', 'u.locale', 'u.time_zone', 'u.status', 'u.totp_enabled_at', 'w.id as workspace_id', 'w.slug'] as const;

function principalFromRow(row: Record<string, unknown>, sessionId: string, authMethod: AuthMethod): StoredPrincipal {
  return {
    workspaceId: row.workspace_id as string,
    workspaceSlug: row.slug as string,
    userId: row.user_id as string,
    email: row.email as string,
    displayName: row.display_name as string,
    isAdmin: Boolean(row.is_admin),
    roleName: (row.role_name as string | null) ?? null,
    locale: row.locale as string,
    timeZone: row.time_zone as string,
    sessionId,
    authMethod,
    totpEnabled: row.totp_enabled_at !== null,
  };
}

/** Opens a session for a user whose credentials were checked; returns its secret token (stored hashed). */
export async function openSession(em: EntityManager, settings: AuthSettings, user: { id: string; workspaceId: string }, kind: SessionKind): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const sessionId = generateUuidV7();
  const expiresAt = new Date(Date.now() + settings.sessionAbsoluteHours * 3_600_000);
  await (em.getKysely() as Db).withSchema('daicho').insertInto('session')
    .values({ id: sessionId, workspace_id: user.workspaceId, user_id: user.id, token_hash: tokenDigest(token), expires_at: expiresAt, kind })
    .execute();
  return { token, sessionId, expiresAt };
}

/**
 * The principal of a live credential, or undefined: a session token of the given kind (not
 * revoked, not past its absolute expiry, used within the idle time) or an API token. Touches
 * the session's or token's last use at most once a minute.
 */
export async function authenticate(em: EntityManager, settings: AuthSettings, credential: Credential): Promise<StoredPrincipal | undefined> {
  if (credential.kind === 'bearer' && credential.token.startsWith(API_TOKEN_PREFIX)) return authenticateApiToken(em, credential.token);
  const db = em.getKysely() as Db;
  const row = await db.withSchema('daicho').selectFrom('session as s')
    .innerJoin('user as u', 'u.id', 's.user_id').innerJoin('workspace as w', 'w.id', 's.workspace_id')
    .select(['s.id as session_id', 's.last_seen_at', 's.kind', ...principalColumns])
    .where('s.token_hash', '=', tokenDigest(credential.token)).where('s.revoked_at', 'is', null).where('s.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!row || row.status !== 'active' || row.kind !== credential.kind) return undefined;
  // The driver may hand timestamps over as text; Date reads both.
  const lastSeen = new Date(row.last_seen_at as Date | string);
  if (Date.now() - lastSeen.getTime() > settings.sessionIdleMinutes * 60_000) return undefined;
  // Touch at most once a minute: a session in use should not write on every request.
  if (Date.now() - lastSeen.getTime() > 60_000) {
    await db.withSchema('daicho').updateTable('session').set({ last_seen_at: sql`now()` }).where('id', '=', row.session_id).execute();
  }
  return principalFromRow(row, row.session_id as string, credential.kind === 'cookie' ? 'cookie' : 'session');
}

/**
 * An API token acts with its own role. It works only while its creator is active and still
 * holds what the token holds: the same role (or the admin capability), and the admin capability
 * for an admin token. A token never outlives a demotion of its creator.
 */
async function authenticateApiToken(em: EntityManager, token: string): Promise<StoredPrincipal | undefined> {
  const db = em.getKysely() as Db;
  const row = await db.withSchema('daicho').selectFrom('api_token as t')
    .innerJoin('user as u', 'u.id', 't.user_id').innerJoin('workspace as w', 'w.id', 't.workspace_id')
    .select(['t.id as token_id', 't.role_name as token_role', 't.is_admin as token_admin', 't.last_used_at', ...principalColumns])
    .where('t.token_hash', '=', tokenDigest(token)).where('t.revoked_at', 'is', null).where('t.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!row || row.status !== 'active') return undefined;
  const creatorAdmin = Boolean(row.is_admin);
  if (row.token_admin && !creatorAdmin) return undefined;
  if (!creatorAdmin && (row.token_role ?? null) !== (row.role_name ?? null)) return undefined;
  const lastUsed = row.last_used_at === null ? undefined : new Date(row.last_used_at as Date | string);
  if (!lastUsed || Date.now() - lastUsed.getTime() > 60_000) {
    await db.withSchema('daicho').updateTable('api_token').set({ last_used_at: sql`now()` }).where('id', '=', row.token_id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]))
      .execute();
  }
  return {
    ...principalFromRow(row, row.token_id as string, 'token'),
    isAdmin: Boolean(row.token_admin),
    roleName: (row.token_role as string | null) ?? null,
    // A second factor guards sign-in; a token is already past it.
    totpEnabled: row.totp_enabled_at !== null,
  };
}

export async function revokeSession(em: EntityManager, sessionId: string): Promise<void> {
  await (em.getKysely() as Db).withSchema('daicho').updateTable('session').set({ revoked_at: sql`now()` })
    .where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
}

/** Revokes every live session of a user, except `keepSessionId` when given; returns how many. */
export async function revokeUserSessions(em: EntityManager, userId: string, keepSessionId?: string): Promise<number> {
  let query = (em.getKysely() as Db).withSchema('daicho').updateTable('session').set({ revoked_at: sql`now()` })
    .where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (keepSessionId !== undefined) query = query.where('id', '<>', keepSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
