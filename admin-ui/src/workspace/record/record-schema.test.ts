import type { ObjectDefinition } from '@daicho/sdk';
import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../i18n/index.ts';
import type { ObjectAccess } from '../../api/index.ts';
import { buildRecordForm, changedValues, problemsOf, toErrorSchema } from './record-schema.ts';

const deal: ObjectDefinition = {
  name: 'deal',
  labels: { en: 'Deal', ja: '商談' },
  fields: [
    { name: 'title', type: 'text', labels: { en: 'Title', ja: '商談名' }, required: true, maxLength: 80 },
    { name: 'stage', type: 'picklist', labels: { en: 'Stage' }, default: 'prospect', values: [
      { value: 'prospect', labels: { en: 'Prospect', ja: '見込み' } },
      { value: 'old', labels: { en: 'Old' }, inactive: true },
    ] },
    { name: 'amount', type: 'currency', labels: { en: 'Amount' }, defaultCurrency: 'JPY' },
    { name: 'probability', type: 'percent', labels: { en: 'Probability' }, max: 100 },
    { name: 'notes', type: 'longText', labels: { en: 'Notes' } },
    { name: 'secret', type: 'text', labels: { en: 'Secret' } },
    { name: 'code', type: 'autoNumber', labels: { en: 'Code' }, format: 'D-{0000}' },
  ],
};
const access: ObjectAccess = {
  actions: ['read', 'update', 'create'],
  fields: { title: 'edit', stage: 'edit', amount: 'edit', probability: 'edit', notes: 'read', secret: 'none', code: 'edit' },
  records: { read: 'all', write: 'all' },
};
const i18n = createI18n('ja');
const t = i18n.t.bind(i18n) as TFunction;

describe('the record form from a definition', () => {
  it('leaves hidden fields out, makes read-only and computed ones read-only, labels in the UI language', () => {
    const form = buildRecordForm(deal, access, 'ja', t, false);
    const properties = form.schema.properties as Record<string, { title?: string; readOnly?: boolean; oneOf?: unknown[] }>;
    expect(Object.keys(properties)).toEqual(['title', 'stage', 'amount', 'probability', 'notes', 'code']);
    expect(properties['title']?.title).toBe('商談名');
    expect(properties['notes']?.readOnly).toBe(true);
    expect(properties['code']?.readOnly).toBe(true);
    expect(properties['stage']?.oneOf).toEqual([{ const: 'prospect', title: '見込み' }]);
    expect(form.editable).toEqual(['title', 'stage', 'amount', 'probability']);
    expect(form.schema.required).toEqual(['title']);
  });

  it('offers no read-only fields on a new record, and starts from the defaults', () => {
    const form = buildRecordForm(deal, access, 'en', t, true);
    const properties = form.schema.properties as Record<string, { default?: unknown }>;
    expect(Object.keys(properties)).not.toContain('notes');
    expect(properties['stage']?.default).toBe('prospect');
  });

  it('sends only what changed, an emptied field as null, money without an amount as nothing', () => {
    const form = buildRecordForm(deal, access, 'en', t, false);
    const original = { id: 'r1', version: 3, createdAt: '', updatedAt: '', title: 'A', stage: 'prospect', probability: 20, amount: null };
    expect(changedValues(form, { title: 'B', stage: 'prospect', amount: { currency: 'JPY' } }, original)).toEqual({ title: 'B', probability: null });
    expect(changedValues(buildRecordForm(deal, access, 'en', t, true), { title: 'N', amount: { currency: 'JPY' } }, undefined)).toEqual({ title: 'N' });
  });

  it('puts server problems on their fields, translated from their codes', () => {
    const problems = problemsOf({
      problems: [
        { path: '/title', field: 'title', code: 'maxLength', message: 'must be at most 80 characters' },
        { path: '/amount/amount', field: 'amount', code: 'type', message: 'must be number' },
        { path: '/probability', field: 'probability', code: 'brandNewCode', message: '?' },
      ],
    });
    expect(toErrorSchema(problems, deal, t)).toEqual({
      title: { __errors: ['長すぎます（80 文字以内）。'] },
      amount: { amount: { __errors: ['値の種類が正しくありません。'] } },
      probability: { __errors: ['値が正しくありません。'] },
    });
    expect(problemsOf(undefined)).toEqual([]);
  });
});
