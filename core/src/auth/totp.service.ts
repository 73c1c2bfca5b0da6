import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type Kysely } from 'kysely';
import { errors } from '../errors/index.ts';
import type { AuthSettings } from './auth-settings.ts';
import { randomInt } from 'node:crypto';
import { deriveKey, macOf, openSecret, sealSecret } from './secret-box.ts';
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

/** How many recovery codes a user gets at once. */
export const RECOVERY_CODE_COUNT = 10;
// No 0/o, 1/l/i: codes are read off paper and typed by hand.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_CODE = /^[a-z2-9]{5}-?[a-z2-9]{5}$/;

/** Whether a code someone typed has the shape of a recovery code (`xxxxx-xxxxx`), not a TOTP code. */
export function looksLikeRecoveryCode(code: string): boolean {
  return RECOVERY_CODE.test(code.trim().toLowerCase());
}

function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
    return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
  });
}

// Keyed with a key of their own and bound to the user: a stolen table does not give the codes,
// and a hash copied to another user does not match.
const recoveryHash = (settings: AuthSettings, userId: string, code: string) =>
  macOf(deriveKey(settings.secretKey, 'totp-recovery'), `${userId}:${code.trim().toLowerCase().replace('-', '')}`);

/**
 * Replaces the user's recovery codes with new ones (the old ones stop working) and returns them,
 * to be shown once. Only for a user with a confirmed factor.
 */
export async function renewRecoveryCodes(em: EntityManager, settings: AuthSettings, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  const result = await (em.getKysely() as Db).withSchema('daicho').updateTable('user')
    .set({ totp_recovery_codes: sql`${codes.map((code) => recoveryHash(settings, userId, code))}::text[]` })
    .where('id', '=', userId).where('totp_enabled_at', 'is not', null).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw errors.conflict('Set up a second factor first');
  return codes;
}

/**
 * Spends one recovery code: true when it was one of the user's unused codes, which it then is
 * no longer (removed with a compare-and-set, so two nodes cannot both accept it).
 */
export async function useRecoveryCode(em: EntityManager, settings: AuthSettings, userId: string, code: string): Promise<{ remaining: number } | undefined> {
  if (!looksLikeRecoveryCode(code)) return undefined;
  const hash = recoveryHash(settings, userId, code);
  const row = await (em.getKysely() as Db).withSchema('daicho').updateTable('user')
    .set({ totp_recovery_codes: sql`array_remove(totp_recovery_codes, ${hash})` })
    .where('id', '=', userId).where('totp_enabled_at', 'is not', null).where(sql<boolean>`${hash} = any(totp_recovery_codes)`)
    .returning(sql<number>`coalesce(cardinality(totp_recovery_codes), 0)`.as('remaining')).executeTakeFirst();
  return row ? { remaining: Number(row.remaining) } : undefined;
}

/** How many unused recovery codes the user has left. */
export async function recoveryCodesLeft(em: EntityManager, userId: string): Promise<number> {
  const row = await (em.getKysely() as Db).withSchema('daicho').selectFrom('user').select(sql<number>`coalesce(cardinality(totp_recovery_codes), 0)`.as('left')).where('id', '=', userId).executeTakeFirst();
  return Number(row?.left ?? 0);
}

/**
 * Confirms enrolment with a first code from the app; from then on sign-in asks for a code.
 * Returns the user's recovery codes (shown once), or undefined when the code is wrong.
 */
export async function confirmTotpEnrolment(em: EntityManager, settings: AuthSettings, userId: string, code: string): Promise<string[] | undefined> {
  const db = em.getKysely() as Db;
  const row = await db.withSchema('daicho').selectFrom('user').select(['totp_secret', 'totp_enabled_at']).where('id', '=', userId).executeTakeFirst();
  if (!row?.totp_secret) throw errors.conflict('Start the set-up first (POST /api/v1/auth/totp/enrol)');
  if (row.totp_enabled_at !== null) throw errors.conflict('A second factor is already set up');
  const secret = openSecret(deriveKey(settings.secretKey, 'totp-secret'), row.totp_secret as string, sealContext(userId));
  const step = secret ? matchTotp(secret, code, Date.now(), null) : undefined;
  if (step === undefined) return undefined;
  await db.withSchema('daicho').updateTable('user').set({ totp_enabled_at: sql`now()`, totp_last_step: step }).where('id', '=', userId).execute();
  return renewRecoveryCodes(em, settings, userId);
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

/**
 * The second step of a sign-in: a TOTP code from the app, or one of the user's recovery codes
 * (spent by using it). Undefined when it is neither.
 */
export async function verifySecondFactor(em: EntityManager, settings: AuthSettings, userId: string, code: string): Promise<{ method: 'totp' } | { method: 'recoveryCode'; remaining: number } | undefined> {
  if (looksLikeRecoveryCode(code)) {
    const used = await useRecoveryCode(em, settings, userId, code);
    return used && { method: 'recoveryCode', remaining: used.remaining };
  }
  return (await verifyUserTotp(em, settings, userId, code)) ? { method: 'totp' } : undefined;
}

/** Removes the factor (confirmed or not). */
export async function disableTotp(em: EntityManager, userId: string): Promise<void> {
  await (em.getKysely() as Db).withSchema('daicho').updateTable('user').set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null, totp_recovery_codes: null }).where('id', '=', userId).execute();
}
