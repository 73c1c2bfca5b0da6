import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Kysely } from 'kysely';
import { appendAuditEvent } from '../audit/index.ts';
import { DaichoError, errors } from '../errors/index.ts';
import type { AuthSettings } from './auth-settings.ts';
import { canonicalEmail, canonicalWorkspaceSlug } from './canonical.ts';
import { loginThrottleKeys, recordLoginFailure, recordLoginSuccess, reserveLoginAttempt, type LoginThrottleKeys } from './login-throttle.ts';
import { hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import { deriveKey, readSignedPayload, signPayload } from './secret-box.ts';
import { authenticate, openSession, type SessionKind, type StoredPrincipal } from './sessions.service.ts';
import { verifySecondFactor } from './totp.service.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One message for every failed sign-in, so that it tells nothing about which part was wrong. */
export const loginFailed = () => new DaichoError('UNAUTHENTICATED', 'The workspace, e-mail or password is not correct');

const totpInvalid = () => new DaichoError('TOTP_INVALID', 'The one-time code is not correct or was already used');

// A hash checked when the user does not exist, so that a wrong e-mail costs the same time as a wrong password.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$H802ZnZrjYe9qkX4jQfBWTQtJnmj6Noz-sJrSQ8gzOM';

/**
 * Writes a sign-in's outcome to the audit trail of its workspace (none when the workspace is
 * unknown): who, from where, and for a failure why, in words that do not reach the client.
 */
async function auditSignIn(db: Db, where: { workspaceId: string | undefined; clientAddress: string; requestId?: string | undefined }, kind: 'auth.login' | 'auth.loginFailed' | 'auth.lockout', actorId: string | null, details: Record<string, unknown>): Promise<void> {
  if (!where.workspaceId) return;
  await appendAuditEvent(db, { workspaceId: where.workspaceId, actorId, clientAddress: where.clientAddress, requestId: where.requestId ?? null }, { kind, details });
}

/** Counts a failed attempt, and audits it (and the lock it caused, if any). */
async function failSignIn(db: Db, keys: LoginThrottleKeys, settings: AuthSettings, who: { workspaceId: string | undefined; userId: string | null; email: string; clientAddress: string; requestId?: string | undefined }, reason: string): Promise<void> {
  const { locked } = await recordLoginFailure(db, keys, settings.throttle);
  await auditSignIn(db, who, 'auth.loginFailed', who.userId, { email: who.email, reason });
  if (locked) await auditSignIn(db, who, 'auth.lockout', who.userId, { email: who.email, lockSeconds: settings.throttle.lockSeconds });
}

/** How long the second step of a sign-in may follow the first. */
export const LOGIN_CHALLENGE_SECONDS = 300;

export interface LoginInput {
  workspace: string;
  email: string;
  password: string;
  clientAddress: string;
  /** For the audit trail. */
  requestId?: string;
  sessionKind: SessionKind;
  /** The TOTP code, for a one-step sign-in of a user with a second factor. */
  totpCode?: string;
}

/** Checks the caller supplies (the IP allow-lists live with the API's hooks). */
export interface LoginChecks {
  /**
   * Throws IP_NOT_ALLOWED when the client may not reach the workspace; `roleName` is undefined
   * before the user is known (the workspace's list only), the user's role after.
   */
  assertAddressAllowed(workspaceId: string, roleName: string | null | undefined, clientAddress: string): Promise<void>;
}

export interface SignedIn {
  status: 'signedIn';
  token: string;
  sessionId: string;
  expiresAt: Date;
  principal: StoredPrincipal;
}

export interface TotpRequired {
  status: 'totpRequired';
  challenge: string;
  challengeExpiresAt: Date;
}

interface ChallengePayload {
  purpose: 'login';
  userId: string;
  workspace: string;
  email: string;
  kind: SessionKind;
  expiresAt: number;
  nonce: string;
}

/**
 * Signs a user in with a password. Every attempt is counted per account and per client address
 * before the password is checked (see login-throttle). A user with a confirmed TOTP factor gets
 * a short-lived challenge to answer with a code (or passes `totpCode` at once).
 */
export async function login(em: EntityManager, settings: AuthSettings, checks: LoginChecks, input: LoginInput): Promise<SignedIn | TotpRequired> {
  const db = em.getKysely() as Db;
  const workspaceSlug = canonicalWorkspaceSlug(input.workspace);
  const email = canonicalEmail(input.email);
  const workspace = await db.withSchema('daicho').selectFrom('workspace').select(['id']).where('slug', '=', workspaceSlug).executeTakeFirst();
  // The workspace's own list first: outside it, no password is even checked (and nothing counted).
  if (workspace) await checks.assertAddressAllowed(workspace.id as string, undefined, input.clientAddress);
  const keys = loginThrottleKeys(workspaceSlug, email, input.clientAddress);
  await reserveLoginAttempt(db, keys, settings.throttle);
  const user = workspace
    ? await db.withSchema('daicho').selectFrom('user').select(['id', 'password_hash', 'status', 'workspace_id', 'role_name', 'totp_enabled_at'])
      .where('workspace_id', '=', workspace.id).where('email', '=', email).executeTakeFirst()
    : undefined;
  const valid = await verifyPassword(input.password, (user?.password_hash as string | null) ?? DUMMY_HASH);
  const who = { workspaceId: workspace?.id as string | undefined, userId: (user?.id as string | undefined) ?? null, email, clientAddress: input.clientAddress, requestId: input.requestId };
  if (!user || !valid || user.status !== 'active' || !user.password_hash) {
    await failSignIn(db, keys, settings, who, !user ? 'unknownUser' : user.status !== 'active' ? 'disabled' : 'password');
    throw loginFailed();
  }
  try {
    await checks.assertAddressAllowed(user.workspace_id as string, (user.role_name as string | null) ?? null, input.clientAddress);
  } catch (error) {
    // Right password from a refused address: still a failure, so that the answer is no oracle for guessing.
    await failSignIn(db, keys, settings, who, 'addressNotAllowed');
    throw error;
  }
  if (needsRehash(user.password_hash as string)) {
    await db.withSchema('daicho').updateTable('user').set({ password_hash: await hashPassword(input.password) }).where('id', '=', user.id).execute();
  }
  let secondFactor: Awaited<ReturnType<typeof verifySecondFactor>>;
  if (user.totp_enabled_at !== null) {
    if (input.totpCode === undefined) {
      const expiresAt = Date.now() + LOGIN_CHALLENGE_SECONDS * 1000;
      const payload: ChallengePayload = { purpose: 'login', userId: user.id as string, workspace: workspaceSlug, email, kind: input.sessionKind, expiresAt, nonce: randomBytes(8).toString('base64url') };
      return { status: 'totpRequired', challenge: signPayload(deriveKey(settings.secretKey, 'login-challenge'), payload), challengeExpiresAt: new Date(expiresAt) };
    }
    secondFactor = await verifySecondFactor(em, settings, user.id as string, input.totpCode);
    if (!secondFactor) {
      await failSignIn(db, keys, settings, who, 'totp');
      throw totpInvalid();
    }
  }
  await recordLoginSuccess(db, keys, 1);
  await auditSignIn(db, who, 'auth.login', user.id as string, { method: input.sessionKind, totp: user.totp_enabled_at !== null, ...recoveryDetails(secondFactor) });
  return signIn(em, settings, { id: user.id as string, workspaceId: user.workspace_id as string }, input.sessionKind);
}

export interface CompleteTotpLoginInput {
  challenge: string;
  code: string;
  clientAddress: string;
  requestId?: string;
}

/** The second step of a sign-in: the challenge from the first step and a TOTP code. Counted like the first. */
export async function completeTotpLogin(em: EntityManager, settings: AuthSettings, checks: LoginChecks, input: CompleteTotpLoginInput): Promise<SignedIn> {
  const payload = readSignedPayload(deriveKey(settings.secretKey, 'login-challenge'), input.challenge) as ChallengePayload | undefined;
  if (!payload || payload.purpose !== 'login' || typeof payload.expiresAt !== 'number' || payload.expiresAt < Date.now()) {
    throw new DaichoError('UNAUTHENTICATED', 'The sign-in has expired or is not valid; sign in again');
  }
  const db = em.getKysely() as Db;
  const keys: LoginThrottleKeys = loginThrottleKeys(payload.workspace, payload.email, input.clientAddress);
  await reserveLoginAttempt(db, keys, settings.throttle);
  const user = await db.withSchema('daicho').selectFrom('user').select(['id', 'status', 'workspace_id', 'role_name', 'totp_enabled_at'])
    .where('id', '=', payload.userId).executeTakeFirst();
  const who = { workspaceId: user?.workspace_id as string | undefined, userId: (user?.id as string | undefined) ?? null, email: payload.email, clientAddress: input.clientAddress, requestId: input.requestId };
  if (!user || user.status !== 'active' || user.totp_enabled_at === null) {
    await failSignIn(db, keys, settings, who, 'disabled');
    throw loginFailed();
  }
  await checks.assertAddressAllowed(user.workspace_id as string, (user.role_name as string | null) ?? null, input.clientAddress);
  const secondFactor = await verifySecondFactor(em, settings, user.id as string, input.code);
  if (!secondFactor) {
    await failSignIn(db, keys, settings, who, 'totp');
    throw totpInvalid();
  }
  // Both steps counted one attempt each against the address.
  await recordLoginSuccess(db, keys, 2);
  await auditSignIn(db, who, 'auth.login', user.id as string, { method: payload.kind, totp: true, ...recoveryDetails(secondFactor) });
  return signIn(em, settings, { id: user.id as string, workspaceId: user.workspace_id as string }, payload.kind);
}

/** A sign-in with a recovery code is worth noticing in the audit trail, with how many are left. */
function recoveryDetails(secondFactor: Awaited<ReturnType<typeof verifySecondFactor>>): Record<string, unknown> {
  return secondFactor?.method === 'recoveryCode' ? { recoveryCode: true, recoveryCodesLeft: secondFactor.remaining } : {};
}

async function signIn(em: EntityManager, settings: AuthSettings, user: { id: string; workspaceId: string }, kind: SessionKind): Promise<SignedIn> {
  const session = await openSession(em, settings, user, kind);
  const principal = await authenticate(em, settings, { kind, token: session.token });
  return { status: 'signedIn', ...session, principal: principal! };
}

/**
 * Checks the password of a signed-in user (changing the password, turning TOTP off), counted
 * against the same account and address counters as sign-ins: a stolen session cannot be used to
 * guess the password faster.
 */
export async function verifyCurrentPassword(em: EntityManager, settings: AuthSettings, who: { userId: string; workspaceSlug: string; email: string; clientAddress: string }, password: string, field = 'currentPassword'): Promise<void> {
  const db = em.getKysely() as Db;
  const keys = loginThrottleKeys(who.workspaceSlug, who.email, who.clientAddress);
  await reserveLoginAttempt(db, keys, settings.throttle);
  const user = await db.withSchema('daicho').selectFrom('user').select(['password_hash']).where('id', '=', who.userId).executeTakeFirst();
  if (!(await verifyPassword(password, (user?.password_hash as string | null) ?? DUMMY_HASH)) || !user?.password_hash) {
    await recordLoginFailure(db, keys, settings.throttle);
    throw errors.validationFailed([{ path: `/${field}`, code: 'incorrect', message: 'is not your current password' }], 'The current password is not correct');
  }
  await recordLoginSuccess(db, keys, 1);
}
