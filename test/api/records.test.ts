import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accountObject, dealObject } from '../support/crm-objects.ts';
import { queryDatabase, workspaceSchema } from '../support/database-inspection.ts';

describe('records API', () => {
  let daicho: TestDaicho;
  let schema: string;

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    schema = workspaceSchema((await daicho.api.get('/api/v1/auth/me')).body.workspaceId);
    expect((await daicho.api.post('/api/v1/meta/objects', accountObject)).status).toBe(201);
    expect((await daicho.api.post('/api/v1/meta/objects', dealObject)).status).toBe(201);
  });
  afterAll(async () => {
    await daicho?.close();
  });

  describe('create and read', () => {
    it('creates a record, normalising input, numbering and defaulting, and reads it back', async () => {
      const created = await daicho.api.post('/api/v1/records/account', {
        name: '　株式会社　ＡＢＣ　',
        nameKana: 'ｶﾌﾞｼｷｶﾞｲｼｬ ｴｰﾋﾞｰｼｰ',
        email: ' Info@Example.CO.JP ',
        phone: '０３－１２３４－５６７８',
        employees: 120,
        industry: 'manufacturing',
        billingAddress: { postalCode: '100-0001', region: '東京都', city: '千代田区', country: 'JP' },
        founded: '1999-04-01',
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('etag')).toBe('"1"');
      expect(created.headers.get('location')).toBe(`/api/v1/records/account/${created.body.id}`);
      expect(created.body).toMatchObject({
        name: '株式会社 ABC',
        nameKana: 'カブシキガイシャ エービーシー',
        email: 'info@example.co.jp',
        phone: '+81312345678',
        employees: 120,
        active: true,
        code: 'A-0001',
        version: 1,
        billingAddress: { postalCode: '100-0001', region: '東京都', city: '千代田区', country: 'JP' },
        founded: '1999-04-01',
      });
      expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
      const read = await daicho.api.get(`/api/v1/records/account/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);
    });

    it('stores every value in its typed column (no JSON blob)', async () => {
      const account = await daicho.api.post('/api/v1/records/account', { name: 'Typed' });
      const deal = await daicho.api.post('/api/v1/records/deal', { title: 'Typed deal', account: account.body.id, amount: { amount: 1200000, currency: 'JPY' }, probability: 40, closeDate: '2026-12-24', tags: ['hot'] });
      expect(deal.status).toBe(201);
      expect(deal.body).toMatchObject({ stage: 'prospect', amount: { amount: 1200000, currency: 'JPY' }, expected: 480000, tags: ['hot'] });
      const [row] = await queryDatabase(daicho.testDatabase.url, `select f_amount::text as amount, f_amount_cur as currency, f_close_date::text as close, f_tags as tags from "${schema}".obj_deal where id = $1`, [deal.body.id]);
      expect(row).toEqual({ amount: '1200000', currency: 'JPY', close: '2026-12-24', tags: ['hot'] });
    });

    it('answers 404 for an unknown object or id, without leaking anything', async () => {
      expect((await daicho.api.get('/api/v1/records/nothing')).body.error.code).toBe('NOT_FOUND');
      expect((await daicho.api.get('/api/v1/records/account/not-a-uuid')).status).toBe(404);
      expect((await daicho.api.get('/api/v1/records/account/00000000-0000-7000-8000-000000000000')).status).toBe(404);
    });
  });

  describe('validation', () => {
    it('answers 422 with one problem per field and writes nothing', async () => {
      const before = await queryDatabase(daicho.testDatabase.url, `select count(*)::int as n from "${schema}".obj_account`);
      const response = await daicho.api.post('/api/v1/records/account', {
        nameKana: 'x'.repeat(300),
        employees: -1,
        industry: 'legacy',
        email: 'not an address',
        founded: '2026-02-30',
        id: '00000000-0000-7000-8000-000000000000',
        code: 'A-9999',
        ownerId: '00000000-0000-7000-8000-000000000000',
        surprise: true,
      });
      expect(response.status).toBe(422);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      const problems = response.body.error.details.problems.map((p: { path: string; code: string }) => `${p.path} ${p.code}`).sort();
      expect(problems).toEqual(['/code readOnly', '/email missingAt', '/employees minimum', '/founded format', '/id systemField', '/industry enum', '/name required', '/nameKana maxLength', '/ownerId systemField', '/surprise unknownField'].sort());
      expect(await queryDatabase(daicho.testDatabase.url, `select count(*)::int as n from "${schema}".obj_account`)).toEqual(before);
    });

    it('keeps an inactive picklist value on a record that already has it', async () => {
      const account = await daicho.api.post('/api/v1/records/account', { name: 'Old' });
      await queryDatabase(daicho.testDatabase.url, `update "${schema}".obj_account set f_industry = 'legacy' where id = $1`, [account.body.id]);
      const kept = await daicho.api.patch(`/api/v1/records/account/${account.body.id}`, { industry: 'legacy', employees: 3 }, { headers: { 'if-match': '"1"' } });
      expect(kept.status).toBe(200);
      const other = await daicho.api.post('/api/v1/records/account', { name: 'New', industry: 'legacy' });
      expect(other.status).toBe(422);
    });

    it('refuses a lookup to a record that does not exist', async () => {
      const response = await daicho.api.post('/api/v1/records/deal', { title: 'Orphan', account: '00000000-0000-7000-8000-000000000000' });
      expect(response.status).toBe(422);
      expect(response.body.error.details.problems).toEqual([{ path: '/account', code: 'unknownReference', message: 'refers to a record that does not exist' }]);
    });
  });

  describe('concurrency', () => {
    it('lets exactly one of two parallel PATCHes with the same ETag through', async () => {
      const account = await daicho.api.post('/api/v1/records/account', { name: 'Race' });
      const patch = (employees: number) => daicho.api.patch(`/api/v1/records/account/${account.body.id}`, { employees }, { headers: { 'if-match': '"1"' } });
      const results = await Promise.all([patch(1), patch(2)]);
      expect(results.map((result) => result.status).sort()).toEqual([200, 412]);
      const loser = results.find((result) => result.status === 412)!;
      expect(loser.body.error.code).toBe('PRECONDITION_FAILED');
      expect(loser.body.error.details.current.version).toBe(2);
      const final = await daicho.api.get(`/api/v1/records/account/${account.body.id}`);
      expect(final.body.version).toBe(2);
      expect(final.headers.get('etag')).toBe('"2"');
    });

    it('answers 409 with the current record when the body names a stale version, and 428 without any', async () => {
      const account = await daicho.api.post('/api/v1/records/account', { name: 'Stale' });
      await daicho.api.patch(`/api/v1/records/account/${account.body.id}`, { employees: 5, version: 1 });
      const stale = await daicho.api.patch(`/api/v1/records/account/${account.body.id}`, { employees: 6, version: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('VERSION_CONFLICT');
      expect(stale.body.error.details.current).toMatchObject({ employees: 5, version: 2 });
      const unguarded = await daicho.api.patch(`/api/v1/records/account/${account.body.id}`, { employees: 7 });
      expect(unguarded.status).toBe(428);
      expect(unguarded.body.error.code).toBe('PRECONDITION_REQUIRED');
    });
  });

  describe('concurrency on objects written in one statement (no formula, auto-number or roll-up)', () => {
    beforeAll(async () => {
      const note = { name: 'note', labels: { en: 'Note' }, titleField: 'subject', fields: [{ name: 'subject', type: 'text', labels: { en: 'Subject' } }, { name: 'body', type: 'longText', labels: { en: 'Body' } }] };
      expect((await daicho.api.post('/api/v1/meta/objects', note)).status).toBe(201);
    });

    it('lets exactly one of several parallel PATCHes with the same ETag through, and counts every change', async () => {
      const note = await daicho.api.post('/api/v1/records/note', { subject: 'Race' });
      const results = await Promise.all([1, 2, 3, 4].map((n) => daicho.api.patch(`/api/v1/records/note/${note.body.id}`, { body: `edit ${n}` }, { headers: { 'if-match': '"1"' } })));
      expect(results.map((result) => result.status).sort()).toEqual([200, 412, 412, 412]);
      const winner = results.find((result) => result.status === 200)!;
      const final = await daicho.api.get(`/api/v1/records/note/${note.body.id}`);
      expect(final.body).toMatchObject({ version: 2, body: winner.body.body });
    });

    it('answers 404, 409 and 412 as the slower path does', async () => {
      const note = await daicho.api.post('/api/v1/records/note', { subject: 'Paths' });
      expect((await daicho.api.patch('/api/v1/records/note/00000000-0000-7000-8000-000000000000', { body: 'x' }, { headers: { 'if-match': '"1"' } })).status).toBe(404);
      expect((await daicho.api.patch(`/api/v1/records/note/${note.body.id}`, { body: 'x', version: 7 })).body.error.code).toBe('VERSION_CONFLICT');
      expect((await daicho.api.patch(`/api/v1/records/note/${note.body.id}`, { body: 'x' }, { headers: { 'if-match': '"7"' } })).body.error.code).toBe('PRECONDITION_FAILED');
      const overwrite = await daicho.api.patch(`/api/v1/records/note/${note.body.id}`, { body: 'anyway' }, { headers: { 'if-match': '*' } });
      expect(overwrite.status).toBe(200);
      expect(overwrite.body.version).toBe(2);
      // Changing the searched title takes the full path and still updates search.
      await daicho.api.patch(`/api/v1/records/note/${note.body.id}`, { subject: 'Renamed topic' }, { headers: { 'if-match': '"2"' } });
      const hits = await daicho.api.get('/api/v1/search?q=renamed');
      expect(hits.body.hits.map((hit: { id: string }) => hit.id)).toContain(note.body.id);
    });
  });

  describe('idempotency', () => {
    it('replays the first response for a retried POST and creates one record', async () => {
      const key = `key-${Date.now()}`;
      const first = await daicho.api.post('/api/v1/records/account', { name: 'Once' }, { headers: { 'idempotency-key': key } });
      const retry = await daicho.api.post('/api/v1/records/account', { name: 'Once' }, { headers: { 'idempotency-key': key } });
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      const rows = await queryDatabase(daicho.testDatabase.url, `select count(*)::int as n from "${schema}".obj_account where f_name = 'Once'`);
      expect(rows).toEqual([{ n: 1 }]);
      const reused = await daicho.api.post('/api/v1/records/account', { name: 'Different' }, { headers: { 'idempotency-key': key } });
      expect(reused.status).toBe(422);
      expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('creates one record when the same key arrives twice at once', async () => {
      const key = `parallel-${Date.now()}`;
      const results = await Promise.all([1, 2, 3].map(() => daicho.api.post('/api/v1/records/account', { name: 'Parallel' }, { headers: { 'idempotency-key': key } })));
      for (const result of results) expect([201, 409]).toContain(result.status);
      expect(results.filter((result) => result.status === 409).every((result) => result.body.error.code === 'IDEMPOTENCY_KEY_IN_USE')).toBe(true);
      const rows = await queryDatabase(daicho.testDatabase.url, `select count(*)::int as n from "${schema}".obj_account where f_name = 'Parallel'`);
      expect(rows).toEqual([{ n: 1 }]);
    });
  });

  describe('recycle bin', () => {
    it('soft-deletes, restores and purges', async () => {
      const account = await daicho.api.post('/api/v1/records/account', { name: 'Bin' });
      const id = account.body.id;
      expect((await daicho.api.delete(`/api/v1/records/account/${id}`)).status).toBe(204);
      expect((await daicho.api.get(`/api/v1/records/account/${id}`)).status).toBe(404);
      const bin = await daicho.api.get(`/api/v1/records/account?deleted=true&filter=${encodeURIComponent(JSON.stringify({ field: 'id', op: 'eq', value: id }))}`);
      expect(bin.body.records.map((record: { id: string }) => record.id)).toEqual([id]);
      const restored = await daicho.api.post(`/api/v1/records/account/${id}/restore`);
      expect(restored.status).toBe(200);
      expect(restored.body.version).toBe(3);
      await daicho.api.delete(`/api/v1/records/account/${id}`);
      expect((await daicho.api.post(`/api/v1/records/account/${id}/purge`)).status).toBe(204);
      expect(await queryDatabase(daicho.testDatabase.url, `select id from "${schema}".obj_account where id = $1`, [id])).toEqual([]);
    });
  });
});
