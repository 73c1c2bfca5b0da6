import type { ObjectDefinition } from '@daicho/sdk';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const quote: ObjectDefinition = {
  name: 'quote',
  labels: { en: 'Quote', ja: '見積' },
  titleField: 'number',
  fields: [
    { name: 'number', type: 'autoNumber', labels: { en: 'Number' }, format: 'Q-{YYYY}-{0000}' },
    { name: 'customer', type: 'text', labels: { en: 'Customer' } },
    { name: 'validUntil', type: 'date', labels: { en: 'Valid until' } },
    { name: 'daysLeft', type: 'formula', labels: { en: 'Days left' }, expression: 'DAYSBETWEEN(DATE(2026, 1, 1), validUntil)', returnType: 'number' },
  ],
};

const lineItem: ObjectDefinition = {
  name: 'line_item',
  labels: { en: 'Line item', ja: '明細' },
  titleField: 'product',
  fields: [
    { name: 'quote', type: 'masterDetail', labels: { en: 'Quote' }, target: 'quote' },
    { name: 'product', type: 'text', labels: { en: 'Product' }, required: true },
    { name: 'quantity', type: 'integer', labels: { en: 'Quantity' }, min: 1, required: true },
    { name: 'unitPrice', type: 'decimal', labels: { en: 'Unit price' }, precision: 12, scale: 2, required: true },
    { name: 'lineTotal', type: 'decimal', labels: { en: 'Line total' }, precision: 14, scale: 2 },
    { name: 'label', type: 'formula', labels: { en: 'Label' }, expression: 'quote.customer & " / " & product', returnType: 'text' },
  ],
};

describe('roll-ups, formulas and master-detail', () => {
  let daicho: TestDaicho;

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    expect((await daicho.api.post('/api/v1/meta/objects', quote)).status).toBe(201);
    expect((await daicho.api.post('/api/v1/meta/objects', lineItem)).status).toBe(201);
  });
  afterAll(async () => {
    await daicho?.close();
  });

  it('computes a roll-up for existing records when it is created, then incrementally on every child change', async () => {
    const q1 = (await daicho.api.post('/api/v1/records/quote', { customer: 'Acme', validUntil: '2026-01-31' })).body;
    const q2 = (await daicho.api.post('/api/v1/records/quote', { customer: 'Beta' })).body;
    expect(q1.number).toMatch(/^Q-\d{4}-0001$/);
    expect(q1.daysLeft).toBe(30);
    const item = (await daicho.api.post('/api/v1/records/line_item', { quote: q1.id, product: 'Desk', quantity: 2, unitPrice: 100, lineTotal: 200 })).body;
    expect(item.label).toBe('Acme / Desk');

    const withRollups = {
      ...quote,
      fields: [
        ...quote.fields,
        { name: 'total', type: 'rollup', labels: { en: 'Total' }, childObject: 'line_item', relationshipField: 'quote', function: 'sum', aggregateField: 'lineTotal' },
        { name: 'bigItems', type: 'rollup', labels: { en: 'Big items' }, childObject: 'line_item', relationshipField: 'quote', function: 'count', filter: { field: 'lineTotal', op: 'gte', value: 1000 } },
      ],
    } as ObjectDefinition;
    expect((await daicho.api.put('/api/v1/meta/objects/quote', withRollups)).status).toBe(200);
    const total = async (id: string) => (await daicho.api.get(`/api/v1/records/quote/${id}`)).body;
    expect(await total(q1.id)).toMatchObject({ total: 200, bigItems: 0 });
    expect(await total(q2.id)).toMatchObject({ total: 0, bigItems: 0 });

    const big = (await daicho.api.post('/api/v1/records/line_item', { quote: q1.id, product: 'Server', quantity: 1, unitPrice: 5000, lineTotal: 5000 })).body;
    expect(await total(q1.id)).toMatchObject({ total: 5200, bigItems: 1 });

    // Moving a child updates both the old and the new parent.
    await daicho.api.patch(`/api/v1/records/line_item/${big.id}`, { quote: q2.id }, { headers: { 'if-match': '"1"' } });
    expect(await total(q1.id)).toMatchObject({ total: 200, bigItems: 0 });
    expect(await total(q2.id)).toMatchObject({ total: 5000, bigItems: 1 });

    await daicho.api.delete(`/api/v1/records/line_item/${item.id}`);
    expect(await total(q1.id)).toMatchObject({ total: 0 });
  });

  it('moves children to the recycle bin with their parent and brings them back with it', async () => {
    const parent = (await daicho.api.post('/api/v1/records/quote', { customer: 'Gamma' })).body;
    const child = (await daicho.api.post('/api/v1/records/line_item', { quote: parent.id, product: 'Chair', quantity: 4, unitPrice: 50 })).body;
    await daicho.api.delete(`/api/v1/records/quote/${parent.id}`);
    expect((await daicho.api.get(`/api/v1/records/line_item/${child.id}`)).status).toBe(404);
    await daicho.api.post(`/api/v1/records/quote/${parent.id}/restore`);
    expect((await daicho.api.get(`/api/v1/records/line_item/${child.id}`)).status).toBe(200);
  });

  it('refuses a masterDetail child without its parent', async () => {
    const response = await daicho.api.post('/api/v1/records/line_item', { product: 'Lonely', quantity: 1, unitPrice: 1 });
    expect(response.status).toBe(422);
    expect(response.body.error.details.problems).toContainEqual(expect.objectContaining({ path: '/quote', code: 'required' }));
  });

  it('refuses a formula that does not type-check, at save time', async () => {
    const bad = { name: 'broken', type: 'formula', labels: { en: 'Broken' }, expression: 'customer + 1', returnType: 'number' };
    const response = await daicho.api.post('/api/v1/meta/objects/quote/fields', bad);
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('INVALID_DEFINITION');
    expect(response.body.error.details.problems[0]).toMatchObject({ path: '/expression', code: 'INVALID_FORMULA' });
  });
});
