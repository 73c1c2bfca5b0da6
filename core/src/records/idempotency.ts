import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { DaichoError } from '../errors/index.ts';
import type { Db } from './records-context.ts';

/** A stored first response. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function assertIdempotencyKey(key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new DaichoError('BAD_REQUEST', 'Idempotency-Key must be 1–255 visible ASCII characters', { details: { header: 'Idempotency-Key' } });
  }
}

/** A digest of what makes two requests "the same": the route and the body. */
export function requestHash(route: string, body: unknown): string {
  return createHash('sha256').update(route).update('\0').update(JSON.stringify(body) ?? '').digest('hex');
}

/**
 * Runs `work` at most once per key (per workspace and user). Inside the caller's transaction:
 * an advisory lock on the key makes a concurrent retry fail fast with IDEMPOTENCY_KEY_IN_USE
 * instead of running twice; a finished key replays its stored response, or, when the request
 * differs, fails with IDEMPOTENCY_KEY_REUSED. The response is stored in the same transaction as
 * the work, so a rolled-back request leaves no key behind.
 */
export async function withIdempotency(db: Db, scope: { workspaceId: string; userId: string; key: string; hash: string }, work: () => Promise<StoredResponse>): Promise<StoredResponse & { replayed: boolean }> {
  const lockKey = `${scope.workspaceId}:${scope.userId}:${scope.key}`;
  const { rows: locked } = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(hashtextextended(${lockKey}, 0)) as ok`.execute(db);
  if (!locked[0]?.ok) {
    throw new DaichoError('IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still being processed; retry shortly', { headers: { 'Retry-After': '1' } });
  }
  const existing = await db.withSchema('daicho').selectFrom('idempotency_key').select(['request_hash', 'status', 'response'])
    .where('workspace_id', '=', scope.workspaceId).where('user_id', '=', scope.userId).where('key', '=', scope.key).executeTakeFirst();
  if (existing) {
    if (existing.request_hash !== scope.hash) {
      throw new DaichoError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request');
    }
    return { status: existing.status as number, body: existing.response, replayed: true };
  }
  const response = await work();
  await db.withSchema('daicho').insertInto('idempotency_key')
    .values({ workspace_id: scope.workspaceId, user_id: scope.userId, key: scope.key, request_hash: scope.hash, status: response.status, response: JSON.stringify(response.body) })
    .execute();
  return { ...response, replayed: false };
}
