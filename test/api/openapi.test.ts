import { errorCodes } from '@daicho/sdk';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accountObject, dealObject } from '../support/crm-objects.ts';

type Operation = { tags: string[]; summary: string; responses: Record<string, { 'x-error-codes'?: string[] }> };

describe('the OpenAPI document and its reference page', () => {
  let daicho: TestDaicho;
  let document: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    expect((await daicho.api.post('/api/v1/meta/objects', accountObject)).status).toBe(201);
    expect((await daicho.api.post('/api/v1/meta/objects', dealObject)).status).toBe(201);
    const response = await daicho.api.get('/api/v1/openapi.json');
    expect(response.status).toBe(200);
    document = response.body;
  });
  afterAll(async () => {
    await daicho?.close();
  });

  it('tags each object with its labels in both languages', () => {
    expect(document.tags).toContainEqual({ name: 'deal', description: 'Deal', 'x-labels': { en: 'Deal', ja: '商談' } });
    expect(document.tags).toContainEqual({ name: 'account', description: 'Account', 'x-labels': { en: 'Account', ja: '取引先' } });
  });

  it('describes every record operation of an object, each with the error codes it can answer', () => {
    const operations = Object.entries(document.paths as Record<string, Record<string, Operation>>)
      .filter(([path]) => path.startsWith('/api/v1/records/deal'))
      .flatMap(([path, item]) => Object.entries(item).filter(([method]) => method !== 'parameters').map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation })));
    expect(operations.map((entry) => entry.key).sort()).toEqual([
      'DELETE /api/v1/records/deal/{id}',
      'GET /api/v1/records/deal',
      'GET /api/v1/records/deal/export.csv',
      'GET /api/v1/records/deal/{id}',
      'PATCH /api/v1/records/deal/{id}',
      'POST /api/v1/records/deal',
      'POST /api/v1/records/deal/import',
      'POST /api/v1/records/deal/query',
      'POST /api/v1/records/deal/{id}/purge',
      'POST /api/v1/records/deal/{id}/restore',
    ]);
    for (const { key, operation } of operations) {
      expect(operation.tags, key).toEqual(['deal']);
      expect(operation.responses['401']?.['x-error-codes'], key).toEqual(['UNAUTHENTICATED']);
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        expect(response['x-error-codes']?.length, `${key} ${status}`).toBeGreaterThan(0);
        for (const code of response['x-error-codes']!) expect(errorCodes[code as keyof typeof errorCodes].status, `${key} ${code}`).toBe(Number(status));
      }
    }
    const patch = document.paths['/api/v1/records/deal/{id}'].patch as Operation;
    expect(Object.keys(patch.responses)).toEqual(['200', '400', '401', '404', '409', '412', '413', '415', '422', '428']);
  });

  it('says which fields are read-only, nullable and labelled', () => {
    const deal = document.components.schemas.Deal;
    expect(deal.properties.stage).toMatchObject({ enum: ['prospect', 'proposal', 'won', 'lost', null], title: 'Stage', 'x-labels': { en: 'Stage', ja: 'フェーズ' } });
    expect(deal.properties.expected).toMatchObject({ type: ['number', 'null'], readOnly: true });
    expect(deal.properties.closeDate).toMatchObject({ type: ['string', 'null'], format: 'date' });
    const create = document.components.schemas.DealCreate;
    expect(create.required).toEqual(['title']);
    expect(create.properties.title.type).toBe('string');
    expect(create.properties.notes.type).toEqual(['string', 'null']);
    expect(create.properties.expected).toBeUndefined();
  });

  it('lists every stable error code with its status and meaning', () => {
    expect(document.components.schemas.Error['x-error-codes']).toEqual(errorCodes);
    expect(document.components.schemas.Error.properties.error.properties.code.enum).toEqual(Object.keys(errorCodes));
  });

  it('serves the reference page without a session, under the common security headers', async () => {
    const page = await daicho.fetch('/api/v1/reference');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/api/v1/reference/reference.js"></script>');
    expect((await daicho.fetch('/api/v1/reference/reference.css')).status).toBe(200);
  });
});
