import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accountObject, dealObject } from '../support/crm-objects.ts';

// Failures that answered with an unclear message or the wrong status, found by the error-body
// snapshots (test/api/error-bodies.*.test.ts).
describe('error messages and statuses', () => {
  let daicho: TestDaicho;

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    expect((await daicho.api.post('/api/v1/meta/objects', accountObject)).status).toBe(201);
    expect((await daicho.api.post('/api/v1/meta/objects', dealObject)).status).toBe(201);
  });
  afterAll(async () => {
    await daicho?.close();
  });

  it('points a field problem into the field that was sent, not into the object around it', async () => {
    const added = await daicho.api.post('/api/v1/meta/objects/deal/fields', { name: 'size', type: 'integer', labels: { en: 'Size' }, min: 'low' });
    expect(added.status).toBe(422);
    expect(added.body.error.details.problems).toEqual([{ path: '/min', code: 'type', message: 'must be number' }]);
    const replaced = await daicho.api.put('/api/v1/meta/objects/deal/fields/expected', { name: 'expected', type: 'formula', labels: { en: 'E' }, expression: 'NOPE(amount)', returnType: 'number' });
    expect(replaced.body.error.details.problems.map((problem: { path: string }) => problem.path)).toEqual(['/expression']);
    const previewed = await daicho.api.post('/api/v1/meta/objects/deal/fields/amount/preview', { name: 'amount', type: 'integer', labels: {} });
    expect(previewed.body.error.details.problems).toEqual([{ path: '/labels', code: 'minProperties', message: 'needs a label in ja or en' }]);
  });

  it('reports an unknown field type once, without the discriminator\'s own complaint', async () => {
    const response = await daicho.api.post('/api/v1/meta/objects/deal/fields', { name: 'size', type: 'huge', labels: { en: 'Size' } });
    expect(response.body.error.details.problems.map((problem: { path: string; code: string }) => `${problem.path} ${problem.code}`)).toEqual(['/type enum']);
  });

  it('answers a stale If-Match on a definition with 412 and the definition as GET shows it', async () => {
    const current = await daicho.api.get('/api/v1/meta/objects/account');
    const stale = await daicho.api.put('/api/v1/meta/objects/account', accountObject, { headers: { 'if-match': '"0"' } });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('PRECONDITION_FAILED');
    expect(stale.body.error.details.current).toEqual(current.body);
  });

  it('names an unknown filter field once, and continues the summary in lower case', async () => {
    const unknown = await daicho.api.get(`/api/v1/records/deal?filter=${encodeURIComponent(JSON.stringify({ field: 'nope', op: 'eq', value: 1 }))}`);
    expect(unknown.body.error.message).toBe('The filter is not valid: deal has no field "nope"');
    const throughLookup = await daicho.api.get(`/api/v1/records/deal?filter=${encodeURIComponent(JSON.stringify({ field: 'account.nope', op: 'eq', value: 1 }))}`);
    expect(throughLookup.body.error.message).toBe('The filter is not valid: account has no field "nope" (in "account.nope")');
    const operator = await daicho.api.get(`/api/v1/records/deal?filter=${encodeURIComponent(JSON.stringify({ field: 'title', op: 'like', value: 'a' }))}`);
    expect(operator.body.error.message).toMatch(/^The filter is not valid: unknown operator "like"/);
  });
});
