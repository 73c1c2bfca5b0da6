import pg from 'pg';
import type { ObjectDefinition } from '@daicho/sdk';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accountObject, dealObject } from '../support/crm-objects.ts';
import { errorBody, sendDeclaredBody, type ErrorCase } from '../support/error-bodies.ts';

// Every failure of the records, search and OpenAPI endpoints, with its full error body
// snapshotted: a change of code, message or details shows in review.

const contactObject: ObjectDefinition = {
  name: 'contact',
  labels: { en: 'Contact' },
  titleField: 'fullName',
  fields: [
    { name: 'fullName', type: 'text', labels: { en: 'Full name' }, required: true },
    { name: 'email', type: 'email', labels: { en: 'E-mail' }, unique: true },
    { name: 'account', type: 'lookup', labels: { en: 'Account' }, target: 'account', onDelete: 'restrict' },
  ],
};

const missingId = '01900000-0000-7000-8000-000000000000';
const overOneMebibyte = JSON.stringify({ title: 'x'.repeat(1024 * 1024 + 10) });
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const filterQuery = (filter: unknown) => `filter=${encodeURIComponent(JSON.stringify(filter))}`;
const deepFilter = (depth: number): unknown => (depth === 0 ? { field: 'title', op: 'eq', value: 'x' } : { not: deepFilter(depth - 1) });

describe('error bodies of the records API', () => {
  let daicho: TestDaicho;
  const ids = { account: '', referencedAccount: '', deal: '', deletedDeal: '', otherCursor: '', userToken: '' };
  let me: { workspaceId: string; userId: string };

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    for (const object of [accountObject, dealObject, contactObject]) expect((await daicho.api.post('/api/v1/meta/objects', object)).status).toBe(201);
    me = (await daicho.api.get('/api/v1/auth/me')).body;
    ids.account = (await daicho.api.post('/api/v1/records/account', { name: 'Acme' })).body.id;
    ids.referencedAccount = (await daicho.api.post('/api/v1/records/account', { name: 'Referenced' })).body.id;
    expect((await daicho.api.post('/api/v1/records/contact', { fullName: 'Taken', email: 'taken@example.com', account: ids.referencedAccount })).status).toBe(201);
    const deal = await daicho.api.post('/api/v1/records/deal', { title: 'Current', account: ids.account });
    ids.deal = deal.body.id;
    expect((await daicho.api.patch(`/api/v1/records/deal/${ids.deal}`, { title: 'Current, changed' }, { headers: { 'if-match': '"1"' } })).status).toBe(200);
    ids.deletedDeal = (await daicho.api.post('/api/v1/records/deal', { title: 'Deleted' })).body.id;
    expect((await daicho.api.delete(`/api/v1/records/deal/${ids.deletedDeal}`)).status).toBe(204);
    expect((await daicho.api.post('/api/v1/records/deal', { title: 'Another' })).status).toBe(201);
    const page = await daicho.api.get('/api/v1/records/deal?limit=1&sort=title');
    ids.otherCursor = page.body.nextCursor;
    expect(ids.otherCursor).toBeTruthy();
    ids.userToken = (await daicho.createUserSession({ isAdmin: false })).token;
  });
  afterAll(async () => {
    await daicho?.close();
  });

  const api = () => daicho.api;
  const text = (path: string, body: string, contentType: string) => api().post(path, body, { headers: { 'content-type': contentType } });

  const groups: Record<string, ErrorCase[]> = {
    'GET /api/v1/records/:object': [
      { name: 'no session', status: 401, send: () => api().get('/api/v1/records/deal', { token: null }) },
      { name: 'a token that is not a session', status: 401, send: () => api().get('/api/v1/records/deal', { token: 'x'.repeat(43) }) },
      { name: 'unknown object', status: 404, send: () => api().get('/api/v1/records/nothing') },
      { name: 'filter not JSON', status: 400, send: () => api().get('/api/v1/records/deal?filter=%7Bnot%20json') },
      { name: 'filter naming an unknown field', status: 400, send: () => api().get(`/api/v1/records/deal?${filterQuery({ field: 'nope', op: 'eq', value: 1 })}`) },
      { name: 'filter with an unknown operator', status: 400, send: () => api().get(`/api/v1/records/deal?${filterQuery({ field: 'title', op: 'like', value: 'a' })}`) },
      { name: 'filter with an operator the type does not take', status: 400, send: () => api().get(`/api/v1/records/deal?${filterQuery({ field: 'closeDate', op: 'contains', value: 'a' })}`) },
      { name: 'filter comparing a number with text', status: 400, send: () => api().get(`/api/v1/records/deal?${filterQuery({ field: 'probability', op: 'gt', value: 'high' })}`) },
      { name: 'filter through a lookup to an unknown field', status: 400, send: () => api().get(`/api/v1/records/deal?${filterQuery({ field: 'account.nope', op: 'eq', value: 'x' })}`) },
      { name: 'filter nested too deep', status: 400, send: () => api().get(`/api/v1/records/deal?${filterQuery(deepFilter(12))}`) },
      { name: 'filter with too many conditions', status: 400, send: () => api().get(`/api/v1/records/deal?${filterQuery({ and: Array.from({ length: 201 }, () => ({ field: 'title', op: 'eq', value: 'x' })) })}`) },
      { name: 'filter with an unknown key', status: 400, send: () => api().get(`/api/v1/records/deal?${filterQuery({ field: 'title', op: 'eq', value: 'x', extra: true })}`) },
      { name: 'sort by an unknown field', status: 400, send: () => api().get('/api/v1/records/deal?sort=-nope') },
      { name: 'sort by a field that cannot be sorted', status: 400, send: () => api().get('/api/v1/records/deal?sort=tags') },
      { name: 'cursor not issued by the API', status: 400, send: () => api().get('/api/v1/records/deal?cursor=garbage') },
      { name: 'cursor of a different query', status: 400, send: () => api().get(`/api/v1/records/deal?sort=-title&cursor=${encodeURIComponent(ids.otherCursor)}`) },
      { name: 'limit out of range', status: 400, send: () => api().get('/api/v1/records/deal?limit=501') },
      { name: 'limit not a number', status: 400, send: () => api().get('/api/v1/records/deal?limit=ten') },
      { name: 'parameter given twice', status: 400, send: () => api().get('/api/v1/records/deal?sort=title&sort=amount') },
      { name: 'count not a boolean', status: 400, send: () => api().get('/api/v1/records/deal?count=yes') },
      { name: 'fields naming an unknown field', status: 400, send: () => api().get('/api/v1/records/deal?fields=title,nope') },
      { name: 'expand of a field that is not a lookup', status: 400, send: () => api().get('/api/v1/records/deal?expand=title') },
      { name: 'expand deeper than three lookups', status: 400, send: () => api().get('/api/v1/records/deal?expand=account.a.b.c') },
      { name: 'fields of an expanded lookup naming an unknown field', status: 400, send: () => api().get('/api/v1/records/deal?expand=account&fields.account=nope') },
    ],
    'POST /api/v1/records/:object/query': [
      { name: 'unknown property', status: 422, send: () => api().post('/api/v1/records/deal/query', { where: {} }) },
      { name: 'body not an object', status: 422, send: () => api().post('/api/v1/records/deal/query', [1]) },
      { name: 'sort not an array of { field, direction }', status: 400, send: () => api().post('/api/v1/records/deal/query', { sort: 'title' }) },
      { name: 'sort with a bad direction', status: 400, send: () => api().post('/api/v1/records/deal/query', { sort: [{ field: 'title', direction: 'up' }] }) },
      { name: 'fields not an array', status: 400, send: () => api().post('/api/v1/records/deal/query', { fields: 'title' }) },
      { name: 'limit not a number', status: 400, send: () => api().post('/api/v1/records/deal/query', { limit: '10' }) },
      { name: 'filter with an unknown field', status: 400, send: () => api().post('/api/v1/records/deal/query', { filter: { field: 'nope', op: 'eq', value: 1 } }) },
      { name: 'wrong content type', status: 415, send: () => text('/api/v1/records/deal/query', 'filter=x', 'application/x-www-form-urlencoded') },
      { name: 'malformed JSON', status: 400, send: () => text('/api/v1/records/deal/query', '{"filter":', 'application/json') },
    ],
    'GET /api/v1/records/:object/export.csv': [
      { name: 'unknown object', status: 404, send: () => api().get('/api/v1/records/nothing/export.csv') },
      { name: 'bad filter', status: 400, send: () => api().get(`/api/v1/records/deal/export.csv?${filterQuery({ field: 'nope', op: 'eq', value: 1 })}`) },
      { name: 'no session', status: 401, send: () => api().get('/api/v1/records/deal/export.csv', { token: null }) },
    ],
    'POST /api/v1/records/:object/import': [
      { name: 'no records array', status: 422, send: () => api().post('/api/v1/records/deal/import', { rows: [] }) },
      { name: 'invalid rows (atomic: nothing written)', status: 422, send: () => api().post('/api/v1/records/deal/import', { records: [{ title: 'ok' }, { probability: 500 }, { title: 'x', nope: 1 }] }) },
      { name: 'duplicates identified by an unsuitable field', status: 422, send: () => api().post('/api/v1/records/deal/import', { records: [{ title: 'a' }], duplicates: { fields: ['title', 'tags'], action: 'skip' } }) },
      { name: 'duplicates of live records with action error', status: 422, send: () => api().post('/api/v1/records/contact/import', { records: [{ fullName: 'Again', email: 'TAKEN@example.com' }], duplicates: { fields: ['email'], action: 'error' } }) },
      { name: 'unknown object', status: 404, send: () => api().post('/api/v1/records/nothing/import', { records: [] }) },
      { name: 'wrong content type', status: 415, send: () => text('/api/v1/records/deal/import', 'title\nx', 'text/plain') },
      { name: 'CSV whose columns do not match', status: 422, send: () => text('/api/v1/records/deal/import', 'title,nope\nx,y\n', 'text/csv') },
      { name: 'CSV with a mapping that is not JSON', status: 400, send: () => text('/api/v1/records/deal/import?mapping=%7B', 'title\nx\n', 'text/csv') },
      { name: 'CSV with an unknown encoding', status: 400, send: () => text('/api/v1/records/deal/import?encoding=latin1', 'title\nx\n', 'text/csv') },
      { name: 'body declared larger than the import limit', status: 413, send: () => sendDeclaredBody(daicho.baseUrl, '/api/v1/records/deal/import', { declaredBytes: 129 * 1024 * 1024, contentType: 'application/json', token: daicho.adminToken }) },
    ],
    'POST /api/v1/records/:object': [
      { name: 'validation, one problem per field', status: 422, send: () => api().post('/api/v1/records/deal', { probability: 150, stage: 'maybe', closeDate: '2026-02-30', tags: ['hot', 'hot'], amount: { amount: 1, currency: 'yen' }, nope: 1, id: missingId, expected: 3 }) },
      { name: 'required field cleared with null', status: 422, send: () => api().post('/api/v1/records/deal', { title: null }) },
      { name: 'lookup to no record', status: 422, send: () => api().post('/api/v1/records/deal', { title: 'x', account: missingId }) },
      { name: 'body not an object', status: 422, send: () => api().post('/api/v1/records/deal', ['title']) },
      { name: 'body nested deeper than 64 levels', status: 422, send: () => text('/api/v1/records/deal', nested(70), 'application/json') },
      { name: 'no body', status: 422, send: () => api().post('/api/v1/records/deal') },
      { name: 'duplicate unique value', status: 409, send: () => api().post('/api/v1/records/contact', { fullName: 'Second', email: 'Taken@Example.com' }) },
      { name: 'malformed JSON', status: 400, send: () => text('/api/v1/records/deal', '{"title":', 'application/json') },
      { name: 'wrong content type', status: 415, send: () => text('/api/v1/records/deal', 'title=x', 'application/x-www-form-urlencoded') },
      { name: 'body over the limit', status: 413, send: () => text('/api/v1/records/deal', overOneMebibyte, 'application/json') },
      { name: 'unknown object', status: 404, send: () => api().post('/api/v1/records/nothing', { title: 'x' }) },
      { name: 'malformed Idempotency-Key', status: 400, send: () => api().post('/api/v1/records/deal', { title: 'x' }, { headers: { 'idempotency-key': 'ü' } }) },
      {
        name: 'Idempotency-Key reused with another body', status: 422, send: async () => {
          expect((await api().post('/api/v1/records/deal', { title: 'first' }, { headers: { 'idempotency-key': 'key-reused' } })).status).toBe(201);
          return api().post('/api/v1/records/deal', { title: 'second' }, { headers: { 'idempotency-key': 'key-reused' } });
        },
      },
      {
        name: 'Idempotency-Key still in progress', status: 409, send: async () => {
          // Hold the key's lock as a first request still running would.
          const client = new pg.Client({ connectionString: daicho.testDatabase.url });
          await client.connect();
          try {
            await client.query('select pg_advisory_lock(hashtextextended($1, 0))', [`${me.workspaceId}:${me.userId}:key-busy`]);
            const response = await api().post('/api/v1/records/deal', { title: 'busy' }, { headers: { 'idempotency-key': 'key-busy' } });
            expect(response.headers.get('retry-after')).toBe('1');
            return response;
          } finally {
            await client.end();
          }
        },
      },
    ],
    'GET /api/v1/records/:object/:id': [
      { name: 'unknown object', status: 404, send: () => api().get(`/api/v1/records/nothing/${missingId}`) },
      { name: 'id not a UUID', status: 404, send: () => api().get('/api/v1/records/deal/not-a-uuid') },
      { name: 'no such record', status: 404, send: () => api().get(`/api/v1/records/deal/${missingId}`) },
      { name: 'a deleted record without deleted=true', status: 404, send: () => api().get(`/api/v1/records/deal/${ids.deletedDeal}`) },
    ],
    'PATCH /api/v1/records/:object/:id': [
      { name: 'neither If-Match nor version', status: 428, send: () => api().patch(`/api/v1/records/deal/${ids.deal}`, { title: 'x' }) },
      { name: 'stale If-Match', status: 412, send: () => api().patch(`/api/v1/records/deal/${ids.deal}`, { title: 'x' }, { headers: { 'if-match': '"1"' } }) },
      { name: 'stale version in the body', status: 409, send: () => api().patch(`/api/v1/records/deal/${ids.deal}`, { title: 'x', version: 1 }) },
      { name: 'version in the body not an integer', status: 422, send: () => api().patch(`/api/v1/records/deal/${ids.deal}`, { title: 'x', version: '2' }) },
      { name: 'If-Match not an ETag', status: 400, send: () => api().patch(`/api/v1/records/deal/${ids.deal}`, { title: 'x' }, { headers: { 'if-match': 'version 2' } }) },
      { name: 'validation', status: 422, send: () => api().patch(`/api/v1/records/deal/${ids.deal}`, { title: '', probability: -1, updatedAt: '2026-01-01T00:00:00Z' }, { headers: { 'if-match': '*' } }) },
      { name: 'duplicate unique value', status: 409, send: async () => {
        const other = await api().post('/api/v1/records/contact', { fullName: 'Other', email: 'other@example.com' });
        return api().patch(`/api/v1/records/contact/${other.body.id}`, { email: 'taken@example.com' }, { headers: { 'if-match': '*' } });
      } },
      { name: 'no such record', status: 404, send: () => api().patch(`/api/v1/records/deal/${missingId}`, { title: 'x' }, { headers: { 'if-match': '*' } }) },
      { name: 'wrong content type', status: 415, send: () => api().patch(`/api/v1/records/deal/${ids.deal}`, 'title=x', { headers: { 'content-type': 'text/plain', 'if-match': '*' } }) },
    ],
    'DELETE /api/v1/records/:object/:id': [
      { name: 'no such record', status: 404, send: () => api().delete(`/api/v1/records/deal/${missingId}`) },
      { name: 'referenced by a restricted lookup', status: 409, send: () => api().delete(`/api/v1/records/account/${ids.referencedAccount}`) },
      { name: 'stale If-Match', status: 412, send: () => api().delete(`/api/v1/records/deal/${ids.deal}`, { headers: { 'if-match': '"1"' } }) },
      { name: 'already deleted', status: 404, send: () => api().delete(`/api/v1/records/deal/${ids.deletedDeal}`) },
    ],
    'POST /api/v1/records/:object/:id/restore': [
      { name: 'not in the recycle bin', status: 404, send: () => api().post(`/api/v1/records/deal/${ids.deal}/restore`) },
      { name: 'no such record', status: 404, send: () => api().post(`/api/v1/records/deal/${missingId}/restore`) },
    ],
    'POST /api/v1/records/:object/:id/purge': [
      { name: 'not in the recycle bin', status: 404, send: () => api().post(`/api/v1/records/deal/${ids.deal}/purge`) },
      { name: 'unknown object', status: 404, send: () => api().post(`/api/v1/records/nothing/${missingId}/purge`) },
    ],
    'GET /api/v1/search': [
      { name: 'nothing to search for', status: 400, send: () => api().get('/api/v1/search?q=%20') },
      { name: 'too many terms', status: 400, send: () => api().get(`/api/v1/search?q=${Array.from({ length: 11 }, (_, i) => `t${i}`).join('+')}`) },
      { name: 'unknown object', status: 400, send: () => api().get('/api/v1/search?q=acme&objects=nothing') },
      { name: 'no session', status: 401, send: () => api().get('/api/v1/search?q=acme', { token: null }) },
    ],
    'GET /api/v1/openapi.json': [
      { name: 'no session', status: 401, send: () => api().get('/api/v1/openapi.json', { token: null }) },
      { name: 'an expired or revoked session', status: 401, send: async () => {
        const { token } = await daicho.createUserSession();
        expect((await api().post('/api/v1/auth/logout', undefined, { token })).status).toBe(204);
        return api().get('/api/v1/openapi.json', { token });
      } },
    ],
    'routing': [
      { name: 'unknown API path', status: 404, send: () => api().get('/api/v1/nothing/here') },
      { name: 'known path, wrong method', status: 405, send: () => api().put('/api/v1/records/deal', {}) },
    ],
  };

  for (const [endpoint, cases] of Object.entries(groups)) {
    describe(endpoint, () => {
      it.each(cases)('$status $name', async ({ status, send }) => {
        expect(errorBody(await send(), status)).toMatchSnapshot();
      });
    });
  }

  it('refuses the same failures to a non-admin no differently (records need no admin)', async () => {
    const response = await api().get('/api/v1/records/nothing', { token: ids.userToken });
    expect(errorBody(response, 404)).toMatchSnapshot();
  });
});
