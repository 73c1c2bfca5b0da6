import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type Kysely } from 'kysely';
import { generateUuidV7 } from '../db/index.ts';
import { DaichoError, errors, type InputProblem } from '../errors/index.ts';
import type { AuthSettings } from './auth-settings.ts';
import { isRoleName } from './role-name.ts';
import { API_TOKEN_PREFIX, tokenDigest } from './sessions.service.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An API token as listed: never its secret. */
export interface ApiTokenInfo {
  id: string;
  name: string;
  userId: string;
  roleName: string | null;
  admin: boolean;
  /** The last characters of the token, to tell tokens apart. */
  hint: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreateApiTokenInput {
  name: string;
  /** The role the token acts with; defaults to the creator's. */
  roleName?: string | null;
  /** An admin token (admins only). */
  admin?: boolean;
  /** Defaults to the longest lifetime allowed (DAICHO_API_TOKEN_MAX_DAYS). */
  expiresAt?: Date;
}

/** The creator of a token, as far as its rights go. */
export interface TokenCreator {
  userId: string;
  workspaceId: string;
  isAdmin: boolean;
  roleName: string | null;
}

/** What is refused when a token would have more rights than the user making it. */
const moreRightsThanCreator = (what: string) =>
  new DaichoError('PERMISSION_DENIED', `A token cannot have more rights than its creator: ${what}`);

/**
 * Creates an API token acting with a role. A non-admin may create tokens for their own role
 * only; an admin for any role, or an admin token. The secret (`dct_…`) is returned once and
 * stored as its SHA-256 digest.
 */
export async function createApiToken(em: EntityManager, settings: AuthSettings, creator: TokenCreator, input: CreateApiTokenInput): Promise<{ token: string; info: ApiTokenInfo }> {
  const problems: InputProblem[] = [];
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name.length === 0 || name.length > 200) problems.push({ path: '/name', code: 'required', message: 'is required (1–200 characters)' });
  const roleName = input.roleName === undefined ? creator.roleName : input.roleName;
  if (roleName !== null && !isRoleName(roleName)) problems.push({ path: '/roleName', code: 'pattern', message: 'is not a role name' });
  const maxExpiry = Date.now() + settings.apiTokenMaxDays * 86_400_000;
  const expiresAt = input.expiresAt ?? new Date(maxExpiry);
  if (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now()) problems.push({ path: '/expiresAt', code: 'minimum', message: 'must be in the future' });
  else if (expiresAt.getTime() > maxExpiry + 60_000) problems.push({ path: '/expiresAt', code: 'maximum', message: `must be within ${settings.apiTokenMaxDays} days` });
  if (problems.length > 0) throw errors.validationFailed(problems);
  const admin = input.admin === true;
  if (!creator.isAdmin) {
    if (admin) throw moreRightsThanCreator('only admins may create admin tokens');
    if (roleName !== creator.roleName) throw moreRightsThanCreator(`you may create tokens for your own role only (${creator.roleName ?? 'none'})`);
  }
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = generateUuidV7();
  const db = em.getKysely() as Db;
  const row = await db.withSchema('daicho').insertInto('api_token')
    .values({ id, workspace_id: creator.workspaceId, user_id: creator.userId, name, role_name: roleName, is_admin: admin, token_hash: tokenDigest(token), token_hint: token.slice(-4), expires_at: expiresAt })
    .returningAll().executeTakeFirstOrThrow();
  return { token, info: tokenInfo(row) };
}

/** Tokens of a workspace: the user's own, or everyone's for `all`. */
export async function listApiTokens(em: EntityManager, workspaceId: string, userId: string | undefined): Promise<ApiTokenInfo[]> {
  let query = (em.getKysely() as Db).withSchema('daicho').selectFrom('api_token').selectAll().where('workspace_id', '=', workspaceId);
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  return (await query.orderBy('created_at', 'desc').orderBy('id', 'desc').execute()).map(tokenInfo);
}

/** Revokes a token of the workspace (the user's own unless `userId` is undefined); returns false when there is none. */
export async function revokeApiToken(em: EntityManager, workspaceId: string, tokenId: string, userId: string | undefined): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(tokenId)) return false;
  let query = (em.getKysely() as Db).withSchema('daicho').updateTable('api_token').set({ revoked_at: sql`coalesce(revoked_at, now())` })
    .where('workspace_id', '=', workspaceId).where('id', '=', tokenId);
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

const iso = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string).toISOString());

function tokenInfo(row: Record<string, unknown>): ApiTokenInfo {
  return {
    id: row.id as string,
    name: row.name as string,
    userId: row.user_id as string,
    roleName: (row.role_name as string | null) ?? null,
    admin: Boolean(row.is_admin),
    hint: row.token_hint as string,
    createdAt: iso(row.created_at)!,
    expiresAt: iso(row.expires_at)!,
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}
