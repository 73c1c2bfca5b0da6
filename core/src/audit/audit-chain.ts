import { sql } from 'kysely';
import type { Logger } from '../log/index.ts';
import type { AuditDb } from './audit-event.ts';

const SEAL_BATCH = 5000;

export interface SealOptions {
  /** Wait for a sealer already at work on this workspace (default), or give up at once. */
  wait?: boolean;
}

/**
 * Seals the workspace's unsealed events into its hash chain, in the order the sealer finds
 * them: each gets the next position and `hash = sha256(previous hash ‖ canonical event)`.
 * Runs through the SECURITY DEFINER function `daicho.audit_seal`, the only way the application
 * role can touch the chain columns. Returns how many events it sealed.
 */
export async function sealAuditTrail(db: AuditDb, workspaceId: string, options: SealOptions = {}): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await sql<{ sealed: number }>`select daicho.audit_seal(${workspaceId}::uuid, ${SEAL_BATCH}::integer, ${options.wait ?? true}) as sealed`.execute(db);
    const sealed = Number(rows[0]?.sealed ?? 0);
    total += sealed;
    if (sealed < SEAL_BATCH) return total;
  }
}

/** The outcome of checking a workspace's chain. */
export interface AuditVerification {
  /** True when every sealed event matches its hash and the chain has no gap. */
  ok: boolean;
  /** Events checked before the first problem (all of them when ok). */
  checked: number;
  /** The chain's head as recorded by the sealer; keep the hash elsewhere to detect a rewritten chain. */
  head: { position: number; hash: string | null };
  /**
   * The first position that does not hold, and why: `missing` (a deleted event, or a cut-off
   * end), `duplicate` (two events claim a position), `link` (an event does not follow the one
   * before: reordered or replaced), `altered` (its content no longer matches its hash),
   * `head` (the chain ends elsewhere than the sealer left it).
   */
  firstBroken?: { position: number; problem: 'missing' | 'duplicate' | 'link' | 'altered' | 'head' };
}

/**
 * Seals what is pending, then recomputes the workspace's chain from its first position
 * (the SQL function `daicho.audit_verify`) and reports the first broken position.
 */
export async function verifyAuditTrail(db: AuditDb, workspaceId: string): Promise<AuditVerification> {
  await sealAuditTrail(db, workspaceId);
  const { rows } = await sql<{ checked: string; head_position: string; head_hash: string | null; first_broken: string | null; problem: string | null }>`
    select checked, head_position, head_hash, first_broken, problem from daicho.audit_verify(${workspaceId}::uuid)`.execute(db);
  const row = rows[0]!;
  const result: AuditVerification = {
    ok: row.first_broken === null,
    checked: Number(row.checked),
    head: { position: Number(row.head_position), hash: row.head_hash },
  };
  if (row.first_broken !== null) result.firstBroken = { position: Number(row.first_broken), problem: row.problem as NonNullable<AuditVerification['firstBroken']>['problem'] };
  return result;
}

export interface AuditSealer {
  start(): void;
  /** Stops the timer and waits for a round in progress. */
  stop(): Promise<void>;
  /** One round over every workspace with unsealed events (what the timer runs). */
  sealPending(): Promise<number>;
}

/**
 * Seals pending events of every workspace periodically. Several nodes may run one: a sealer
 * that finds a workspace busy skips it until the next round.
 */
export function createAuditSealer(options: { db: () => AuditDb; logger: Logger; intervalMs?: number }): AuditSealer {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  const sealPending = async () => {
    const db = options.db();
    const { rows } = await sql<{ workspace_id: string }>`select distinct workspace_id from daicho.audit_event where chain_position is null`.execute(db);
    let total = 0;
    for (const row of rows) total += await sealAuditTrail(db, row.workspace_id, { wait: false });
    return total;
  };
  const round = () => {
    if (running) return;
    running = sealPending()
      .catch((error: unknown) => {
        options.logger.warn({ err: error }, 'sealing the audit trail failed; retrying next round');
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
  };
  return {
    start() {
      timer ??= setInterval(round, options.intervalMs ?? 1000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
    sealPending,
  };
}
