// Random sales data for property tests: users of two workspaces sharing ids, accounts and deals
// with blanks, tricky text (%, _, \, quotes, accents, emoji) and dates around "now". Each deal
// comes in two shapes: a row for the table, and the records API's JSON with lookups expanded.

import fc from 'fast-check';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { formatIsoDate } from '../calendar/civil-date.ts';
import { salesSchema, salesTablesDdl, salesTenant, stageValues, tagValues } from './sales-catalog.ts';

/** Text that tends to break things: LIKE specials, quotes, case pairs, non-ASCII, astral characters. */
export const trickyTexts = [
  '', ' ', 'a', 'A', 'ab', 'Ab', 'aB%', '100%', 'x_y', 'back\\slash', "it's", 'say "hi"', 'ä', 'Ä', 'É', 'é', 'ß',
  'İ', '😀', 'z😀', '\uffff', 'ｱｲ', 'Ａ', '東京', 'tokyo', 'TOKYO', 'Tōkyō', '%', '_', '\\',
];

const textUnit = fc.constantFrom('a', 'B', 'c', '%', '_', '\\', "'", '"', 'é', 'É', '😀', '東', ' ', 'Z');
export const textArbitrary = fc.oneof(fc.constantFrom(...trickyTexts), fc.string({ unit: textUnit, maxLength: 6 }));

/** The instant the tests call "now": near the end of a month, a quarter and (in Tokyo) a day. */
export const salesNow = new Date('2026-03-31T15:30:00.000Z');
const day = 86_400_000;

export interface SalesUser {
  id: string;
  email: string;
}

export interface SalesData {
  users: SalesUser[];
  accounts: Record<string, unknown>[];
  /** Deals in the records API's shape, lookups expanded. */
  deals: Record<string, unknown>[];
}

const nullable = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null, freq: 4 });
const instantArbitrary = fc.integer({ min: -400, max: 400 }).chain((days) =>
  fc.integer({ min: 0, max: day - 1 }).map((offset) => new Date(salesNow.getTime() + days * day + offset - day / 2).toISOString()),
);
const dateArbitrary = fc.integer({ min: -400, max: 400 }).map((days) => formatIsoDate(Math.floor(salesNow.getTime() / day) + days));

/** Generates users, accounts and deals, deterministically for a seed. */
export function generateSalesData(seed: number, dealCount = 200): SalesData {
  const users = fc.sample(fc.record({ id: fc.uuid(), email: textArbitrary.map((text) => `${text}@example.jp`) }), { seed, numRuns: 5 });
  const accountArbitrary = fc.record({
    id: fc.uuid(),
    createdAt: instantArbitrary,
    ownerId: nullable(fc.constantFrom(...users)),
    name: nullable(textArbitrary),
    industry: nullable(fc.constantFrom('retail', 'Retail', 'finance', 'ｆｉｎａｎｃｅ', '')),
    tier: nullable(fc.integer({ min: -2, max: 5 })),
    owner: nullable(fc.constantFrom(...users)),
  });
  const accounts = fc.sample(accountArbitrary, { seed: seed + 1, numRuns: 15 });
  const dealArbitrary = fc.record({
    id: fc.uuid(),
    createdAt: instantArbitrary,
    ownerId: nullable(fc.constantFrom(...users)),
    name: nullable(textArbitrary),
    amount: nullable(
      fc.record({ amount: fc.integer({ min: -100_000, max: 500_000 }).map((cents) => cents / 100), currency: fc.constantFrom('JPY', 'USD', 'jpy') }),
    ),
    quantity: nullable(fc.integer({ min: -5, max: 50 })),
    probability: nullable(fc.integer({ min: 0, max: 10_000 }).map((basis) => basis / 100)),
    closed: nullable(fc.boolean()),
    closeDate: nullable(dateArbitrary),
    lastContact: nullable(instantArbitrary),
    stage: nullable(fc.constantFrom(...stageValues)),
    tags: nullable(fc.subarray([...tagValues])),
    account: nullable(fc.constantFrom(...accounts)),
    billingAddress: nullable(fc.record({ city: textArbitrary, country: fc.constantFrom('JP', 'US') }, { requiredKeys: [] })),
  });
  const deals = fc.sample(dealArbitrary, { seed: seed + 2, numRuns: dealCount });
  return { users, accounts, deals };
}

function idOf(value: unknown): string | null {
  return value === null || value === undefined ? null : (value as { id: string }).id;
}

/** A Kysely instance on a fresh test database holding the sales tables and `data`. */
export async function openSalesDatabase(url: string, data: SalesData): Promise<Kysely<unknown>> {
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) });
  await sql.raw(salesTablesDdl).execute(db);
  const table = (name: string) => sql.id(salesSchema, name);
  // Every user id exists in a second workspace too, with another e-mail: joins must not see it.
  await sql.raw(`alter table ${salesSchema}.app_user drop constraint app_user_pkey, add primary key (workspace_id, id)`).execute(db);
  for (const user of data.users) {
    await sql`insert into ${table('app_user')} (id, workspace_id, email) values (${user.id}, ${salesTenant}, ${user.email}), (${user.id}, 'ws-2', ${`other-${user.email}`})`.execute(db);
  }
  for (const account of data.accounts) {
    await sql`insert into ${table('account')} (id, created_at, owner_id, account_owner_id, name, industry, tier)
      values (${account.id}, ${account.createdAt}, ${idOf(account.ownerId)}, ${idOf(account.owner)}, ${account.name}, ${account.industry},
        ${account.tier})`.execute(db);
  }
  for (const deal of data.deals) {
    const amount = deal.amount as { amount: number; currency: string } | null;
    await sql`insert into ${table('deal')} (id, created_at, owner_id, name, amount, amount_currency, quantity, probability, closed,
        close_date, last_contact, stage, tags, account_id, billing_address)
      values (${deal.id}, ${deal.createdAt}, ${idOf(deal.ownerId)}, ${deal.name}, ${amount?.amount ?? null}, ${amount?.currency ?? null},
        ${deal.quantity}, ${deal.probability}, ${deal.closed}, ${deal.closeDate}, ${deal.lastContact}, ${deal.stage}, ${deal.tags},
        ${idOf(deal.account)}, ${deal.billingAddress === null ? null : JSON.stringify(deal.billingAddress)})`.execute(db);
  }
  return db;
}
