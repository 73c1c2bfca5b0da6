import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type Kysely } from 'kysely';
import { generateUuidV7 } from '../db/index.ts';
import { errors, type InputProblem } from '../errors/index.ts';
import type { Workspace } from '../workspaces/index.ts';
import { canonicalEmail } from './canonical.ts';
import { assertPasswordPolicy, defaultPasswordPolicy, type PasswordPolicy } from './password-policy.ts';
import { generatePassword, hashPassword } from './passwords.ts';
import { isRoleName } from './role-name.ts';
import { UserSchema, type User } from './user.entity.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const userLocales = ['ja', 'en'] as const;
export type UserLocale = (typeof userLocales)[number];

export interface CreateUserOptions {
  workspace: Workspace;
  email: string;
  displayName: string;
  /** Checked against the password policy; none: the user cannot sign in with a password. */
  password?: string;
  locale?: UserLocale;
  timeZone?: string;
  roleName?: string | null;
  isAdmin?: boolean;
  passwordPolicy?: PasswordPolicy;
}

/** A user as the users API shows it. */
export interface UserInfo {
  id: string;
  email: string;
  displayName: string;
  locale: string;
  timeZone: string;
  roleName: string | null;
  isAdmin: boolean;
  status: 'active' | 'disabled';
  totpEnabled: boolean;
  createdAt: string;
  updatedAt: string;
}

const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/** The canonical name of an IANA time zone, or undefined. */
export function canonicalTimeZone(name: string): string | undefined {
  if (name.length === 0 || name.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(name)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Creates a user in a workspace. E-mail addresses are stored in canonical form (NFKC, trimmed, lower-cased). */
export async function createUser(em: EntityManager, options: CreateUserOptions): Promise<User> {
  const email = canonicalEmail(options.email);
  const problems: InputProblem[] = [];
  if (!EMAIL_PATTERN.test(email) || email.length > 320) problems.push({ path: '/email', code: 'format', message: 'is not an e-mail address' });
  const displayName = options.displayName.trim();
  if (displayName.length === 0 || displayName.length > 200) problems.push({ path: '/displayName', code: 'required', message: 'is required (1–200 characters)' });
  const timeZone = options.timeZone === undefined ? options.workspace.timeZone : canonicalTimeZone(options.timeZone);
  if (timeZone === undefined) problems.push({ path: '/timeZone', code: 'timeZone', message: 'is not an IANA time zone' });
  if (options.roleName !== undefined && options.roleName !== null && !isRoleName(options.roleName)) problems.push({ path: '/roleName', code: 'pattern', message: 'is not a role name' });
  if (problems.length > 0) throw errors.validationFailed(problems);
  if (options.password !== undefined) assertPasswordPolicy(options.password, options.passwordPolicy ?? defaultPasswordPolicy, { email });
  if (await em.findOne(UserSchema, { workspace: options.workspace, email })) {
    throw errors.conflict(`A user with e-mail "${email}" already exists in this workspace`, { email });
  }
  const user = em.create(UserSchema, {
    id: generateUuidV7(),
    workspace: options.workspace,
    email,
    displayName,
    passwordHash: options.password === undefined ? null : await hashPassword(options.password),
    locale: options.locale ?? options.workspace.defaultLocale,
    timeZone: timeZone!,
    roleName: options.roleName ?? null,
    isAdmin: options.isAdmin ?? false,
    status: 'active',
  });
  await em.flush();
  return user;
}

/** A password that meets any policy whose minimum is at most 20 characters, for a user's first sign-in. */
export function generateInitialPassword(policy: PasswordPolicy): string {
  return generatePassword(Math.max(20, policy.minLength));
}

const userColumns = ['id', 'email', 'display_name', 'locale', 'time_zone', 'role_name', 'is_admin', 'status', 'totp_enabled_at', 'created_at', 'updated_at'] as const;

function userInfo(row: Record<string, unknown>): UserInfo {
  return {
    id: row.id as string,
    email: row.email as string,
    displayName: row.display_name as string,
    locale: row.locale as string,
    timeZone: row.time_zone as string,
    roleName: (row.role_name as string | null) ?? null,
    isAdmin: Boolean(row.is_admin),
    status: row.status as 'active' | 'disabled',
    totpEnabled: row.totp_enabled_at !== null,
    createdAt: new Date(row.created_at as string).toISOString(),
    updatedAt: new Date(row.updated_at as string).toISOString(),
  };
}

export async function listUsers(em: EntityManager, workspaceId: string): Promise<UserInfo[]> {
  const rows = await (em.getKysely() as Db).withSchema('daicho').selectFrom('user').select([...userColumns])
    .where('workspace_id', '=', workspaceId).orderBy('email').execute();
  return rows.map(userInfo);
}

export async function findUser(em: EntityManager, workspaceId: string, userId: string): Promise<UserInfo | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return undefined;
  const row = await (em.getKysely() as Db).withSchema('daicho').selectFrom('user').select([...userColumns])
    .where('workspace_id', '=', workspaceId).where('id', '=', userId).executeTakeFirst();
  return row && userInfo(row);
}

/** What an admin may change on a user; what a user may change on themselves is the profile part. */
export interface UserChanges {
  displayName?: string;
  locale?: UserLocale;
  timeZone?: string;
  roleName?: string | null;
  status?: 'active' | 'disabled';
}

const profileKeys = ['displayName', 'locale', 'timeZone'] as const;
const adminKeys = [...profileKeys, 'roleName', 'status'] as const;

/**
 * Reads a PATCH body of user changes: only known keys (`profileOnly` allows display name, locale
 * and time zone), each checked; unknown keys are refused rather than ignored.
 */
export function parseUserChanges(body: unknown, profileOnly: boolean): UserChanges {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw errors.validationFailed([{ path: '', code: 'type', message: 'must be an object' }]);
  const allowed: readonly string[] = profileOnly ? profileKeys : adminKeys;
  const problems: InputProblem[] = [];
  const changes: UserChanges = {};
  for (const [key, value] of Object.entries(body)) {
    const path = `/${key}`;
    if (!allowed.includes(key)) {
      problems.push({ path, code: 'additionalProperties', message: 'cannot be changed here' });
    } else if (key === 'displayName') {
      if (typeof value !== 'string' || value.trim().length === 0 || value.trim().length > 200) problems.push({ path, code: 'required', message: 'must be 1–200 characters' });
      else changes.displayName = value.trim();
    } else if (key === 'locale') {
      if (!(userLocales as readonly unknown[]).includes(value)) problems.push({ path, code: 'enum', message: `must be one of ${userLocales.join(', ')}` });
      else changes.locale = value as UserLocale;
    } else if (key === 'timeZone') {
      const zone = typeof value === 'string' ? canonicalTimeZone(value) : undefined;
      if (zone === undefined) problems.push({ path, code: 'timeZone', message: 'is not an IANA time zone' });
      else changes.timeZone = zone;
    } else if (key === 'roleName') {
      if (value !== null && !isRoleName(value)) problems.push({ path, code: 'pattern', message: 'is not a role name' });
      else changes.roleName = value as string | null;
    } else if (key === 'status') {
      if (value !== 'active' && value !== 'disabled') problems.push({ path, code: 'enum', message: 'must be active or disabled' });
      else changes.status = value;
    }
  }
  if (problems.length > 0) throw errors.validationFailed(problems);
  return changes;
}

/** Applies checked changes to a user of the workspace; returns the user after, or undefined when there is none. */
export async function updateUser(em: EntityManager, workspaceId: string, userId: string, changes: UserChanges): Promise<UserInfo | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return undefined;
  const set: Record<string, unknown> = { updated_at: sql`now()` };
  if (changes.displayName !== undefined) set.display_name = changes.displayName;
  if (changes.locale !== undefined) set.locale = changes.locale;
  if (changes.timeZone !== undefined) set.time_zone = changes.timeZone;
  if (changes.roleName !== undefined) set.role_name = changes.roleName;
  if (changes.status !== undefined) set.status = changes.status;
  const row = await (em.getKysely() as Db).withSchema('daicho').updateTable('user').set(set)
    .where('workspace_id', '=', workspaceId).where('id', '=', userId).returning([...userColumns]).executeTakeFirst();
  return row && userInfo(row);
}

/** Sets a user's password after checking it against the policy. */
export async function setUserPassword(em: EntityManager, policy: PasswordPolicy, user: { userId: string; email: string }, password: string): Promise<void> {
  assertPasswordPolicy(password, policy, { email: user.email });
  await (em.getKysely() as Db).withSchema('daicho').updateTable('user')
    .set({ password_hash: await hashPassword(password), password_changed_at: sql`now()`, updated_at: sql`now()` })
    .where('id', '=', user.userId).execute();
}
