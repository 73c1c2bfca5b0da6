import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type Kysely } from 'kysely';
import { generateUuidV7 } from '../db/index.ts';
import { DaichoError } from '../errors/index.ts';
import { verifyPassword } from './passwords.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Who a request acts for. */
export interface Principal {
  workspaceId: string;
  workspaceSlug: string;
  userId: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
  locale: string;
  timeZone: string;
  sessionId: string;
}

/** Sessions last this long without use… */
export const SESSION_IDLE_HOURS = 12;
/** …and never longer than this. */
export const SESSION_ABSOLUTE_DAYS = 14;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** One message for every failed login, so that it tells nothing about which part was wrong. */
const loginFailed = () => new DaichoError('UNAUTHENTICATED', 'The workspace, e-mail or password is not correct');

// A hash computed when the user does not exist, so that a wrong e-mail costs the same time as a wrong password.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$H802ZnZrjYe9qkX4jQfBWTQtJnmj6Noz-sJrSQ8gzOM';

export interface LoginInput {
  workspace: string;
  email: string;
  password: string;
}

/** Checks credentials and opens a session; returns the bearer token (shown once, stored hashed). */
export async function login(em: EntityManager, input: LoginInput): Promise<{ token: string; expiresAt: Date; principal: Principal }> {
  const db = em.getKysely() as Db;
  const user = await db.withSchema('daicho').selectFrom('user as u').innerJoin('workspace as w', 'w.id', 'u.workspace_id')
    .select(['u.id', 'u.password_hash', 'u.status', 'u.workspace_id'])
    .where('w.slug', '=', input.workspace).where('u.email', '=', input.email.trim().toLowerCase()).executeTakeFirst();
  const valid = await verifyPassword(input.password, user?.password_hash ?? DUMMY_HASH);
  if (!user || !valid || user.status !== 'active' || !user.password_hash) throw loginFailed();
  const token = randomBytes(32).toString('base64url');
  const id = generateUuidV7();
  const expiresAt = new Date(Date.now() + SESSION_ABSOLUTE_DAYS * 86_400_000);
  await db.withSchema('daicho').insertInto('session').values({ id, workspace_id: user.workspace_id, user_id: user.id, token_hash: digest(token), expires_at: expiresAt }).execute();
  const principal = await authenticate(em, token);
  return { token, expiresAt, principal: principal! };
}

/** The principal of a live session token, or undefined. Touches the session's last use. */
export async function authenticate(em: EntityManager, token: string): Promise<Principal | undefined> {
  const db = em.getKysely() as Db;
  const row = await db.withSchema('daicho').selectFrom('session as s')
    .innerJoin('user as u', 'u.id', 's.user_id').innerJoin('workspace as w', 'w.id', 's.workspace_id')
    .select(['s.id as session_id', 's.last_seen_at', 'u.id as user_id', 'u.email', 'u.display_name', 'u.is_admin', 'u.locale', 'u.time_zone', 'u.status', 'w.id as workspace_id', 'w.slug'])
    .where('s.token_hash', '=', digest(token)).where('s.revoked_at', 'is', null).where('s.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!row || row.status !== 'active') return undefined;
  // The driver may hand timestamps over as text; Date reads both.
  const lastSeen = new Date(row.last_seen_at as Date | string);
  if (Date.now() - lastSeen.getTime() > SESSION_IDLE_HOURS * 3_600_000) return undefined;
  // Touch at most once a minute: a session in use should not write on every request.
  if (Date.now() - lastSeen.getTime() > 60_000) {
    await db.withSchema('daicho').updateTable('session').set({ last_seen_at: sql`now()` }).where('id', '=', row.session_id).execute();
  }
  return {
    workspaceId: row.workspace_id as string,
    workspaceSlug: row.slug as string,
    userId: row.user_id as string,
    email: row.email as string,
    displayName: row.display_name as string,
    isAdmin: Boolean(row.is_admin),
    locale: row.locale as string,
    timeZone: row.time_zone as string,
    sessionId: row.session_id as string,
  };
}

export async function revokeSession(em: EntityManager, sessionId: string): Promise<void> {
  await (em.getKysely() as Db).withSchema('daicho').updateTable('session').set({ revoked_at: sql`now()` }).where('id', '=', sessionId).execute();
}
