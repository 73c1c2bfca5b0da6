import type { ObjectDefinition } from '@daicho/sdk';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

// A listed record is the record read by id, for every field type and value; an expanded lookup
// joined into the page is the record a second query would load.

const parent: ObjectDefinition = {
  name: 'parent',
  labels: { en: 'Parent' },
  fields: [
    { name: 'name', type: 'text', labels: { en: 'Name' } },
    { name: 'budget', type: 'currency', labels: { en: 'Budget' } },
    { name: 'opened', type: 'date', labels: { en: 'Opened' } },
    { name: 'label', type: 'formula', labels: { en: 'Label' }, returnType: 'text', expression: '"P:" & name' },
  ],
};

const child: ObjectDefinition = {
  name: 'child',
  labels: { en: 'Child' },
  fields: [
    { name: 'title', type: 'text', labels: { en: 'Title' } },
    { name: 'notes', type: 'longText', labels: { en: 'Notes' } },
    { name: 'count', type: 'integer', labels: { en: 'Count' } },
    { name: 'ratio', type: 'decimal', labels: { en: 'Ratio' }, precision: 12, scale: 4 },
    { name: 'share', type: 'percent', labels: { en: 'Share' } },
    { name: 'price', type: 'currency', labels: { en: 'Price' } },
    { name: 'flag', type: 'boolean', labels: { en: 'Flag' } },
    { name: 'day', type: 'date', labels: { en: 'Day' } },
    { name: 'at', type: 'datetime', labels: { en: 'At' } },
    { name: 'tags', type: 'multiPicklist', labels: { en: 'Tags' }, values: [{ value: 'a', labels: { en: 'A' } }, { value: 'b', labels: { en: 'B' } }] },
    { name: 'stage', type: 'picklist', labels: { en: 'Stage' }, values: [{ value: 'new', labels: { en: 'New' } }, { value: 'done', labels: { en: 'Done' } }] },
    { name: 'where', type: 'address', labels: { en: 'Where' } },
    { name: 'person', type: 'name', labels: { en: 'Person' } },
    { name: 'extra', type: 'json', labels: { en: 'Extra' } },
    { name: 'parent', type: 'lookup', target: 'parent', labels: { en: 'Parent' } },
    { name: 'doubled', type: 'formula', labels: { en: 'Doubled' }, returnType: 'number', expression: 'count * 2' },
    { name: 'nextWeek', type: 'formula', labels: { en: 'Next week' }, returnType: 'date', expression: 'ADDDAYS(day, 7)' },
    { name: 'parentName', type: 'formula', labels: { en: 'Parent name' }, returnType: 'text', expression: 'parent.name' },
  ],
};

describe('listed records', () => {
  let daicho: TestDaicho;
  let parentId: string;

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    for (const definition of [parent, child]) {
      const created = await daicho.api.post('/api/v1/meta/objects', definition);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    parentId = (await daicho.api.post('/api/v1/records/parent', { name: 'Acme "quoted" \\ back', budget: { amount: 1234.5, currency: 'JPY' }, opened: '2026-01-31' })).body.id;
  });
  afterAll(async () => {
    await daicho?.close();
  });

  const text = fc.string({ maxLength: 30 }).map((value) => value.replace(/\p{C}/gu, '').trim()).filter((value) => value.length > 0);
  const record = fc.record({
    title: text,
    notes: fc.oneof(fc.constant('line 1\nline 2\t"tab" \\ <b>&amp;'), text),
    count: fc.integer({ min: -1_000_000, max: 1_000_000 }),
    ratio: fc.integer({ min: -99_999_999, max: 99_999_999 }).map((n) => n / 10_000),
    share: fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100),
    price: fc.record({ amount: fc.integer({ min: 0, max: 10_000_000 }).map((n) => n / 100), currency: fc.constantFrom('JPY', 'USD', 'EUR') }),
    flag: fc.boolean(),
    day: fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
    at: fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString()),
    tags: fc.subarray(['a', 'b']),
    stage: fc.constantFrom('new', 'done'),
    where: fc.record({ postalCode: fc.constant('100-0001'), city: text, street: text }),
    person: fc.record({ family: text, given: text }),
    extra: fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown),
  }, { requiredKeys: ['title'] });

  it('gives each listed record exactly as reading it by id does, whatever its values', async () => {
    await fc.assert(
      fc.asyncProperty(record, fc.boolean(), async (values, withParent) => {
        const created = await daicho.api.post('/api/v1/records/child', { ...values, ...(withParent ? { parent: parentId } : {}) });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        const byId = await daicho.api.get(`/api/v1/records/child/${created.body.id}`);
        const filter = encodeURIComponent(JSON.stringify({ field: 'id', op: 'eq', value: created.body.id }));
        const listed = await daicho.api.get(`/api/v1/records/child?filter=${filter}`);
        expect(listed.body.records).toEqual([byId.body]);
      }),
      { numRuns: 40, seed: 2026 },
    );
  });

  it('expands a lookup joined into the page as a second query would', async () => {
    await daicho.api.post('/api/v1/records/child', { title: 'with parent', parent: parentId, count: 3 });
    const filter = encodeURIComponent(JSON.stringify({ field: 'title', op: 'eq', value: 'with parent' }));
    // `parent` is joined into the page's query; `createdBy` (a user) is loaded by a second query.
    const joined = (await daicho.api.get(`/api/v1/records/child?filter=${filter}&expand=parent`)).body.records[0];
    const mapped = (await daicho.api.get(`/api/v1/records/child?filter=${filter}&expand=parent,createdBy`)).body.records[0];
    expect(joined.parent).toEqual(mapped.parent);
    expect(joined.parent).toMatchObject({ id: parentId, name: 'Acme "quoted" \\ back', budget: { amount: 1234.5, currency: 'JPY' }, opened: '2026-01-31', label: 'P:Acme "quoted" \\ back' });
    expect(typeof mapped.createdBy).toBe('object');
    const sparse = (await daicho.api.get(`/api/v1/records/child?filter=${filter}&expand=parent&fields.parent=name,label`)).body.records[0];
    expect(sparse.parent).toEqual({ id: parentId, name: 'Acme "quoted" \\ back', label: 'P:Acme "quoted" \\ back' });
    expect(joined.parentName).toBe('Acme "quoted" \\ back');
  });

  it('lists the recycle bin with deletedAt, and chosen fields only', async () => {
    const created = await daicho.api.post('/api/v1/records/child', { title: 'to bin', count: 1 });
    await daicho.api.delete(`/api/v1/records/child/${created.body.id}`);
    const filter = encodeURIComponent(JSON.stringify({ field: 'id', op: 'eq', value: created.body.id }));
    const binned = await daicho.api.get(`/api/v1/records/child?deleted=true&filter=${filter}&fields=title`);
    const keys = ['createdAt', 'createdBy', 'deletedAt', 'id', 'ownerId', 'title', 'updatedAt', 'updatedBy', 'version'];
    expect(Object.keys(binned.body.records[0]).sort()).toEqual(keys);
    const byId = (await daicho.api.get(`/api/v1/records/child/${created.body.id}?deleted=true`)).body;
    expect(binned.body.records[0]).toEqual(pick(byId, keys));
  });
});

function pick(record: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, record[key]]));
}
