// A small catalog for the query layer's tests: deals that look up accounts, accounts that look up
// users (the platform's shared, tenant-scoped table), one field of every kind, a few formulas.
// `createSalesTables` creates matching tables with raw DDL in a test database.

import type { FieldType } from '@daicho/sdk';
import type { QueryCatalog, QueryField, QueryObject, QueryValueType } from '../catalog.ts';

export const salesSchema = 'ws_sales';
export const salesTenant = 'ws-1';

type FieldOptions = Partial<QueryField>;

function field(name: string, type: FieldType | 'id', valueType: QueryValueType, options: FieldOptions = {}): QueryField {
  const filterable = valueType !== 'json';
  return { name, type, valueType, column: snakeCase(name), filterable, sortable: filterable && valueType !== 'textList', ...options };
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function systemFields(): QueryField[] {
  return [
    field('id', 'id', 'id'),
    field('createdAt', 'datetime', 'datetime'),
    field('ownerId', 'lookup', 'id', { target: 'user', column: 'owner_id' }),
  ];
}

function formula(name: string, expression: string, returnType: 'text' | 'number' | 'boolean' | 'date' | 'datetime'): QueryField {
  return { name, type: 'formula', valueType: returnType, formula: { expression, returnType }, filterable: true, sortable: true };
}

function objectOf(name: string, table: string, fields: QueryField[], extra: Partial<QueryObject> = {}): QueryObject {
  return { name, schema: salesSchema, table, fields: new Map(fields.map((item) => [item.name, item])), deletedAtColumn: 'deleted_at', ...extra };
}

export const stageValues = ['new', 'open_stage', 'won', 'lost'] as const;
export const tagValues = ['a', 'b', 'c', '%x', 'q_t'] as const;

export interface SalesCatalogOptions {
  /** Extra fields for deal, e.g. formulas under test. */
  dealFields?: QueryField[];
  accountFields?: QueryField[];
}

/** The catalog: `deal`, `account` and `user`. */
export function createSalesCatalog(options: SalesCatalogOptions = {}): QueryCatalog {
  const user = objectOf('user', 'app_user', [field('id', 'id', 'id'), field('email', 'email', 'text')], {
    tenant: { column: 'workspace_id', value: salesTenant },
    deletedAtColumn: undefined,
  });
  const account = objectOf('account', 'account', [
    ...systemFields(),
    field('name', 'text', 'text'),
    field('industry', 'text', 'text'),
    field('tier', 'integer', 'number'),
    field('owner', 'lookup', 'id', { target: 'user', column: 'account_owner_id' }),
    formula('score', 'tier * 2 + 0.5', 'number'),
    ...(options.accountFields ?? []),
  ]);
  const deal = objectOf('deal', 'deal', [
    ...systemFields(),
    field('name', 'text', 'text'),
    field('amount', 'currency', 'number', { currencyColumn: 'amount_currency' }),
    field('quantity', 'integer', 'number'),
    field('probability', 'percent', 'number'),
    field('closed', 'boolean', 'boolean'),
    field('closeDate', 'date', 'date'),
    field('lastContact', 'datetime', 'datetime'),
    field('stage', 'picklist', 'text', { values: stageValues }),
    field('tags', 'multiPicklist', 'textList', { values: tagValues }),
    field('account', 'lookup', 'id', { target: 'account', column: 'account_id' }),
    field('billingAddress', 'address', 'json', { components: ['postalCode', 'region', 'city', 'street', 'building', 'country'], filterable: true, sortable: false }),
    field('notes', 'longText', 'text', { filterable: false, sortable: false }),
    field('extra', 'json', 'json'),
    formula('total', 'amount * quantity', 'number'),
    formula('label', 'name & "/" & stage', 'text'),
    formula('big', 'amount > 1000', 'boolean'),
    formula('followUp', 'ADDDAYS(closeDate, 7)', 'date'),
    formula('accountScore', 'account.score', 'number'),
    ...(options.dealFields ?? []),
  ]);
  const objects = new Map([user, account, deal].map((object) => [object.name, object]));
  return { object: (name) => objects.get(name) };
}

/** DDL for the catalog's tables (numeric(18,2) amounts, millisecond date-times, text[] tags). */
export const salesTablesDdl = `
create schema ${salesSchema};
create table ${salesSchema}.app_user (id uuid primary key, workspace_id text not null, email text);
create table ${salesSchema}.account (
  id uuid primary key, created_at timestamptz(3), owner_id uuid, account_owner_id uuid, name text, industry text, tier integer,
  deleted_at timestamptz(3));
create table ${salesSchema}.deal (
  id uuid primary key, created_at timestamptz(3), owner_id uuid, name text, amount numeric(18,2), amount_currency text,
  quantity integer, probability numeric(5,2), closed boolean, close_date date, last_contact timestamptz(3), stage text,
  tags text[], account_id uuid, billing_address jsonb, notes text, extra jsonb, deleted_at timestamptz(3));
`;
