import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../db/index.ts';
import { createLogger } from '../log/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/index.ts';
import {
  appendAuditEvent, appendAuditEvents, createAuditSealer, listAuditEvents, listRecordHistory, sealAuditTrail, verifyAuditTrail, type AuditDb,
} from './index.ts';

const logger = createLogger({ level: 'silent' });

describe('the audit trail', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let db: AuditDb;
  /** As the owner (a superuser here): what someone with full database access could do. */
  const asOwner = async (text: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: testDatabase.url });
    await client.connect();
    try {
      return (await client.query(text, values)).rows;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    testDatabase = await createTestDatabase(inject('databaseUrl'));
    database = await openDatabase({ url: testDatabase.url, entities: [], poolMax: 8, connectTimeoutMs: 2000, statementTimeoutMs: 10_000, logger });
    await database.migrate();
    db = database.em().getKysely();
  });
  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  async function workspaceWithEvents(count: number): Promise<string> {
    const workspaceId = randomUUID();
    await appendAuditEvents(db, { workspaceId, actorId: randomUUID() }, Array.from({ length: count }, (_, index) => ({
      kind: 'record.update' as const, objectName: 'deal', recordId: randomUUID(), changes: { amount: { before: index, after: index + 1 } },
    })));
    return workspaceId;
  }

  it('writes events with the caller\'s transaction: a rollback leaves none', async () => {
    const workspaceId = randomUUID();
    await database.em().transactional(async (trx) => {
      await appendAuditEvent(trx.getKysely(), { workspaceId }, { kind: 'record.create', objectName: 'deal', recordId: randomUUID() });
      throw new Error('undo');
    }).catch(() => undefined);
    await database.em().transactional(async (trx) => {
      await appendAuditEvent(trx, { workspaceId }, { kind: 'record.create', objectName: 'deal', recordId: randomUUID() });
      throw new Error('undo');
    }).catch(() => undefined);
    // An entity manager works too: inside transactional, it writes in the transaction.
    await database.em().transactional(async (trx) => {
      await appendAuditEvent(trx, { workspaceId, actorId: null, clientAddress: '192.0.2.7', requestId: 'req-1' }, { kind: 'record.delete', objectName: 'deal', recordId: randomUUID() });
    });
    const { events } = await listAuditEvents(db, workspaceId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'record.delete', clientAddress: '192.0.2.7', requestId: 'req-1', position: null });
  });

  it('seals events into a gap-free chain that verifies', async () => {
    const workspaceId = await workspaceWithEvents(5);
    expect(await sealAuditTrail(db, workspaceId)).toBe(5);
    expect(await sealAuditTrail(db, workspaceId)).toBe(0);
    const { events } = await listAuditEvents(db, workspaceId);
    expect(events.map((event) => event.position)).toEqual([5, 4, 3, 2, 1]);
    const verification = await verifyAuditTrail(db, workspaceId);
    expect(verification).toMatchObject({ ok: true, checked: 5, head: { position: 5 } });
    expect(verification.head.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lets the application role read and append only: no update, delete, truncate, or forged chain columns', async () => {
    const workspaceId = await workspaceWithEvents(2);
    await sealAuditTrail(db, workspaceId);
    const connection = database.orm.em.getConnection();
    const denied = { code: '42501' };
    await expect(connection.execute('update daicho.audit_event set kind = ? where workspace_id = ?', ['record.create', workspaceId])).rejects.toMatchObject(denied);
    await expect(connection.execute('delete from daicho.audit_event where workspace_id = ?', [workspaceId])).rejects.toMatchObject(denied);
    await expect(connection.execute('truncate daicho.audit_event')).rejects.toMatchObject(denied);
    await expect(connection.execute('update daicho.audit_chain set position = 0 where workspace_id = ?', [workspaceId])).rejects.toMatchObject(denied);
    await expect(connection.execute(`insert into daicho.audit_event (workspace_id, kind, chain_position, hash) values (?, 'record.create', 99, '\\x00')`, [workspaceId])).rejects.toMatchObject(denied);
    await expect(connection.execute(`insert into daicho.audit_event (workspace_id, kind, occurred_at) values (?, 'record.create', '2000-01-01')`, [workspaceId])).rejects.toMatchObject(denied);
    expect((await verifyAuditTrail(db, workspaceId)).ok).toBe(true);
  });

  it('detects an event edited after sealing', async () => {
    const workspaceId = await workspaceWithEvents(4);
    await sealAuditTrail(db, workspaceId);
    await asOwner(`update daicho.audit_event set changes = '{"amount": {"before": 0, "after": 1000000}}' where workspace_id = $1 and chain_position = 3`, [workspaceId]);
    expect(await verifyAuditTrail(db, workspaceId)).toMatchObject({ ok: false, checked: 2, firstBroken: { position: 3, problem: 'altered' } });
  });

  it('detects a deleted event, in the middle or at the end', async () => {
    const workspaceId = await workspaceWithEvents(4);
    await sealAuditTrail(db, workspaceId);
    await asOwner('delete from daicho.audit_event where workspace_id = $1 and chain_position = 2', [workspaceId]);
    expect(await verifyAuditTrail(db, workspaceId)).toMatchObject({ ok: false, firstBroken: { position: 2, problem: 'missing' } });

    const other = await workspaceWithEvents(3);
    await sealAuditTrail(db, other);
    await asOwner('delete from daicho.audit_event where workspace_id = $1 and chain_position = 3', [other]);
    expect(await verifyAuditTrail(db, other)).toMatchObject({ ok: false, firstBroken: { position: 3, problem: 'missing' } });
  });

  it('detects reordered events and an edit whose hash was recomputed alone', async () => {
    const workspaceId = await workspaceWithEvents(4);
    await sealAuditTrail(db, workspaceId);
    for (const [from, to] of [[2, -2], [3, 2], [-2, 3]]) {
      await asOwner('update daicho.audit_event set chain_position = $3 where workspace_id = $1 and chain_position = $2', [workspaceId, from, to]);
    }
    expect(await verifyAuditTrail(db, workspaceId)).toMatchObject({ ok: false, firstBroken: { position: 2 } });

    const other = await workspaceWithEvents(3);
    await sealAuditTrail(db, other);
    // Someone edits event 2 and recomputes its hash: event 3 no longer follows it.
    await asOwner(`update daicho.audit_event set details = '{"forged": true}' where workspace_id = $1 and chain_position = 2`, [other]);
    await asOwner(`update daicho.audit_event e set hash = sha256(coalesce(e.prev_hash, ''::bytea) || convert_to(daicho.audit_canonical(e, 2), 'UTF8'))
      where workspace_id = $1 and chain_position = 2`, [other]);
    expect(await verifyAuditTrail(db, other)).toMatchObject({ ok: false, checked: 2, firstBroken: { position: 3, problem: 'link' } });
  });

  it('keeps one gap-free chain while many transactions write and sealers run at once', async () => {
    const workspaceId = randomUUID();
    const sealer = createAuditSealer({ db: () => database.em().getKysely(), logger, intervalMs: 5 });
    sealer.start();
    await Promise.all(Array.from({ length: 40 }, (_, index) => database.em().transactional(async (trx) => {
      await appendAuditEvent(trx.getKysely(), { workspaceId }, { kind: 'record.create', objectName: 'deal', recordId: randomUUID(), details: { index } });
      await appendAuditEvent(trx.getKysely(), { workspaceId }, { kind: 'record.update', objectName: 'deal', recordId: randomUUID() });
    })));
    await Promise.all([sealAuditTrail(db, workspaceId), sealAuditTrail(database.em().getKysely(), workspaceId)]);
    await sealer.stop();
    const verification = await verifyAuditTrail(db, workspaceId);
    expect(verification).toMatchObject({ ok: true, checked: 80, head: { position: 80 } });
  });

  it('reads a record\'s history newest first, in pages, leaving out fields the reader may not see', async () => {
    const workspaceId = randomUUID();
    const recordId = randomUUID();
    const context = { workspaceId, actorId: randomUUID() };
    await appendAuditEvent(db, context, { kind: 'record.create', objectName: 'deal', recordId, changes: { title: { before: null, after: 'A' }, margin: { before: null, after: 30 } } });
    await appendAuditEvent(db, context, { kind: 'record.update', objectName: 'deal', recordId, changes: { margin: { before: 30, after: 35 } } });
    await appendAuditEvent(db, context, { kind: 'record.update', objectName: 'deal', recordId, changes: { title: { before: 'A', after: 'B' } } });
    await appendAuditEvent(db, context, { kind: 'record.update', objectName: 'deal', recordId: randomUUID(), changes: { title: { before: 'X', after: 'Y' } } });
    const canReadField = (objectName: string, field: string) => !(objectName === 'deal' && field === 'margin');
    const first = await listRecordHistory(db, workspaceId, 'deal', recordId, { limit: 2 }, { canReadField });
    expect(first.events.map((event) => event.changes)).toEqual([{ title: { before: 'A', after: 'B' } }, {}]);
    const second = await listRecordHistory(db, workspaceId, 'deal', recordId, { limit: 2, cursor: first.nextCursor! }, { canReadField });
    expect(second.events.map((event) => [event.kind, event.changes])).toEqual([['record.create', { title: { before: null, after: 'A' } }]]);
    expect(second.nextCursor).toBeUndefined();
    expect(JSON.stringify([...first.events, ...second.events].map((event) => event.changes))).not.toContain('margin');
    const all = await listRecordHistory(db, workspaceId, 'deal', recordId);
    expect(all.events[1]!.changes).toEqual({ margin: { before: 30, after: 35 } });
  });

  it('filters the audit log by kind, object, record, actor and time', async () => {
    const workspaceId = randomUUID();
    const alice = randomUUID();
    const recordId = randomUUID();
    await appendAuditEvent(db, { workspaceId, actorId: alice }, { kind: 'record.create', objectName: 'deal', recordId });
    await appendAuditEvent(db, { workspaceId }, { kind: 'definition.change', objectName: 'deal', details: { version: 2 } });
    await appendAuditEvent(db, { workspaceId, actorId: alice }, { kind: 'record.delete', objectName: 'account', recordId: randomUUID() });
    const kinds = async (query: Parameters<typeof listAuditEvents>[2]) => (await listAuditEvents(db, workspaceId, query)).events.map((event) => event.kind);
    expect(await kinds({ kinds: ['record.create', 'record.delete'] })).toEqual(['record.delete', 'record.create']);
    expect(await kinds({ objectName: 'deal' })).toEqual(['definition.change', 'record.create']);
    expect(await kinds({ recordId })).toEqual(['record.create']);
    expect(await kinds({ actorId: alice })).toEqual(['record.delete', 'record.create']);
    expect(await kinds({ from: new Date(Date.now() + 60_000) })).toEqual([]);
    expect(await kinds({ to: new Date(Date.now() + 60_000), objectName: 'account' })).toEqual(['record.delete']);
    await expect(listAuditEvents(db, workspaceId, { cursor: 'nonsense' })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
  });
});
