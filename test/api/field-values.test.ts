import type { ObjectDefinition } from '@daicho/sdk';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { queryDatabase, workspaceSchema } from '../support/database-inspection.ts';

const kitchenSink: ObjectDefinition = {
  name: 'kitchen_sink',
  labels: { en: 'Kitchen sink', ja: '全部入り' },
  titleField: 'title',
  fields: [
    { name: 'title', type: 'text', labels: { en: 'Title' }, maxLength: 50, pattern: '^[^<>]*$' },
    { name: 'body', type: 'richText', labels: { en: 'Body' } },
    { name: 'site', type: 'url', labels: { en: 'Site' } },
    { name: 'count', type: 'integer', labels: { en: 'Count' }, min: -1000, max: 1000 },
    { name: 'ratio', type: 'decimal', labels: { en: 'Ratio' }, precision: 6, scale: 3 },
    { name: 'flag', type: 'boolean', labels: { en: 'Flag' } },
    { name: 'day', type: 'date', labels: { en: 'Day' }, min: '2000-01-01', max: '2099-12-31' },
    { name: 'at', type: 'datetime', labels: { en: 'At' }, default: 'now' },
    { name: 'person', type: 'name', labels: { en: 'Person' } },
    { name: 'files', type: 'attachment', labels: { en: 'Files' }, maxFiles: 2 },
    { name: 'extra', type: 'json', labels: { en: 'Extra' } },
  ],
};

describe('field values', () => {
  let daicho: TestDaicho;
  let schema: string;

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    schema = workspaceSchema((await daicho.api.get('/api/v1/auth/me')).body.workspaceId);
    expect((await daicho.api.post('/api/v1/meta/objects', kitchenSink)).status).toBe(201);
  });
  afterAll(async () => {
    await daicho?.close();
  });

  it('sanitises rich text, keeps JSON and attachment metadata as given, and stamps a datetime default', async () => {
    const before = Date.now();
    const created = await daicho.api.post('/api/v1/records/kitchen_sink', {
      title: 'All types',
      body: '<p onclick="steal()">Hello <strong>世界</strong><script>alert(1)</script><a href="javascript:alert(1)">x</a></p>',
      site: 'HTTPS://Example.COM/Path',
      person: { family: '山田', given: '花子', familyReading: 'やまだ', givenReading: 'はなこ' },
      files: [{ fileId: 'f1', fileName: '見積書.pdf', size: 1024, contentType: 'application/pdf' }],
      extra: { nested: [1, 'two', { three: null }] },
    });
    expect(created.status).toBe(201);
    // The script, the handler and the javascript: link are gone; the formatting stays.
    expect(created.body.body).toBe('<p>Hello <strong>世界</strong><span>x</span></p>');
    expect(created.body.site).toBe('https://example.com/Path');
    expect(created.body.files).toEqual([{ fileId: 'f1', fileName: '見積書.pdf', size: 1024, contentType: 'application/pdf' }]);
    expect(created.body.extra).toEqual({ nested: [1, 'two', { three: null }] });
    expect(Date.parse(created.body.at)).toBeGreaterThanOrEqual(before - 1000);
    const tooMany = await daicho.api.post('/api/v1/records/kitchen_sink', { title: 'x', files: [1, 2, 3].map((n) => ({ fileId: `f${n}`, fileName: 'a', size: 1, contentType: 'text/plain' })) });
    expect(tooMany.body.error.details.problems[0]).toMatchObject({ path: '/files', code: 'maxItems' });
  });

  // Test plan row 39: values the schema allows are accepted and read back; values it forbids are
  // refused with a per-field problem, and nothing is written.
  it('accepts every value the definition allows and refuses every value it forbids', async () => {
    const count = async () => (await queryDatabase<{ n: number }>(daicho.testDatabase.url, `select count(*)::int as n from "${schema}".obj_kitchen_sink`))[0]!.n;
    const day = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
    const valid = fc.record({
      title: fc.string({ minLength: 1, maxLength: 50 }).map((text) => text.replace(/[<>\s\p{C}]/gu, 'x')),
      count: fc.integer({ min: -1000, max: 1000 }),
      ratio: fc.integer({ min: -999_999, max: 999_999 }).map((n) => n / 1000),
      flag: fc.boolean(),
      day,
    }, { requiredKeys: ['title'] });
    const invalid = fc.oneof(
      fc.record({ field: fc.constant('title'), value: fc.oneof(fc.string({ minLength: 51, maxLength: 80 }).map((text) => `a${text.replace(/\s/g, 'x')}`.padEnd(60, 'y')), fc.constant('<b>'), fc.integer()) }),
      fc.record({ field: fc.constant('count'), value: fc.oneof(fc.integer({ min: 1001 }), fc.integer({ max: -1001 }), fc.double({ min: 0.1, max: 0.9, noNaN: true }), fc.string()) }),
      fc.record({ field: fc.constant('ratio'), value: fc.oneof(fc.double({ min: 1000, max: 1e9, noNaN: true }), fc.constant('1.5')) }),
      fc.record({ field: fc.constant('flag'), value: fc.oneof(fc.constant('yes'), fc.integer()) }),
      fc.record({ field: fc.constant('day'), value: fc.oneof(fc.constant('1999-12-31'), fc.constant('2026-02-30'), fc.constant('2026/01/01'), fc.integer()) }),
    );
    await fc.assert(
      fc.asyncProperty(valid, invalid, async (record, bad) => {
        const created = await daicho.api.post('/api/v1/records/kitchen_sink', record);
        expect(created.status).toBe(201);
        expect(created.body).toMatchObject(record);
        const rows = await count();
        const refused = await daicho.api.post('/api/v1/records/kitchen_sink', { ...record, [bad.field]: bad.value });
        expect(refused.status).toBe(422);
        expect([...new Set(refused.body.error.details.problems.map((problem: { field: string }) => problem.field))]).toEqual([bad.field]);
        expect(await count()).toBe(rows);
      }),
      { numRuns: 60 },
    );
  });
});
