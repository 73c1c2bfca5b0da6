import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { formatIpAddress, parseIpAddress } from '../config/index.ts';
import { DaichoError } from '../errors/index.ts';
import { canonicalEmail, canonicalWorkspaceSlug } from './canonical.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Limits on failed sign-ins (DAICHO_LOGIN_* settings). */
export interface LoginThrottlePolicy {
  /** Failures of one account within the window that lock it. */
  maxFailures: number;
  /** Failures from one client address within the window that lock it. */
  maxFailuresPerAddress: number;
  windowSeconds: number;
  lockSeconds: number;
  /** Wait after an account's first failure, doubling with each further one; 0 for none. */
  delayMs: number;
}

export const defaultLoginThrottlePolicy: LoginThrottlePolicy = { maxFailures: 5, maxFailuresPerAddress: 50, windowSeconds: 900, lockSeconds: 900, delayMs: 1000 };

/** The two counters one sign-in attempt touches. */
export interface LoginThrottleKeys {
  account: string;
  address: string;
}

/**
 * Counter keys for an attempt. The account is the workspace and e-mail in canonical form, so
 * that case, spaces and full-width variants of one address share a counter, whether or not the
 * account exists (a lock then tells nothing about existence). IPv6 clients count per /64, the
 * block one subscriber usually holds.
 */
export function loginThrottleKeys(workspaceSlug: string, email: string, clientAddress: string): LoginThrottleKeys {
  const bytes = parseIpAddress(clientAddress);
  let address = clientAddress;
  if (bytes) {
    const mapped = bytes.subarray(0, 12).every((byte, index) => byte === (index >= 10 ? 0xff : 0));
    if (!mapped) bytes.fill(0, 8);
    address = `${formatIpAddress(bytes)}${mapped ? '' : '/64'}`;
  }
  return { account: digest(`account\0${canonicalWorkspaceSlug(workspaceSlug)}\0${canonicalEmail(email)}`), address: digest(`address\0${address}`) };
}

const digest = (key: string) => createHash('sha256').update(key).digest('hex');

/** The uniform answer while a counter is locked or waiting, right or wrong password alike. */
export function loginThrottled(retryAfterSeconds: number): DaichoError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new DaichoError('RATE_LIMITED', 'Too many sign-in attempts; try again later', {
    details: { retryAfterSeconds: seconds },
    headers: { 'Retry-After': String(seconds) },
  });
}

/**
 * Counts an attempt before the password is checked, so that concurrent guesses on any node
 * cannot get past the limit: one upsert per counter, atomic in PostgreSQL. Throws RATE_LIMITED
 * (with Retry-After) while a counter is locked or its wait has not passed, without checking the
 * password at all.
 */
export async function reserveLoginAttempt(db: Db, keys: LoginThrottleKeys, policy: LoginThrottlePolicy): Promise<void> {
  if (Math.random() < 0.01) await purgeStaleCounters(db, policy);
  // The address first: a blocked address then costs the account nothing.
  for (const [key, max] of [[keys.address, policy.maxFailuresPerAddress], [keys.account, policy.maxFailures]] as const) {
    const blockedUntil = sql`coalesce(greatest(t.locked_until, t.next_attempt_at), '-infinity') > now()`;
    const windowOver = sql`t.window_started_at <= now() - make_interval(secs => ${policy.windowSeconds})`;
    const result = await sql<{ failures: number; retry_after: number | null }>`
      insert into "daicho"."login_throttle" as t ("key", "failures", "window_started_at", "updated_at")
      values (${key}, 1, now(), now())
      on conflict ("key") do update set
        "failures" = case when ${blockedUntil} then t.failures when ${windowOver} then 1 else t.failures + 1 end,
        "window_started_at" = case when not ${blockedUntil} and ${windowOver} then now() else t.window_started_at end,
        "updated_at" = now()
      returning "failures", extract(epoch from greatest("locked_until", "next_attempt_at") - now())::float8 as "retry_after"`.execute(db);
    const row = result.rows[0]!;
    if (row.retry_after !== null && row.retry_after > 0) throw loginThrottled(row.retry_after);
    if (row.failures > max) {
      // More attempts in flight than the limit allows: lock now.
      await lockCounter(db, key, policy);
      throw loginThrottled(policy.lockSeconds);
    }
  }
}

async function lockCounter(db: Db, key: string, policy: LoginThrottlePolicy): Promise<void> {
  await sql`update "daicho"."login_throttle" set "locked_until" = now() + make_interval(secs => ${policy.lockSeconds}),
    "failures" = 0, "window_started_at" = now(), "next_attempt_at" = null, "updated_at" = now() where "key" = ${key}`.execute(db);
}

/**
 * Settles a failed attempt: at the limit the counter locks; before it, the account must wait
 * `delayMs × 2^(failures − 1)` before its next attempt. Says whether this failure locked a counter.
 */
export async function recordLoginFailure(db: Db, keys: LoginThrottleKeys, policy: LoginThrottlePolicy): Promise<{ locked: boolean }> {
  let locked = false;
  for (const [key, max, delayMs] of [[keys.account, policy.maxFailures, policy.delayMs], [keys.address, policy.maxFailuresPerAddress, 0]] as const) {
    const result = await sql<{ just_locked: boolean }>`update "daicho"."login_throttle" set
        "locked_until" = case when "failures" >= ${max} then now() + make_interval(secs => ${policy.lockSeconds}) else "locked_until" end,
        "next_attempt_at" = case when "failures" >= ${max} or ${delayMs}::int = 0 then null
          else now() + make_interval(secs => least(${delayMs}::float8 * power(2, greatest("failures" - 1, 0)) / 1000, ${policy.lockSeconds})) end,
        "failures" = case when "failures" >= ${max} then 0 else "failures" end,
        "window_started_at" = case when "failures" >= ${max} then now() else "window_started_at" end,
        "updated_at" = now()
      where "key" = ${key}
      returning "locked_until" is not null and "locked_until" = now() + make_interval(secs => ${policy.lockSeconds}) as just_locked`.execute(db);
    locked ||= Boolean(result.rows[0]?.just_locked);
  }
  return { locked };
}

/**
 * Settles a successful sign-in: the account's count starts again (unless it was locked in the
 * meantime), and the address's count drops by the attempts this sign-in used, so that busy
 * offices behind one address are not locked by their own successful sign-ins.
 */
export async function recordLoginSuccess(db: Db, keys: LoginThrottleKeys, attempts = 1): Promise<void> {
  await sql`update "daicho"."login_throttle" set "failures" = 0, "next_attempt_at" = null, "updated_at" = now()
    where "key" = ${keys.account} and coalesce("locked_until", '-infinity') <= now()`.execute(db);
  await sql`update "daicho"."login_throttle" set "failures" = greatest("failures" - ${attempts}::int, 0), "updated_at" = now()
    where "key" = ${keys.address}`.execute(db);
}

async function purgeStaleCounters(db: Db, policy: LoginThrottlePolicy): Promise<void> {
  await sql`delete from "daicho"."login_throttle"
    where "updated_at" < now() - make_interval(secs => ${policy.windowSeconds + policy.lockSeconds})
      and coalesce("locked_until", '-infinity') < now()`.execute(db);
}
