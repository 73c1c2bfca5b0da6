import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accountObject, dealObject } from '../support/crm-objects.ts';
import { queryDatabase, tableColumns, tableIndexes, workspaceSchema } from '../support/database-inspection.ts';

describe('metadata API', () => {
  let daicho: TestDaicho;
  let schema: string;

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    const me = await daicho.api.get('/api/v1/auth/me');
    schema = workspaceSchema(me.body.workspaceId);
  });
  afterAll(async () => {
    await daicho?.close();
  });

  describe('succeeds', () => {
    it('creates an object and its table with typed columns, system columns and indexes', async () => {
      const created = await daicho.api.post('/api/v1/meta/objects', accountObject);
      expect(created.status).toBe(201);
      expect(created.headers.get('etag')).toBe('"1"');
      expect(created.body.object).toMatchObject({ name: 'account', table: 'obj_account' });
      expect(created.body.object.fields.every((field: { id: string }) => /^fld_[0-9a-f]{32}$/.test(field.id))).toBe(true);
      expect(await tableColumns(daicho.testDatabase.url, schema, 'obj_account')).toEqual([
        { column: 'id', type: 'uuid' },
        { column: 'created_at', type: 'timestamp(3) with time zone' },
        { column: 'updated_at', type: 'timestamp(3) with time zone' },
        { column: 'created_by', type: 'uuid' },
        { column: 'updated_by', type: 'uuid' },
        { column: 'owner_id', type: 'uuid' },
        { column: 'version', type: 'integer' },
        { column: 'deleted_at', type: 'timestamp(3) with time zone' },
        { column: 'search_text', type: 'text' },
        { column: 'f_name', type: 'text' },
        { column: 'f_name_kana', type: 'text' },
        { column: 'f_industry', type: 'text' },
        { column: 'f_email', type: 'text' },
        { column: 'f_phone', type: 'text' },
        { column: 'f_website', type: 'text' },
        { column: 'f_employees', type: 'bigint' },
        { column: 'f_billing_address', type: 'jsonb' },
        { column: 'f_founded', type: 'date' },
        { column: 'f_active', type: 'boolean' },
        { column: 'f_code', type: 'text' },
      ]);
      const deal = await daicho.api.post('/api/v1/meta/objects', dealObject);
      expect(deal.status).toBe(201);
      const indexes = await tableIndexes(daicho.testDatabase.url, schema, 'obj_deal');
      expect(indexes).toEqual(expect.arrayContaining(['btree (id)', 'btree (f_account)', 'btree (f_stage)', 'btree (owner_id)']));
      const foreignKeys = await queryDatabase(daicho.testDatabase.url, `select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = $1::regclass and contype = 'f'`, [`${schema}.obj_deal`]);
      expect(foreignKeys).toEqual([{ def: `FOREIGN KEY (f_account) REFERENCES ${schema}.obj_account(id) ON DELETE SET NULL` }]);
    });

    it('lists and reads definitions, with their version history and diffs', async () => {
      const list = await daicho.api.get('/api/v1/meta/objects');
      expect(list.body.objects.map((object: { name: string }) => object.name)).toEqual(['account', 'deal']);
      const relabel = { ...structuredClone(accountObject), labels: { en: 'Customer', ja: '顧客' } };
      const updated = await daicho.api.put('/api/v1/meta/objects/account', relabel, { headers: { 'if-match': '"1"' } });
      expect(updated.status).toBe(200);
      expect(updated.body.steps).toEqual([]); // labels change no DDL
      const versions = await daicho.api.get('/api/v1/meta/objects/account/versions');
      expect(versions.body.versions.map((v: { version: number; change: string }) => [v.version, v.change])).toEqual([[2, 'updated'], [1, 'created']]);
      expect(versions.body.versions[0].diff).toEqual([
        { op: 'replace', path: '/labels/en', value: 'Customer' },
        { op: 'replace', path: '/labels/ja', value: '顧客' },
      ]);
    });

    it('refuses a stale If-Match on a definition', async () => {
      const stale = await daicho.api.put('/api/v1/meta/objects/account', accountObject, { headers: { 'if-match': '"1"' } });
      expect(stale.status).toBe(412);
      expect(stale.body.error.code).toBe('PRECONDITION_FAILED');
      expect(stale.body.error.details.current).toMatchObject({ object: { name: 'account' }, version: 2 });
    });
  });

  describe('fails with per-path problems', () => {
    it.each([
      ['an unknown field type', { name: 'thing', labels: { en: 'Thing' }, fields: [{ name: 'x', type: 'hologram', labels: { en: 'X' } }] }, '/fields/0/type'],
      ['a name that is not an identifier', { name: 'Thing; drop table x', labels: { en: 'Thing' }, fields: [] }, '/name'],
      ['a reserved field name', { name: 'thing', labels: { en: 'Thing' }, fields: [{ name: 'createdAt', type: 'text', labels: { en: 'X' } }] }, '/fields/0/name'],
      ['two fields with one name', { name: 'thing', labels: { en: 'Thing' }, fields: [{ name: 'x', type: 'text', labels: { en: 'X' } }, { name: 'X', type: 'integer', labels: { en: 'Y' } }] }, '/fields/1/name'],
      ['a lookup to nothing', { name: 'thing', labels: { en: 'Thing' }, fields: [{ name: 'x', type: 'lookup', labels: { en: 'X' }, target: 'nothing' }] }, '/fields/0/target'],
      ['a picklist default outside its values', { name: 'thing', labels: { en: 'Thing' }, fields: [{ name: 'x', type: 'picklist', labels: { en: 'X' }, values: [{ value: 'a', labels: { en: 'A' } }], default: 'b' }] }, '/fields/0/default'],
      ['an extra property', { name: 'thing', labels: { en: 'Thing' }, fields: [], cachedData: 'x' }, '/cachedData'],
      ['a platform-managed id', { name: 'thing', labels: { en: 'Thing' }, fields: [{ id: 'fld_00000000000000000000000000000000', name: 'x', type: 'text', labels: { en: 'X' } }] }, '/fields/0/id'],
      ['a catastrophic pattern', { name: 'thing', labels: { en: 'Thing' }, fields: [{ name: 'x', type: 'text', labels: { en: 'X' }, pattern: '^(a+)+$' }] }, '/fields/0/pattern'],
    ])('refuses %s', async (_what, definition, path) => {
      const response = await daicho.api.post('/api/v1/meta/objects', definition);
      expect(response.status).toBe(422);
      expect(response.body.error.code).toBe('INVALID_DEFINITION');
      expect(response.body.error.details.problems.map((problem: { path: string }) => problem.path)).toContain(path);
      expect((await daicho.api.get('/api/v1/meta/objects/thing')).status).toBe(404);
    });

    it('snapshots the error body', async () => {
      const response = await daicho.api.post('/api/v1/meta/objects', { name: 'thing', labels: { en: 'Thing' }, fields: [{ name: 'x', type: 'integer', labels: { en: 'X' }, min: 5, max: 1 }, { name: 'y', type: 'lookup', labels: {}, target: 'nowhere' }] });
      expect({ ...response.body.error, requestId: undefined }).toMatchInlineSnapshot(`
        {
          "code": "INVALID_DEFINITION",
          "details": {
            "problems": [
              {
                "code": "minProperties",
                "message": "needs a label in ja or en",
                "path": "/fields/1/labels",
              },
            ],
          },
          "message": "The definition is not valid: /fields/1/labels needs a label in ja or en",
          "requestId": undefined,
        }
      `);
    });

    it('refuses definitions from a user who is not an admin', async () => {
      const { token } = await daicho.createUserSession({ isAdmin: false });
      const response = await daicho.api.post('/api/v1/meta/objects', { name: 'thing', labels: { en: 'Thing' }, fields: [] }, { token });
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('PERMISSION_DENIED');
      expect((await daicho.api.get('/api/v1/meta/objects', { token })).status).toBe(200);
    });

    it('refuses requests without a session', async () => {
      const response = await daicho.api.get('/api/v1/meta/objects', { token: null });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('UNAUTHENTICATED');
    });
  });
});
