import type { ObjectDefinition } from '@daicho/sdk';

const labels = (en: string) => ({ en });
const values = (...names: string[]) => names.map((value) => ({ value, labels: labels(value) }));

export const accountDefinition: ObjectDefinition = {
  name: 'account',
  labels: labels('Account'),
  titleField: 'name',
  fields: [
    { name: 'name', type: 'text', labels: labels('Name'), required: true },
    { name: 'industry', type: 'picklist', labels: labels('Industry'), values: values('manufacturing', 'retail', 'finance', 'it') },
  ],
};

/** A deal with 12 typed fields, one of them a lookup to account. */
export const dealDefinition: ObjectDefinition = {
  name: 'deal',
  labels: labels('Deal'),
  titleField: 'title',
  fields: [
    { name: 'title', type: 'text', labels: labels('Title'), required: true },
    { name: 'account', type: 'lookup', labels: labels('Account'), target: 'account' },
    { name: 'stage', type: 'picklist', labels: labels('Stage'), values: values('prospect', 'proposal', 'negotiation', 'won', 'lost'), indexed: true },
    { name: 'amount', type: 'currency', labels: labels('Amount'), precision: 14, scale: 0, indexed: true },
    { name: 'probability', type: 'percent', labels: labels('Probability'), precision: 5, scale: 2 },
    { name: 'closeDate', type: 'date', labels: labels('Close date'), indexed: true },
    { name: 'kind', type: 'picklist', labels: labels('Kind'), values: values('new', 'renewal', 'upsell') },
    { name: 'source', type: 'picklist', labels: labels('Source'), values: values('web', 'referral', 'event', 'partner') },
    { name: 'nextStep', type: 'text', labels: labels('Next step') },
    { name: 'quantity', type: 'integer', labels: labels('Quantity') },
    { name: 'discount', type: 'decimal', labels: labels('Discount'), precision: 12, scale: 2 },
    { name: 'renewal', type: 'boolean', labels: labels('Renewal') },
  ],
};

/** A small deterministic generator, so every run benchmarks the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function generateAccounts(count: number): Array<Record<string, unknown>> {
  const next = random(1);
  const industries = ['manufacturing', 'retail', 'finance', 'it'];
  return Array.from({ length: count }, (_, index) => ({ name: `Account ${index} 株式会社`, industry: industries[Math.floor(next() * 4)] }));
}

export function generateDeals(count: number, accountIds: readonly string[], offset = 0): Array<Record<string, unknown>> {
  const next = random(offset + 7);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  return Array.from({ length: count }, (_, index) => {
    const day = 1 + Math.floor(next() * 730);
    const close = new Date(Date.UTC(2026, 0, day)).toISOString().slice(0, 10);
    return {
      title: `Deal ${offset + index}`,
      account: pick(accountIds),
      stage: pick(['prospect', 'proposal', 'negotiation', 'won', 'lost']),
      amount: { amount: Math.floor(next() * 10_000_000), currency: pick(['JPY', 'JPY', 'JPY', 'USD']) },
      probability: Math.floor(next() * 10_000) / 100,
      closeDate: close,
      kind: pick(['new', 'renewal', 'upsell']),
      source: pick(['web', 'referral', 'event', 'partner']),
      nextStep: next() < 0.5 ? 'Call back' : 'Send proposal',
      quantity: 1 + Math.floor(next() * 100),
      discount: Math.floor(next() * 100_000) / 100,
      renewal: next() < 0.3,
    };
  });
}
