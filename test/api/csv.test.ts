import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accountObject } from '../support/crm-objects.ts';

async function postCsv(daicho: TestDaicho, path: string, csv: string): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await daicho.fetch(path, { method: 'POST', headers: { authorization: `Bearer ${daicho.adminToken}`, 'content-type': 'text/csv' }, body: csv });
  return { status: response.status, body: await response.json() };
}

describe('CSV export and import', () => {
  let daicho: TestDaicho;

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    await daicho.api.post('/api/v1/meta/objects', accountObject);
  });
  afterAll(async () => {
    await daicho?.close();
  });

  it('imports a CSV with mapped Japanese headers, reporting bad rows by their line', async () => {
    const csv = '会社名,従業員数,都道府県\r\n株式会社A,10,東京都\r\n株式会社B,たくさん,大阪府\r\n"株式会社\r\nC",30,京都府\r\n';
    const mapping = encodeURIComponent(JSON.stringify({ 会社名: 'name', 従業員数: 'employees', 都道府県: 'billingAddress.region' }));
    const atomic = await postCsv(daicho, `/api/v1/records/account/import?mapping=${mapping}`, csv);
    expect(atomic.status).toBe(422);
    expect(atomic.body.error.details.report.errors).toEqual([{ row: 3, problems: [expect.objectContaining({ path: '/employees', code: 'type' })] }]);
    const partial = await postCsv(daicho, `/api/v1/records/account/import?mode=partial&mapping=${mapping}`, csv);
    expect(partial.body).toMatchObject({ created: 2, failed: 1 });
    const list = await daicho.api.get('/api/v1/records/account?sort=name');
    expect(list.body.records.map((record: { name: string; billingAddress: { region: string } }) => [record.name, record.billingAddress.region])).toEqual([['株式会社 C', '京都府'], ['株式会社A', '東京都']]);
  });

  it('refuses columns that map to no field, instead of dropping them', async () => {
    const response = await postCsv(daicho, '/api/v1/records/account/import', 'name,shoeSize\r\nX,42\r\n');
    expect(response.status).toBe(422);
    expect(response.body.error.details.problems).toEqual([expect.objectContaining({ path: '/mapping/shoeSize', code: 'unknownField' })]);
  });

  it('exports every matching record as streamed CSV, with formula injection neutralised', async () => {
    const records = Array.from({ length: 1200 }, (_, index) => ({ name: `Bulk ${String(index).padStart(4, '0')}`, employees: index }));
    records.push({ name: '=HYPERLINK("http://evil.example","click")', employees: -1 } as never);
    expect((await daicho.api.post('/api/v1/records/account/import', { records, mode: 'partial' })).body.failed).toBe(1);
    await daicho.api.post('/api/v1/records/account', { name: '@SUM(A1:A9)', employees: 5 });
    const response = await daicho.fetch(`/api/v1/records/account/export.csv?filter=${encodeURIComponent(JSON.stringify({ field: 'employees', op: 'gte', value: 0 }))}&sort=name`, { headers: { authorization: `Bearer ${daicho.adminToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    // text() would drop the byte-order mark; decode keeping it.
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
    expect(text.startsWith('\ufeffid,name,nameKana,industry,email,phone,website,employees,billingAddress.postalCode,')).toBe(true);
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(1 + 1200 + 2 + 1); // header, bulk rows, A and C from before, the @ one
    expect(text).toContain(`"'@SUM(A1:A9)"`);
    expect(text).not.toMatch(/(^|,)[=+@-]/m);
  });

  it('reads an export back in: the round trip changes nothing', async () => {
    const exported = await (await daicho.fetch(`/api/v1/records/account/export.csv?filter=${encodeURIComponent(JSON.stringify({ field: 'name', op: 'startsWith', value: 'Bulk 000' }))}`, { headers: { authorization: `Bearer ${daicho.adminToken}` } })).text();
    const duplicates = encodeURIComponent(JSON.stringify({ fields: ['name'], action: 'update' }));
    const reimported = await postCsv(daicho, `/api/v1/records/account/import?duplicates=${duplicates}`, exported);
    expect(reimported.status).toBe(200);
    expect(reimported.body).toMatchObject({ created: 0, updated: 10, failed: 0, ignoredColumns: ['id', 'code', 'createdAt', 'updatedAt'] });
  });

  it('answers 400 for a bad filter before any CSV is sent', async () => {
    const response = await daicho.fetch(`/api/v1/records/account/export.csv?filter=${encodeURIComponent('{"field":"nope","op":"eq","value":1}')}`, { headers: { authorization: `Bearer ${daicho.adminToken}` } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('INVALID_FILTER');
  });
});
