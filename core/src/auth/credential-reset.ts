import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type Kysely } from 'kysely';
import { appendAuditEvent, type AuditContext } from '../audit/index.ts';
import { errors } from '../errors/index.ts';
import type { AuthSettings } from './auth-settings.ts';
import { hashPassword } from './passwords.ts';
import { revokeUserSessions } from './sessions.service.ts';
import { generateInitialPassword } from './users.service.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * What an admin does for a user who lost their device or password: takes away the second factor
 * (and its recovery codes), or gives a new one-time password. Either way every session of the
 * user ends (API tokens stay, as with sign-out everywhere: revoke them one by one), and the audit
 * trail says who did it to whom, in the same transaction.
 */
export async function resetUserCredentials(
  em: EntityManager,
  settings: AuthSettings,
  audit: AuditContext & { actorId: string },
  userId: string,
  what: 'totp' | 'password',
): Promise<{ initialPassword?: string }> {
  if (!UUID.test(userId)) throw errors.notFound('User', userId);
  if (userId === audit.actorId) {
    // Through their own routes, which ask for the password: a borrowed session cannot do this.
    throw errors.validationFailed([{ path: '/id', code: 'self', message: what === 'totp' ? 'turn off your own second factor with POST /api/v1/auth/totp/disable' : 'change your own password with POST /api/v1/auth/password' }]);
  }
  const initialPassword = what === 'password' ? generateInitialPassword(settings.passwordPolicy) : undefined;
  const passwordHash = initialPassword === undefined ? undefined : await hashPassword(initialPassword);
  return em.transactional(async (trx) => {
    const db = trx.getKysely() as Db;
    const changes = what === 'totp'
      ? { totp_secret: null, totp_enabled_at: null, totp_last_step: null, totp_recovery_codes: null }
      : { password_hash: passwordHash, password_changed_at: sql`now()` };
    const updated = await db.withSchema('daicho').updateTable('user').set({ ...changes, updated_at: sql`now()` })
      .where('id', '=', userId).where('workspace_id', '=', audit.workspaceId).returning(['email']).executeTakeFirst();
    if (!updated) throw errors.notFound('User', userId);
    await revokeUserSessions(trx, userId);
    await appendAuditEvent(db, audit, { kind: 'auth.reset', details: { user: userId, email: updated.email as string, reset: what } });
    return initialPassword === undefined ? {} : { initialPassword };
  });
}
