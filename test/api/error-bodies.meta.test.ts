import type { ObjectDefinition } from '@daicho/sdk';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accountObject, dealObject } from '../support/crm-objects.ts';
import { errorBody, type ErrorCase } from '../support/error-bodies.ts';

// Every failure of the sign-in and metadata endpoints, with its full error body snapshotted: a
// change of code, message or details shows in review.

const goneObject: ObjectDefinition = { name: 'gone', labels: { en: 'Gone' }, fields: [{ name: 'title', type: 'text', labels: { en: 'Title' } }] };
const overOneMebibyte = JSON.stringify({ workspace: 'demo', email: 'a@example.com', password: 'x'.repeat(1024 * 1024 + 10) });

describe('error bodies of the sign-in and metadata APIs', () => {
  let daicho: TestDaicho;
  let userToken = '';

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    for (const object of [accountObject, dealObject, goneObject]) expect((await daicho.api.post('/api/v1/meta/objects', object)).status).toBe(201);
    // account is at version 2 now.
    expect((await daicho.api.post('/api/v1/meta/objects/account/fields', { name: 'memo', type: 'longText', labels: { en: 'Memo' } })).status).toBe(201);
    expect((await daicho.api.delete('/api/v1/meta/objects/account/fields/memo')).status).toBe(200);
    expect((await daicho.api.delete('/api/v1/meta/objects/gone')).status).toBe(200);
    userToken = (await daicho.createUserSession({ isAdmin: false })).token;
  });
  afterAll(async () => {
    await daicho?.close();
  });

  const api = () => daicho.api;
  const user = () => ({ token: userToken });
  const text = (path: string, body: string, contentType: string, token?: string | null) => api().post(path, body, { headers: { 'content-type': contentType }, ...(token === undefined ? {} : { token }) });
  const accountWith = (change: Partial<ObjectDefinition>) => ({ ...accountObject, ...change });

  const groups: Record<string, ErrorCase[]> = {
    'POST /api/v1/auth/login': [
      { name: 'missing workspace, e-mail and password', status: 422, send: () => api().post('/api/v1/auth/login', {}, { token: null }) },
      { name: 'body an array', status: 422, send: () => api().post('/api/v1/auth/login', [], { token: null }) },
      { name: 'wrong password', status: 401, send: () => api().post('/api/v1/auth/login', { workspace: daicho.firstStart!.workspaceSlug, email: daicho.firstStart!.adminEmail, password: 'wrong password' }, { token: null }) },
      { name: 'unknown workspace (same answer as a wrong password)', status: 401, send: () => api().post('/api/v1/auth/login', { workspace: 'nowhere', email: daicho.firstStart!.adminEmail, password: 'wrong password' }, { token: null }) },
      { name: 'malformed JSON', status: 400, send: () => text('/api/v1/auth/login', '{"workspace"', 'application/json', null) },
      { name: 'a form instead of JSON', status: 415, send: () => text('/api/v1/auth/login', 'workspace=demo', 'application/x-www-form-urlencoded', null) },
      { name: 'body over the limit', status: 413, send: () => text('/api/v1/auth/login', overOneMebibyte, 'application/json', null) },
    ],
    'GET /api/v1/auth/me and POST /api/v1/auth/logout': [
      { name: 'me without a session', status: 401, send: () => api().get('/api/v1/auth/me', { token: null }) },
      { name: 'me with another scheme', status: 401, send: () => api().get('/api/v1/auth/me', { token: null, headers: { authorization: 'Basic YWRtaW46cGFzcw==' } }) },
      { name: 'logout without a session', status: 401, send: () => api().post('/api/v1/auth/logout', undefined, { token: null }) },
    ],
    'GET /api/v1/meta/objects[/:name]': [
      { name: 'list without a session', status: 401, send: () => api().get('/api/v1/meta/objects', { token: null }) },
      { name: 'unknown object', status: 404, send: () => api().get('/api/v1/meta/objects/nothing') },
      { name: 'deleted object', status: 404, send: () => api().get('/api/v1/meta/objects/gone') },
    ],
    'POST /api/v1/meta/objects': [
      { name: 'not an admin', status: 403, send: () => api().post('/api/v1/meta/objects', { ...goneObject, name: 'other' }, user()) },
      { name: 'definition missing its parts', status: 422, send: () => api().post('/api/v1/meta/objects', { name: 'Bad Name' }) },
      { name: 'field of an unknown type', status: 422, send: () => api().post('/api/v1/meta/objects', { name: 'thing', labels: { en: 'Thing' }, fields: [{ name: 'size', type: 'huge', labels: { en: 'Size' } }] }) },
      { name: 'title field that does not exist', status: 422, send: () => api().post('/api/v1/meta/objects', { name: 'thing', labels: { en: 'Thing' }, titleField: 'nope', fields: [{ name: 'title', type: 'text', labels: { en: 'Title' } }] }) },
      { name: 'lookup to an unknown object', status: 422, send: () => api().post('/api/v1/meta/objects', { name: 'thing', labels: { en: 'Thing' }, fields: [{ name: 'owner', type: 'lookup', labels: { en: 'Owner' }, target: 'nothing' }] }) },
      { name: 'formula that does not parse', status: 422, send: () => api().post('/api/v1/meta/objects', { name: 'thing', labels: { en: 'Thing' }, fields: [{ name: 'n', type: 'integer', labels: { en: 'N' } }, { name: 'f', type: 'formula', labels: { en: 'F' }, expression: 'n * ', returnType: 'number' }] }) },
      { name: 'validation pattern open to ReDoS', status: 422, send: () => api().post('/api/v1/meta/objects', { name: 'thing', labels: { en: 'Thing' }, fields: [{ name: 'code', type: 'text', labels: { en: 'Code' }, pattern: '^(a+)+$' }] }) },
      { name: 'name already taken', status: 409, send: () => api().post('/api/v1/meta/objects', accountObject) },
      { name: 'name of a deleted object', status: 409, send: () => api().post('/api/v1/meta/objects', goneObject) },
      { name: 'malformed JSON', status: 400, send: () => text('/api/v1/meta/objects', '{"name":', 'application/json') },
      { name: 'wrong content type', status: 415, send: () => text('/api/v1/meta/objects', 'name: thing', 'application/yaml') },
      { name: 'no body', status: 422, send: () => api().post('/api/v1/meta/objects') },
    ],
    'PUT /api/v1/meta/objects/:name': [
      { name: 'not an admin', status: 403, send: () => api().put('/api/v1/meta/objects/account', accountObject, user()) },
      { name: 'unknown object', status: 404, send: () => api().put('/api/v1/meta/objects/nothing', { ...goneObject, name: 'nothing' }) },
      { name: 'stale If-Match', status: 412, send: () => api().put('/api/v1/meta/objects/account', accountObject, { headers: { 'if-match': '"1"' } }) },
      { name: 'If-Match not an ETag', status: 400, send: () => api().put('/api/v1/meta/objects/account', accountObject, { headers: { 'if-match': 'latest' } }) },
      { name: 'a name other than the one in the path', status: 422, send: () => api().put('/api/v1/meta/objects/account', accountWith({ name: 'customer' })) },
      { name: 'an invalid field', status: 422, send: () => api().put('/api/v1/meta/objects/account', accountWith({ fields: [...accountObject.fields, { name: 'bad-name', type: 'text', labels: {} } as never] })) },
    ],
    'DELETE /api/v1/meta/objects/:name and POST …/restore': [
      { name: 'delete: not an admin', status: 403, send: () => api().delete('/api/v1/meta/objects/deal', user()) },
      { name: 'delete: unknown object', status: 404, send: () => api().delete('/api/v1/meta/objects/nothing') },
      { name: 'delete: referenced by a lookup', status: 409, send: () => api().delete('/api/v1/meta/objects/account') },
      { name: 'restore: not deleted', status: 409, send: () => api().post('/api/v1/meta/objects/account/restore') },
      { name: 'restore: unknown object', status: 404, send: () => api().post('/api/v1/meta/objects/nothing/restore') },
    ],
    'GET /api/v1/meta/objects/:name/versions[/:version]': [
      { name: 'unknown object', status: 404, send: () => api().get('/api/v1/meta/objects/nothing/versions') },
      { name: 'unknown version', status: 404, send: () => api().get('/api/v1/meta/objects/account/versions/99') },
      { name: 'without a session', status: 401, send: () => api().get('/api/v1/meta/objects/account/versions', { token: null }) },
    ],
    'fields: POST, PUT, preview, DELETE, restore': [
      { name: 'add: not an admin', status: 403, send: () => api().post('/api/v1/meta/objects/deal/fields', { name: 'x', type: 'text', labels: { en: 'X' } }, user()) },
      { name: 'add: unknown object', status: 404, send: () => api().post('/api/v1/meta/objects/nothing/fields', { name: 'x', type: 'text', labels: { en: 'X' } }) },
      { name: 'add: name already taken', status: 409, send: () => api().post('/api/v1/meta/objects/deal/fields', { name: 'title', type: 'text', labels: { en: 'Title' } }) },
      { name: 'add: invalid field', status: 422, send: () => api().post('/api/v1/meta/objects/deal/fields', { name: 'x', type: 'integer', labels: { en: 'X' }, min: 'low' }) },
      { name: 'add: body not an object', status: 422, send: () => api().post('/api/v1/meta/objects/deal/fields', ['x']) },
      { name: 'replace: unknown field', status: 404, send: () => api().put('/api/v1/meta/objects/deal/fields/nope', { name: 'nope', type: 'text', labels: { en: 'Nope' } }) },
      { name: 'replace: a formula with an unknown function', status: 422, send: () => api().put('/api/v1/meta/objects/deal/fields/expected', { name: 'expected', type: 'formula', labels: { en: 'Expected' }, expression: 'NOPE(amount)', returnType: 'number' }) },
      { name: 'preview: unknown field', status: 404, send: () => api().post('/api/v1/meta/objects/deal/fields/nope/preview', { name: 'nope', type: 'integer', labels: { en: 'Nope' } }) },
      { name: 'delete: unknown field', status: 404, send: () => api().delete('/api/v1/meta/objects/deal/fields/nope') },
      { name: 'delete: the title field', status: 422, send: () => api().delete('/api/v1/meta/objects/deal/fields/title') },
      { name: 'restore: a field that is not deleted', status: 404, send: () => api().post('/api/v1/meta/objects/deal/fields/title/restore') },
    ],
    'purge, export and import': [
      { name: 'purge: not an admin', status: 403, send: () => api().post('/api/v1/meta/purge-deleted-fields', undefined, user()) },
      { name: 'export: not an admin', status: 403, send: () => api().get('/api/v1/meta/export', user()) },
      { name: 'export: without a session', status: 401, send: () => api().get('/api/v1/meta/export', { token: null }) },
      { name: 'import: not an admin', status: 403, send: () => api().post('/api/v1/meta/import', { format: 'daicho.definitions', formatVersion: 1, objects: [] }, user()) },
      { name: 'import: not a package', status: 422, send: () => api().post('/api/v1/meta/import', { objects: [] }) },
      { name: 'import: an invalid object in the package', status: 422, send: () => api().post('/api/v1/meta/import', { format: 'daicho.definitions', formatVersion: 1, objects: [{ name: 'x' }] }) },
      { name: 'import: an object twice', status: 422, send: () => api().post('/api/v1/meta/import', { format: 'daicho.definitions', formatVersion: 1, objects: [goneObject, goneObject].map((object) => ({ ...object, name: 'twice' })) }) },
      { name: 'import: a deleted object', status: 409, send: () => api().post('/api/v1/meta/import', { format: 'daicho.definitions', formatVersion: 1, objects: [goneObject] }) },
      { name: 'import: wrong content type', status: 415, send: () => text('/api/v1/meta/import', 'objects: []', 'text/plain') },
    ],
  };

  for (const [endpoint, cases] of Object.entries(groups)) {
    describe(endpoint, () => {
      it.each(cases)('$status $name', async ({ status, send }) => {
        expect(errorBody(await send(), status)).toMatchSnapshot();
      });
    });
  }
});
