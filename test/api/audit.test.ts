import type { ObjectDefinition } from '@daicho/sdk';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accountObject } from '../support/crm-objects.ts';
import { queryDatabase } from '../support/database-inspection.ts';

// No formula, auto-number or roll-up: its writes take the one-statement path.
const ticket: ObjectDefinition = {
  name: 'ticket',
  labels: { en: 'Ticket' },
  titleField: 'subject',
  fields: [
    { name: 'subject', type: 'text', labels: { en: 'Subject' }, required: true },
    { name: 'budget', type: 'currency', labels: { en: 'Budget' }, defaultCurrency: 'JPY', precision: 12, scale: 2 },
    { name: 'score', type: 'decimal', labels: { en: 'Score' }, precision: 6, scale: 2 },
    { name: 'dueAt', type: 'datetime', labels: { en: 'Due' } },
    { name: 'opened', type: 'date', labels: { en: 'Opened' } },
    { name: 'urgent', type: 'boolean', labels: { en: 'Urgent' } },
    { name: 'tags', type: 'multiPicklist', labels: { en: 'Tags' }, values: [{ value: 'a', labels: { en: 'A' } }, { value: 'b', labels: { en: 'B' } }] },
    { name: 'extra', type: 'json', labels: { en: 'Extra' } },
    { name: 'site', type: 'address', labels: { en: 'Site' } },
    { name: 'account', type: 'lookup', labels: { en: 'Account' }, target: 'account' },
  ],
};

const order: ObjectDefinition = {
  name: 'purchase',
  labels: { en: 'Purchase' },
  titleField: 'title',
  fields: [{ name: 'title', type: 'text', labels: { en: 'Title' }, required: true }],
};

const orderLine: ObjectDefinition = {
  name: 'purchase_line',
  labels: { en: 'Purchase line' },
  titleField: 'product',
  fields: [
    { name: 'purchase', type: 'masterDetail', labels: { en: 'Purchase' }, target: 'purchase' },
    { name: 'product', type: 'text', labels: { en: 'Product' }, required: true },
  ],
};

describe('audit trail through the API', () => {
  let daicho: TestDaicho;
  let adminId: string;

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    adminId = (await daicho.api.get('/api/v1/auth/me')).body.userId;
    for (const definition of [accountObject, ticket, order, orderLine]) {
      expect((await daicho.api.post('/api/v1/meta/objects', definition)).status).toBe(201);
    }
  });
  afterAll(async () => {
    await daicho?.close();
  });

  const history = async (object: string, id: string, query = '') => (await daicho.api.get(`/api/v1/records/${object}/${id}/history${query}`)).body.events as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

  it('records a create and each update (changed fields only, before and after) with who, from where and which request', async () => {
    const values = {
      subject: 'Printer jam', budget: { amount: 1500.5, currency: 'JPY' }, score: 12.25, dueAt: '2026-12-01T09:30:00.000Z', opened: '2026-11-20',
      urgent: true, tags: ['a'], extra: { sla: 'gold' }, site: { postalCode: '100-0001', region: '東京都', city: '千代田区', country: 'JP' },
    };
    const created = await daicho.api.post('/api/v1/records/ticket', values, { headers: { 'x-request-id': 'req-create-1' } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const updated = await daicho.api.patch(`/api/v1/records/ticket/${id}`, { subject: 'Printer jam', score: 20, tags: ['a', 'b'] }, { headers: { 'if-match': '"1"', 'x-request-id': 'req-update-1' } });
    expect(updated.status).toBe(200);

    const events = await history('ticket', id);
    expect(events.map((event) => event.kind)).toEqual(['record.update', 'record.create']);
    expect(events[0]).toMatchObject({
      actorId: adminId, requestId: 'req-update-1', clientAddress: expect.stringMatching(/127\.0\.0\.1/), objectName: 'ticket', recordId: id,
      changes: { score: { before: 12.25, after: 20 }, tags: { before: ['a'], after: ['a', 'b'] } },
    });
    expect(Object.keys(events[0]!.changes)).toEqual(expect.arrayContaining(['score', 'tags']));
    expect(events[0]!.changes).not.toHaveProperty('subject');
    expect(events[1]).toMatchObject({ actorId: adminId, requestId: 'req-create-1' });
    expect(events[1]!.changes).toEqual(Object.fromEntries(Object.entries(values).map(([field, value]) => [field, { before: null, after: value }])));
  });

  it('records updates that need the current record (formulas, auto-numbers) the same way', async () => {
    const created = await daicho.api.post('/api/v1/records/account', { name: 'Kato Trading', employees: 10 });
    const id = created.body.id as string;
    expect((await daicho.api.patch(`/api/v1/records/account/${id}`, { employees: 12, name: 'Kato Trading' }, { headers: { 'if-match': '"1"' } })).status).toBe(200);
    const events = await history('account', id);
    expect(events[0]).toMatchObject({ kind: 'record.update', changes: { employees: { before: 10, after: 12 } } });
    expect(events[0]!.changes).not.toHaveProperty('name');
    expect(events[1]).toMatchObject({ kind: 'record.create', changes: { name: { before: null, after: 'Kato Trading' }, code: { before: null, after: 'A-0001' } } });
  });

  it('writes no event for a write that fails', async () => {
    const created = await daicho.api.post('/api/v1/records/ticket', { subject: 'Stale' });
    const id = created.body.id as string;
    expect((await daicho.api.patch(`/api/v1/records/ticket/${id}`, { score: 1 }, { headers: { 'if-match': '"7"' } })).status).toBe(412);
    expect((await daicho.api.patch(`/api/v1/records/ticket/${id}`, { score: 'high' }, { headers: { 'if-match': '"1"' } })).status).toBe(422);
    expect((await history('ticket', id)).map((event) => event.kind)).toEqual(['record.create']);
  });

  it('records delete, restore and purge, with an event for each master-detail child they carry along', async () => {
    const parent = (await daicho.api.post('/api/v1/records/purchase', { title: 'PO-1' })).body.id as string;
    const lines = await Promise.all(['bolt', 'nut'].map(async (product) => (await daicho.api.post('/api/v1/records/purchase_line', { purchase: parent, product })).body.id as string));
    expect((await daicho.api.delete(`/api/v1/records/purchase/${parent}`)).status).toBe(204);
    expect((await daicho.api.post(`/api/v1/records/purchase/${parent}/restore`)).status).toBe(200);
    expect((await daicho.api.delete(`/api/v1/records/purchase/${parent}`)).status).toBe(204);
    // History stays readable in the recycle bin.
    expect((await history('purchase', parent)).map((event) => event.kind)).toEqual(['record.delete', 'record.restore', 'record.delete', 'record.create']);
    expect((await daicho.api.post(`/api/v1/records/purchase/${parent}/purge`)).status).toBe(204);

    const log = await daicho.api.get(`/api/v1/audit?object=purchase_line&recordId=${lines[0]}`);
    expect(log.body.events.map((event: { kind: string }) => event.kind)).toEqual(['record.purge', 'record.delete', 'record.restore', 'record.delete', 'record.create']);
    for (const event of log.body.events.slice(0, 4)) expect(event.details).toEqual({ cascadedFrom: { object: 'purchase', recordId: parent } });
    const purged = await daicho.api.get(`/api/v1/audit?kind=record.purge&object=purchase`);
    expect(purged.body.events).toMatchObject([{ recordId: parent, actorId: adminId }]);
    expect((await daicho.api.get(`/api/v1/records/purchase/${parent}/history`)).status).toBe(404);
  });

  it('records a definition change with its version and diff', async () => {
    expect((await daicho.api.post('/api/v1/meta/objects/ticket/fields', { name: 'channel', type: 'text', labels: { en: 'Channel' } }, { headers: { 'x-request-id': 'req-field-1' } })).status).toBe(201);
    const log = await daicho.api.get('/api/v1/audit?kind=definition.change&object=ticket&limit=1');
    expect(log.body.events[0]).toMatchObject({
      kind: 'definition.change', objectName: 'ticket', actorId: adminId, requestId: 'req-field-1',
      details: { definition: 'object', name: 'ticket', version: 2, change: 'updated', diff: [expect.objectContaining({ op: 'add', path: expect.stringMatching(/^\/fields\//) })] },
    });
  });

  it('records one create event per imported record, and update events for rows that update', async () => {
    const imported = await daicho.api.post('/api/v1/records/ticket/import', { records: [{ subject: 'Imp 1', score: 1 }, { subject: 'Imp 2' }] });
    expect(imported.body).toMatchObject({ created: 2 });
    const [row] = await queryDatabase<{ id: string }>(daicho.testDatabase.url, `select id::text from daicho.audit_event where kind = 'record.create' and object_name = 'ticket' and details = '{"import": true}' order by id limit 1`);
    expect(row).toBeDefined();
    const events = (await daicho.api.get('/api/v1/audit?kind=record.create&object=ticket&limit=2')).body.events;
    expect(events).toHaveLength(2);
    for (const event of events) expect(event).toMatchObject({ details: { import: true }, changes: null, actorId: adminId });

    const again = await daicho.api.post('/api/v1/records/ticket/import', { records: [{ subject: 'Imp 1', score: 5 }], duplicates: { fields: ['subject'], action: 'update' } });
    expect(again.body).toMatchObject({ updated: 1 });
    const [update] = (await daicho.api.get('/api/v1/audit?kind=record.update&object=ticket&limit=1')).body.events;
    expect(update.changes).toEqual({ score: { before: 1, after: 5 } });
  });

  describe('GET /api/v1/audit', () => {
    it('is for admins only', async () => {
      const user = await daicho.createUserSession();
      const denied = await daicho.api.get('/api/v1/audit', { token: user.token });
      expect(denied.status).toBe(403);
      expect(denied.body.error.code).toBe('PERMISSION_DENIED');
      expect((await daicho.api.get('/api/v1/audit/verify', { token: user.token })).status).toBe(403);
      expect((await daicho.api.get('/api/v1/audit', { token: null })).status).toBe(401);
    });

    it('pages newest first with a cursor, every event sealed, and filters by actor and time', async () => {
      const first = await daicho.api.get('/api/v1/audit?limit=3');
      expect(first.status).toBe(200);
      expect(first.body.events).toHaveLength(3);
      const second = await daicho.api.get(`/api/v1/audit?limit=3&cursor=${first.body.nextCursor}`);
      const ids = [...first.body.events, ...second.body.events].map((event: { id: string }) => Number(event.id));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(new Set(ids).size).toBe(6);
      for (const event of first.body.events) expect(event.position).toBeGreaterThan(0);
      expect((await daicho.api.get(`/api/v1/audit?actor=${adminId}&limit=1`)).body.events).toHaveLength(1);
      expect((await daicho.api.get('/api/v1/audit?from=2999-01-01T00:00:00Z')).body.events).toEqual([]);
      const bad = await daicho.api.get('/api/v1/audit?from=yesterday');
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('INVALID_QUERY');
      expect((await daicho.api.get('/api/v1/audit?cursor=bogus')).body.error.code).toBe('INVALID_CURSOR');
    });
  });

  it('lets anyone who can read a record read its history, without the fields they may not read, and 404s otherwise', async () => {
    await daicho.api.put('/api/v1/meta/permission-sets/ticket_reader', { name: 'ticket_reader', labels: { en: 'Ticket reader' }, objects: { ticket: { read: true, viewAll: true, fields: { score: 'none' } } } });
    await daicho.api.put('/api/v1/meta/roles/ticket_reader', { name: 'ticket_reader', labels: { en: 'Ticket reader' }, permissionSets: ['ticket_reader'] });
    const reader = await daicho.createUserSession({ roleName: 'ticket_reader' });
    const stranger = await daicho.createUserSession();
    const id = (await daicho.api.post('/api/v1/records/ticket', { subject: 'Shared', score: 4.5 })).body.id as string;
    const read = await daicho.api.get(`/api/v1/records/ticket/${id}/history`, { token: reader.token });
    expect(read.status).toBe(200);
    expect(read.body.events).toHaveLength(1);
    expect(read.body.events[0].changes).toHaveProperty('subject');
    expect(read.body.events[0].changes).not.toHaveProperty('score');
    expect((await daicho.api.get(`/api/v1/records/ticket/${id}/history`)).body.events[0].changes).toHaveProperty('score');
    expect((await daicho.api.get(`/api/v1/records/ticket/${id}/history`, { token: stranger.token })).status).toBe(404);
    expect((await daicho.api.get('/api/v1/records/ticket/0190f5a0-0000-7000-8000-000000000000/history')).status).toBe(404);
    expect((await daicho.api.get(`/api/v1/records/nothing/${id}/history`)).status).toBe(404);
  });

  it('verifies the chain, and finds the first event edited or deleted behind the platform\'s back', async () => {
    await daicho.api.post('/api/v1/records/ticket', { subject: 'Before the check' });
    const verified = await daicho.api.get('/api/v1/audit/verify');
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true, head: { hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(verified.body.checked).toBe(verified.body.head.position);

    const workspaceId = (await daicho.api.get('/api/v1/auth/me')).body.workspaceId;
    await queryDatabase(daicho.testDatabase.url, `update daicho.audit_event set changes = '{}' where workspace_id = $1 and chain_position = 5`, [workspaceId]);
    expect((await daicho.api.get('/api/v1/audit/verify')).body).toMatchObject({ ok: false, checked: 4, firstBroken: { position: 5, problem: 'altered' } });
    await queryDatabase(daicho.testDatabase.url, `delete from daicho.audit_event where workspace_id = $1 and chain_position = 3`, [workspaceId]);
    expect((await daicho.api.get('/api/v1/audit/verify')).body).toMatchObject({ ok: false, firstBroken: { position: 3, problem: 'missing' } });
  });
});
