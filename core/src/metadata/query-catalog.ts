import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';
import type { QueryCatalog, QueryField, QueryObject, QueryValueType } from '../query/index.ts';

const valueTypes: Record<Exclude<FieldDefinition['type'], 'formula'>, QueryValueType> = {
  text: 'text', longText: 'text', richText: 'text', email: 'text', phone: 'text', url: 'text', picklist: 'text', autoNumber: 'text',
  integer: 'number', decimal: 'number', percent: 'number', currency: 'number', rollup: 'number',
  boolean: 'boolean', date: 'date', datetime: 'datetime', multiPicklist: 'textList',
  lookup: 'id', masterDetail: 'id', address: 'json', name: 'json', attachment: 'json', json: 'json',
};

/** Components of compound fields, addressable in filters and formulas as `field.component`. */
export const compoundComponents = {
  address: ['postalCode', 'region', 'city', 'street', 'building', 'country'],
  name: ['family', 'given', 'familyReading', 'givenReading'],
} as const;

const notFilterable = new Set<FieldDefinition['type']>(['richText', 'attachment', 'json']);
const notSortable = new Set<FieldDefinition['type']>(['longText', 'richText', 'multiPicklist', 'attachment', 'json', 'address', 'name']);

function fieldToQuery(field: FieldDefinition): QueryField {
  const valueType: QueryValueType = field.type === 'formula' ? (field.returnType === 'number' ? 'number' : field.returnType) : valueTypes[field.type];
  const query: QueryField = {
    name: field.name,
    type: field.type,
    valueType,
    filterable: !notFilterable.has(field.type),
    sortable: !notSortable.has(field.type),
  };
  if (field.type !== 'formula') query.column = field.column;
  if (field.type === 'currency') query.currencyColumn = `${field.column}_cur`;
  if (field.type === 'lookup' || field.type === 'masterDetail') query.target = field.target;
  if (field.type === 'address' || field.type === 'name') query.components = compoundComponents[field.type];
  if (field.type === 'picklist' || field.type === 'multiPicklist') query.values = field.values.map((value) => value.value);
  if (field.type === 'formula') query.formula = { expression: field.expression, returnType: field.returnType };
  return query;
}

const systemFields: QueryField[] = [
  { name: 'id', type: 'id', valueType: 'id', column: 'id', filterable: true, sortable: true },
  { name: 'createdAt', type: 'datetime', valueType: 'datetime', column: 'created_at', filterable: true, sortable: true },
  { name: 'updatedAt', type: 'datetime', valueType: 'datetime', column: 'updated_at', filterable: true, sortable: true },
  { name: 'createdBy', type: 'lookup', valueType: 'id', column: 'created_by', target: 'user', filterable: true, sortable: true },
  { name: 'updatedBy', type: 'lookup', valueType: 'id', column: 'updated_by', target: 'user', filterable: true, sortable: true },
  { name: 'ownerId', type: 'lookup', valueType: 'id', column: 'owner_id', target: 'user', filterable: true, sortable: true },
  { name: 'version', type: 'integer', valueType: 'number', column: 'version', filterable: true, sortable: true },
];

/** The query view of one stored object definition. */
export function objectToQuery(definition: ObjectDefinition, schema: string): QueryObject {
  const fields = new Map<string, QueryField>(systemFields.map((field) => [field.name, field]));
  for (const field of definition.fields) fields.set(field.name, fieldToQuery(field));
  return { name: definition.name, schema, table: definition.table!, fields, deletedAtColumn: 'deleted_at' };
}

/** The platform's users as an object, so that lookups to `user` filter and expand like any other. */
export function userQueryObject(workspaceId: string): QueryObject {
  const text = (name: string, column: string): QueryField => ({ name, type: 'text', valueType: 'text', column, filterable: true, sortable: true });
  const fields: QueryField[] = [
    { name: 'id', type: 'id', valueType: 'id', column: 'id', filterable: true, sortable: true },
    text('email', 'email'),
    text('displayName', 'display_name'),
    text('locale', 'locale'),
    text('timeZone', 'time_zone'),
    text('status', 'status'),
  ];
  return {
    name: 'user',
    schema: 'daicho',
    table: 'user',
    fields: new Map(fields.map((field) => [field.name, field])),
    tenant: { column: 'workspace_id', value: workspaceId },
  };
}

/** A catalog over a workspace's objects (and its users). */
export function createQueryCatalog(objects: Iterable<QueryObject>, workspaceId: string): QueryCatalog {
  const byName = new Map<string, QueryObject>([['user', userQueryObject(workspaceId)]]);
  for (const object of objects) byName.set(object.name, object);
  return { object: (name) => byName.get(name) };
}
