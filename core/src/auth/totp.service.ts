import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type Kysely } from 'kysely';
import { errors } from '../errors/index.ts';
import type { AuthSettings } from './auth-settings.ts';
import { deriveKey, openSecret, sealSecret } from './secret-box.ts';
import { generateTotpSecret, matchTotp, otpauthUri, encodeBase32 } from './totp.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// The user id is bound to each sealed secret: a ciphertext copied to another user does not open.
const sealContext = (userId: string) => `totp:${userId}`;

export interface TotpEnrolment {
  /** The secret in base32, for typing into an app; shown once. */
  secret: string;
  /** `otpauth://totp/…` for a QR code; shown once. */
  otpauthUri: string;
}

/**
 * Starts TOTP enrolment: a new secret, stored encrypted and unconfirmed, replacing any earlier
 * unconfirmed one. Refused while a confirmed factor exists (turn it off first, with the password).
 */
export async function startTotpEnrolment(em: EntityManager, settings: AuthSettings, user: { userId: string; email: string; workspaceSlug: string }): Promise<TotpEnrolment> {
  const db = em.getKysely() as Db;
  const secret = generateTotpSecret();
  const sealed = sealSecret(deriveKey(settings.secretKey, 'totp-secret'), secret, sealContext(user.userId));
  const result = await db.withSchema('daicho').updateTable('user').set({ totp_secret: sealed, totp_last_step: null })
    .where('id', '=', user.userId).where('totp_enabled_at', 'is', null).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw errors.conflict('A second factor is already set up; turn it off first');
  return { secret: encodeBase32(secret), otpauthUri: otpauthUri(secret, `Daichō ${user.workspaceSlug}`, user.email) };
}

/** Confirms enrolment with a first code from the app; from then on sign-in asks for a code. */
export async function confirmTotpEnrolment(em: EntityManager, settings: AuthSettings, userId: string, code: string): Promise<boolean> {
  const db = em.getKysely() as Db;
  const row = await db.withSchema('daicho').selectFrom('user').select(['totp_secret', 'totp_enabled_at']).where('id', '=', userId).executeTakeFirst();
  if (!row?.totp_secret) throw errors.conflict('Start the set-up first (POST /api/v1/auth/totp/enrol)');
  if (row.totp_enabled_at !== null) throw errors.conflict('A second factor is already set up');
  const secret = openSecret(deriveKey(settings.secretKey, 'totp-secret'), row.totp_secret as string, sealContext(userId));
  const step = secret ? matchTotp(secret, code, Date.now(), null) : undefined;
  if (step === undefined) return false;
  await db.withSchema('daicho').updateTable('user').set({ totp_enabled_at: sql`now()`, totp_last_step: step }).where('id', '=', userId).execute();
  return true;
}

/**
 * Checks a code against the user's confirmed factor. The step of a good code is stored with a
 * compare-and-set, so the same code (or an older one) is refused afterwards, also when two
 * nodes receive it at once.
 */
export async function verifyUserTotp(em: EntityManager, settings: AuthSettings, userId: string, code: string): Promise<boolean> {
  const db = em.getKysely() as Db;
  const row = await db.withSchema('daicho').selectFrom('user').select(['totp_secret', 'totp_last_step', 'totp_enabled_at']).where('id', '=', userId).executeTakeFirst();
  if (!row?.totp_secret || row.totp_enabled_at === null) return false;
  const secret = openSecret(deriveKey(settings.secretKey, 'totp-secret'), row.totp_secret as string, sealContext(userId));
  if (!secret) return false;
  const lastStep = row.totp_last_step === null ? null : Number(row.totp_last_step);
  const step = matchTotp(secret, code, Date.now(), lastStep);
  if (step === undefined) return false;
  const result = await db.withSchema('daicho').updateTable('user').set({ totp_last_step: step }).where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)])).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Removes the factor (confirmed or not). */
export async function disableTotp(em: EntityManager, userId: string): Promise<void> {
  await (em.getKysely() as Db).withSchema('daicho').updateTable('user').set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null }).where('id', '=', userId).execute();
}
