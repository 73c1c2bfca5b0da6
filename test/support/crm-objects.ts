import type { ObjectDefinition } from '@daicho/sdk';

/** An account (company) with a field of most types. */
export const accountObject: ObjectDefinition = {
  name: 'account',
  labels: { en: 'Account', ja: '取引先' },
  titleField: 'name',
  searchFields: ['nameKana'],
  fields: [
    { name: 'name', type: 'text', labels: { en: 'Name', ja: '取引先名' }, required: true, maxLength: 120 },
    { name: 'nameKana', type: 'text', labels: { en: 'Name (kana)', ja: '取引先名カナ' } },
    { name: 'industry', type: 'picklist', labels: { en: 'Industry', ja: '業種' }, values: [
      { value: 'manufacturing', labels: { en: 'Manufacturing', ja: '製造' } },
      { value: 'retail', labels: { en: 'Retail', ja: '小売' } },
      { value: 'legacy', labels: { en: 'Legacy', ja: '旧分類' }, inactive: true },
    ] },
    { name: 'email', type: 'email', labels: { en: 'E-mail' } },
    { name: 'phone', type: 'phone', labels: { en: 'Phone', ja: '電話' } },
    { name: 'website', type: 'url', labels: { en: 'Website' } },
    { name: 'employees', type: 'integer', labels: { en: 'Employees' }, min: 0 },
    { name: 'billingAddress', type: 'address', labels: { en: 'Billing address', ja: '請求先住所' } },
    { name: 'founded', type: 'date', labels: { en: 'Founded' } },
    { name: 'active', type: 'boolean', labels: { en: 'Active' }, default: true },
    { name: 'code', type: 'autoNumber', labels: { en: 'Code' }, format: 'A-{0000}' },
  ],
};

/** A deal with a lookup to account, money, stages and a formula. */
export const dealObject: ObjectDefinition = {
  name: 'deal',
  labels: { en: 'Deal', ja: '商談' },
  titleField: 'title',
  fields: [
    { name: 'title', type: 'text', labels: { en: 'Title', ja: '商談名' }, required: true },
    { name: 'account', type: 'lookup', labels: { en: 'Account' }, target: 'account' },
    { name: 'stage', type: 'picklist', labels: { en: 'Stage', ja: 'フェーズ' }, values: [
      { value: 'prospect', labels: { en: 'Prospect' } },
      { value: 'proposal', labels: { en: 'Proposal' } },
      { value: 'won', labels: { en: 'Won' } },
      { value: 'lost', labels: { en: 'Lost' } },
    ], default: 'prospect', indexed: true },
    { name: 'amount', type: 'currency', labels: { en: 'Amount', ja: '金額' }, defaultCurrency: 'JPY', precision: 14, scale: 0 },
    { name: 'probability', type: 'percent', labels: { en: 'Probability' }, min: 0, max: 100, scale: 0, precision: 3 },
    { name: 'closeDate', type: 'date', labels: { en: 'Close date' } },
    { name: 'tags', type: 'multiPicklist', labels: { en: 'Tags' }, values: [
      { value: 'hot', labels: { en: 'Hot' } },
      { value: 'renewal', labels: { en: 'Renewal' } },
    ] },
    { name: 'notes', type: 'longText', labels: { en: 'Notes' } },
    { name: 'expected', type: 'formula', labels: { en: 'Expected revenue' }, expression: 'amount * probability / 100', returnType: 'number' },
  ],
};
