import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accountObject, dealObject } from '../support/crm-objects.ts';
import { queryDatabase, tableColumns, tableIndexes, workspaceSchema } from '../support/database-inspection.ts';

describe('field lifecycle', () => {
  let daicho: TestDaicho;
  let schema: string;

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    schema = workspaceSchema((await daicho.api.get('/api/v1/auth/me')).body.workspaceId);
    await daicho.api.post('/api/v1/meta/objects', accountObject);
  });
  afterAll(async () => {
    await daicho?.close();
  });

  it('hides a deleted field at once, keeps its values, restores them, and purges after retention', async () => {
    const account = await daicho.api.post('/api/v1/records/account', { name: 'Keep', website: 'https://example.com' });
    const deleted = await daicho.api.delete('/api/v1/meta/objects/account/fields/website');
    expect(deleted.status).toBe(200);
    const hidden = await daicho.api.get(`/api/v1/records/account/${account.body.id}`);
    expect(hidden.body).not.toHaveProperty('website');
    expect((await daicho.api.post('/api/v1/records/account', { name: 'X', website: 'https://x.example' })).body.error.details.problems[0].code).toBe('unknownField');
    expect((await tableColumns(daicho.testDatabase.url, schema, 'obj_account')).map((c) => c.column)).toContain('f_website');

    const restored = await daicho.api.post('/api/v1/meta/objects/account/fields/website/restore');
    expect(restored.status).toBe(200);
    expect((await daicho.api.get(`/api/v1/records/account/${account.body.id}`)).body.website).toBe('https://example.com');

    await daicho.api.delete('/api/v1/meta/objects/account/fields/website');
    // Nothing is past the retention period yet: the purge keeps the column.
    expect((await daicho.api.post('/api/v1/meta/purge-deleted-fields')).body.purged).toEqual([]);
    await queryDatabase(daicho.testDatabase.url, `update daicho.definition set body = jsonb_set(body, '{deletedFields,0,deletedAt}', '"2000-01-01T00:00:00.000Z"') where name = 'account'`);
    daicho.metadata.invalidate((await daicho.api.get('/api/v1/auth/me')).body.workspaceId);
    expect((await daicho.api.post('/api/v1/meta/purge-deleted-fields')).body.purged).toEqual([{ object: 'account', fields: ['website'] }]);
    expect((await tableColumns(daicho.testDatabase.url, schema, 'obj_account')).map((c) => c.column)).not.toContain('f_website');
  });

  it('gives a field re-created with a deleted field\'s name a new id and a new, empty column', async () => {
    const before = (await daicho.api.get('/api/v1/meta/objects/account')).body.object.fields.find((f: { name: string }) => f.name === 'nameKana');
    const account = await daicho.api.post('/api/v1/records/account', { name: 'Kana', nameKana: 'カナ' });
    await daicho.api.delete('/api/v1/meta/objects/account/fields/nameKana');
    const added = await daicho.api.post('/api/v1/meta/objects/account/fields', { name: 'nameKana', type: 'text', labels: { en: 'Kana again' } });
    expect(added.status).toBe(201);
    const after = added.body.object.fields.find((f: { name: string }) => f.name === 'nameKana');
    expect(after.id).not.toBe(before.id);
    expect(after.column).not.toBe(before.column);
    expect((await daicho.api.get(`/api/v1/records/account/${account.body.id}`)).body.nameKana).toBeNull();
  });

  it('changes a field\'s type, converting what converts and keeping what does not', async () => {
    await daicho.api.post('/api/v1/meta/objects/account/fields', { name: 'headcount', type: 'text', labels: { en: 'Headcount' } });
    const values = ['12', ' 40 ', 'about 50', '3.5', '', '１００'];
    const ids: string[] = [];
    for (const value of values) ids.push((await daicho.api.post('/api/v1/records/account', { name: `HC ${value}`, headcount: value })).body.id);
    const integer = { name: 'headcount', type: 'integer', labels: { en: 'Headcount' } };

    const preview = await daicho.api.post('/api/v1/meta/objects/account/fields/headcount/preview', integer);
    expect(preview.status).toBe(200);
    expect(preview.body.conversions).toEqual([{ field: 'headcount', report: expect.objectContaining({ total: 5, converted: 3, unconvertible: 2 }) }]);
    expect((await daicho.api.get('/api/v1/meta/objects/account')).body.object.fields.find((f: { name: string }) => f.name === 'headcount').type).toBe('text');

    const changed = await daicho.api.put('/api/v1/meta/objects/account/fields/headcount', integer);
    expect(changed.status).toBe(200);
    const report = changed.body.conversions[0].report;
    expect(report).toMatchObject({ total: 5, converted: 3, unconvertible: 2 });
    expect(report.samples.map((sample: { value: string }) => sample.value).sort()).toEqual(['3.5', 'about 50']);
    const read = await Promise.all(ids.map((id) => daicho.api.get(`/api/v1/records/account/${id}`)));
    expect(read.map((response) => response.body.headcount)).toEqual([12, 40, null, null, null, 100]); // '' is stored as no value
    // The old values are kept, restorable, in the previous column.
    const kept = changed.body.object.deletedFields.find((entry: { reason: string }) => entry.reason === 'typeChange');
    const rows = await queryDatabase(daicho.testDatabase.url, `select ${kept.field.column} as old from "${schema}".obj_account where id = $1`, [ids[2]]);
    expect(rows).toEqual([{ old: 'about 50' }]);
  });

  it('refuses to make a field unique while records share a value, and enforces it once unique', async () => {
    await daicho.api.post('/api/v1/records/account', { name: 'Twin', email: 'twin@example.com' });
    await daicho.api.post('/api/v1/records/account', { name: 'Twin 2', email: 'twin@example.com' });
    const email = { name: 'email', type: 'email', labels: { en: 'E-mail' }, unique: true };
    const refused = await daicho.api.put('/api/v1/meta/objects/account/fields/email', email);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('DUPLICATE_VALUE');
    await queryDatabase(daicho.testDatabase.url, `update "${schema}".obj_account set f_email = null where f_name = 'Twin 2'`);
    const accepted = await daicho.api.put('/api/v1/meta/objects/account/fields/email', email);
    expect(accepted.status).toBe(200);
    expect(await tableIndexes(daicho.testDatabase.url, schema, 'obj_account')).toContain('btree (f_email) WHERE (deleted_at IS NULL)');
    const duplicate = await daicho.api.post('/api/v1/records/account', { name: 'Twin 3', email: 'TWIN@example.com' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toMatchObject({ code: 'DUPLICATE_VALUE', details: { field: 'email' } });
  });

  it('exports definitions and imports them into an empty workspace, giving identical tables', async () => {
    await daicho.api.post('/api/v1/meta/objects', dealObject);
    const exported = await daicho.api.get('/api/v1/meta/export');
    expect(exported.status).toBe(200);
    const other = await daicho.createUserSession({ isAdmin: true, workspaceSlug: 'imported' });
    const imported = await daicho.api.post('/api/v1/meta/import', exported.body, { token: other.token });
    expect(imported.status).toBe(200);
    const otherSchema = workspaceSchema(other.workspaceId);
    for (const table of ['obj_account', 'obj_deal']) {
      const sorted = async (name: string) => (await tableColumns(daicho.testDatabase.url, name, table)).sort((a, b) => a.column.localeCompare(b.column));
      expect(await sorted(otherSchema)).toEqual(await sorted(schema));
      expect(await tableIndexes(daicho.testDatabase.url, otherSchema, table)).toEqual(await tableIndexes(daicho.testDatabase.url, schema, table));
    }
    const definitions = await daicho.api.get('/api/v1/meta/objects', { token: other.token });
    expect(definitions.body.objects.map((object: { fields: unknown }) => object.fields)).toEqual(exported.body.objects.map((object: { fields: unknown }) => object.fields));
  });
});
