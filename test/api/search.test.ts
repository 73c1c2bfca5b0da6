import type { ObjectDefinition } from '@daicho/sdk';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accountObject } from '../support/crm-objects.ts';

const contact: ObjectDefinition = {
  name: 'contact',
  labels: { en: 'Contact', ja: '取引先責任者' },
  titleField: 'email',
  fields: [
    { name: 'fullName', type: 'name', labels: { en: 'Name', ja: '氏名' } },
    { name: 'email', type: 'email', labels: { en: 'E-mail' } },
    { name: 'mobile', type: 'phone', labels: { en: 'Mobile' } },
    { name: 'memo', type: 'text', labels: { en: 'Memo' } },
  ],
};

describe('global search', () => {
  let daicho: TestDaicho;

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    await daicho.api.post('/api/v1/meta/objects', accountObject);
    await daicho.api.post('/api/v1/meta/objects', contact);
    await daicho.api.post('/api/v1/records/account', { name: 'アイウ商事', nameKana: 'アイウショウジ', phone: '03-1234-5678' });
    await daicho.api.post('/api/v1/records/contact', { fullName: { family: '山田', given: '太郎', familyReading: 'やまだ', givenReading: 'たろう' }, email: 'taro@example.com', mobile: '090-1111-2222', memo: 'not searched' });
  });
  afterAll(async () => {
    await daicho?.close();
  });

  const search = async (q: string) => (await daicho.api.get(`/api/v1/search?q=${encodeURIComponent(q)}`)).body.hits.map((hit: { object: string; title: unknown }) => `${hit.object}:${JSON.stringify(hit.title)}`);

  it.each([
    ['half-width katakana', 'ｱｲｳ', 'account:"アイウ商事"'],
    ['hiragana for katakana', 'あいう', 'account:"アイウ商事"'],
    ['full-width digits and dash for a phone', '０３－１２３４', 'account:"アイウ商事"'],
    ['digits only for a phone', '0312345678', 'account:"アイウ商事"'],
    ['a kana reading for a name', 'ヤマダ', 'contact:"taro@example.com"'],
    ['family then given name', '山田 太郎', 'contact:"taro@example.com"'],
    ['an e-mail in capitals', 'TARO@EXAMPLE', 'contact:"taro@example.com"'],
  ])('finds a record by %s', async (_what, q, hit) => {
    expect(await search(q)).toContain(hit);
  });

  it('matches only the fields chosen for search', async () => {
    expect(await search('not searched')).toEqual([]);
  });

  it('refuses an empty query', async () => {
    const response = await daicho.api.get('/api/v1/search?q=%20');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('INVALID_QUERY');
  });
});
