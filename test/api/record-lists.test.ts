import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accountObject, dealObject } from '../support/crm-objects.ts';

const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));

describe('listing records', () => {
  let daicho: TestDaicho;
  const accounts: Record<string, string> = {};

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    await daicho.api.post('/api/v1/meta/objects', accountObject);
    await daicho.api.post('/api/v1/meta/objects', dealObject);
    for (const [name, industry] of [['Acme', 'manufacturing'], ['Beta', 'retail']] as const) {
      accounts[name] = (await daicho.api.post('/api/v1/records/account', { name, industry })).body.id;
    }
    const deals = [
      { title: 'D1', account: accounts.Acme, stage: 'won', amount: { amount: 500, currency: 'JPY' }, probability: 100, closeDate: '2026-01-10' },
      { title: 'D2', account: accounts.Acme, stage: 'proposal', amount: { amount: 3000, currency: 'JPY' }, probability: 50, closeDate: '2026-03-01' },
      { title: 'D3', account: accounts.Beta, stage: 'proposal', amount: { amount: 2000, currency: 'USD' }, probability: 20, closeDate: '2026-02-01' },
      { title: 'D4', stage: 'prospect', amount: { amount: 9000, currency: 'JPY' }, probability: 10 },
      { title: 'D5', account: accounts.Beta, stage: 'lost', probability: 0, closeDate: '2026-02-01' },
    ];
    for (const deal of deals) expect((await daicho.api.post('/api/v1/records/deal', deal)).status).toBe(201);
  });
  afterAll(async () => {
    await daicho?.close();
  });

  const titles = (body: { records: Array<{ title: string }> }) => body.records.map((record) => record.title);

  it('filters with the filter language, through lookups, and sorts by several keys', async () => {
    const filter = { and: [{ field: 'stage', op: 'in', value: ['proposal', 'won'] }, { field: 'amount', op: 'gt', value: 400 }] };
    const response = await daicho.api.get(`/api/v1/records/deal?filter=${q(filter)}&sort=-closeDate,title`);
    expect(response.status).toBe(200);
    expect(titles(response.body)).toEqual(['D2', 'D3', 'D1']);
    const throughLookup = await daicho.api.get(`/api/v1/records/deal?filter=${q({ field: 'account.industry', op: 'eq', value: 'retail' })}&sort=title`);
    expect(titles(throughLookup.body)).toEqual(['D3', 'D5']);
  });

  it('filters and sorts on a formula field', async () => {
    const response = await daicho.api.get(`/api/v1/records/deal?filter=${q({ field: 'expected', op: 'gte', value: 500 })}&sort=-expected`);
    expect(response.body.records.map((record: { title: string; expected: number }) => [record.title, record.expected])).toEqual([['D2', 1500], ['D4', 900], ['D1', 500]]);
  });

  it('pages with an opaque cursor, stable while records are inserted', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let page = 0;
    do {
      const response = await daicho.api.get(`/api/v1/records/deal?sort=closeDate&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      seen.push(...titles(response.body));
      cursor = response.body.nextCursor;
      // A record inserted mid-way, sorting before the current position, must not shift pages.
      if (page === 0) await daicho.api.post('/api/v1/records/deal', { title: 'D0', closeDate: '2025-01-01' });
      page += 1;
    } while (cursor);
    expect(seen).toEqual(['D1', 'D3', 'D5', 'D2', 'D4']);
  });

  it('expands lookups two levels deep and returns only the fields asked for', async () => {
    const response = await daicho.api.get(`/api/v1/records/deal?filter=${q({ field: 'title', op: 'eq', value: 'D1' })}&fields=title,account&expand=account,account.createdBy`);
    const [record] = response.body.records;
    expect(Object.keys(record).sort()).toEqual(['account', 'createdAt', 'createdBy', 'id', 'ownerId', 'title', 'updatedAt', 'updatedBy', 'version']);
    expect(record.account).toMatchObject({ id: accounts.Acme, name: 'Acme', industry: 'manufacturing', createdBy: { email: 'admin@example.com' } });
    expect(record.account.createdBy).not.toHaveProperty('passwordHash');
  });

  it('returns only the chosen fields of an expanded lookup', async () => {
    const response = await daicho.api.get(`/api/v1/records/deal?filter=${q({ field: 'title', op: 'eq', value: 'D1' })}&expand=account&fields.account=name`);
    const [record] = response.body.records;
    expect(record.account).toEqual({ id: expect.any(String), name: 'Acme' });
    expect((await daicho.api.get('/api/v1/records/deal?expand=account&fields.account=shoeSize')).status).toBe(400);
  });

  it('counts on request', async () => {
    const response = await daicho.api.get(`/api/v1/records/deal?filter=${q({ field: 'stage', op: 'eq', value: 'proposal' })}&count=true&limit=1`);
    expect(response.body.total).toBe(2);
    expect(response.body.records).toHaveLength(1);
  });

  it.each([
    ['an unknown field', `filter=${q({ field: 'nope', op: 'eq', value: 1 })}`, 'INVALID_FILTER'],
    ['an unknown operator', `filter=${q({ field: 'title', op: 'like', value: 'x' })}`, 'INVALID_FILTER'],
    ['a type mismatch', `filter=${q({ field: 'amount', op: 'gt', value: 'lots' })}`, 'INVALID_FILTER'],
    ['a filter that is not JSON', 'filter=stage%3Dwon', 'INVALID_FILTER'],
    ['an over-deep filter', `filter=${q(Array.from({ length: 30 }).reduce<unknown>((inner) => ({ not: inner }), { field: 'title', op: 'eq', value: 'x' }))}`, 'INVALID_FILTER'],
    ['an unknown sort field', 'sort=nope', 'INVALID_SORT'],
    ['a limit over 500', 'limit=501', 'INVALID_QUERY'],
    ['a forged cursor', 'cursor=eyJxIjoiYWJjIiwidiI6WzFdfQ', 'INVALID_CURSOR'],
    ['an expand of a non-lookup', 'expand=title', 'INVALID_QUERY'],
  ])('answers 400 for %s', async (_what, query, code) => {
    const response = await daicho.api.get(`/api/v1/records/deal?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe(code);
  });

  it('never puts filter values into the SQL text', async () => {
    const hostile = `x'); drop table daicho.workspace; --`;
    const response = await daicho.api.get(`/api/v1/records/deal?filter=${q({ or: [{ field: 'title', op: 'eq', value: hostile }, { field: 'title', op: 'contains', value: '%_\\' }] })}`);
    expect(response.status).toBe(200);
    expect(response.body.records).toEqual([]);
    expect((await daicho.api.get('/readyz')).status).toBe(200);
  });
});
