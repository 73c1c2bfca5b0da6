import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accountObject, dealObject } from '../support/crm-objects.ts';
import { queryDatabase, workspaceSchema } from '../support/database-inspection.ts';

describe('bulk import', () => {
  let daicho: TestDaicho;
  let schema: string;
  const count = async () => (await queryDatabase<{ n: number }>(daicho.testDatabase.url, `select count(*)::int as n from "${schema}".obj_account where deleted_at is null`))[0]!.n;

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    schema = workspaceSchema((await daicho.api.get('/api/v1/auth/me')).body.workspaceId);
    await daicho.api.post('/api/v1/meta/objects', accountObject);
    await daicho.api.post('/api/v1/meta/objects', dealObject);
  });
  afterAll(async () => {
    await daicho?.close();
  });

  it('imports nothing in atomic mode when a row is bad, and reports each bad row', async () => {
    const records = [{ name: 'Ok 1' }, { name: 'Bad', employees: 'many' }, { name: 'Ok 2' }, { employees: 3 }];
    const response = await daicho.api.post('/api/v1/records/account/import', { records });
    expect(response.status).toBe(422);
    expect(response.body.error.details.report.errors.map((error: { row: number }) => error.row)).toEqual([2, 4]);
    expect(await count()).toBe(0);
  });

  it('imports the good rows in partial mode and numbers them', async () => {
    const records = [{ name: 'Ok 1' }, { name: 'Bad', employees: 'many' }, { name: 'Ok 2' }];
    const response = await daicho.api.post('/api/v1/records/account/import', { records, mode: 'partial' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ created: 2, failed: 1, skipped: 0, updated: 0 });
    expect(await count()).toBe(2);
    const codes = await queryDatabase<{ code: string }>(daicho.testDatabase.url, `select f_code as code from "${schema}".obj_account order by f_code`);
    expect(codes.map((row) => row.code)).toEqual(['A-0001', 'A-0002']);
  });

  it('finds duplicates after normalisation, in the file and against existing records', async () => {
    await daicho.api.post('/api/v1/records/account', { name: 'Existing', email: 'dup@example.com' });
    const records = [
      { name: 'Same as existing', email: ' DUP@example.com ' },
      { name: 'New', email: 'new@example.com' },
      { name: 'Same as row 2', email: 'ＮＥＷ@example.com' },
    ];
    const skipped = await daicho.api.post('/api/v1/records/account/import', { records, mode: 'partial', duplicates: { fields: ['email'], action: 'skip' } });
    expect(skipped.body).toMatchObject({ created: 1, skipped: 2, failed: 0 });
    const updated = await daicho.api.post('/api/v1/records/account/import', { records: [{ name: 'Renamed', email: 'dup@example.com' }], duplicates: { fields: ['email'], action: 'update' } });
    expect(updated.body).toMatchObject({ created: 0, updated: 1 });
    const rows = await queryDatabase(daicho.testDatabase.url, `select f_name as name from "${schema}".obj_account where f_email = 'dup@example.com'`);
    expect(rows).toEqual([{ name: 'Renamed' }]);
  });

  it('stores every type exactly, as a create would', async () => {
    const account = (await daicho.api.post('/api/v1/records/account', { name: 'Typed import' })).body;
    const deal = { title: 'Imported', account: account.id, stage: 'won', amount: { amount: 1234567, currency: 'USD' }, probability: 55, closeDate: '2026-07-01', tags: ['hot', 'renewal'], notes: 'line 1\nline 2' };
    const response = await daicho.api.post('/api/v1/records/deal/import', { records: [deal] });
    expect(response.body).toMatchObject({ created: 1, failed: 0 });
    const filter = encodeURIComponent(JSON.stringify({ field: 'title', op: 'eq', value: 'Imported' }));
    const [stored] = (await daicho.api.get(`/api/v1/records/deal?filter=${filter}`)).body.records;
    expect(stored).toMatchObject({ ...deal, expected: 679011.85 });
  });
});
