import { errorCodes, platformVersion, type FieldDefinition, type ObjectDefinition } from '@daicho/sdk';
import type { WorkspaceMetadata } from '../metadata/index.ts';
import { fieldValueSchema, recordInputSchema } from '../records/index.ts';

type Schema = Record<string, unknown>;

const label = (definition: { labels: { en?: string; ja?: string } }) => definition.labels.en ?? definition.labels.ja ?? '';

/** A field's value as the API returns it (computed types included, nulls allowed). */
function outputSchema(field: FieldDefinition): Schema {
  let schema: Schema;
  if (field.type === 'formula') schema = field.returnType === 'number' ? { type: 'number' } : field.returnType === 'boolean' ? { type: 'boolean' } : field.returnType === 'date' ? { type: 'string', format: 'date' } : field.returnType === 'datetime' ? { type: 'string', format: 'date-time' } : { type: 'string' };
  else if (field.type === 'rollup') schema = { type: 'number' };
  else if (field.type === 'autoNumber') schema = { type: 'string' };
  else schema = fieldValueSchema(field, 'update');
  const description = [label(field), field.help?.en].filter(Boolean).join(' — ');
  return { ...schema, type: schema.type ? [schema.type, 'null'].flat() : undefined, ...(description ? { description } : {}), ...(field.type === 'formula' || field.type === 'rollup' || field.type === 'autoNumber' || field.readOnly ? { readOnly: true } : {}) };
}

const systemProperties: Schema = {
  id: { type: 'string', format: 'uuid', readOnly: true },
  createdAt: { type: 'string', format: 'date-time', readOnly: true },
  updatedAt: { type: 'string', format: 'date-time', readOnly: true },
  createdBy: { type: ['string', 'null'], format: 'uuid', readOnly: true },
  updatedBy: { type: ['string', 'null'], format: 'uuid', readOnly: true },
  ownerId: { type: ['string', 'null'], format: 'uuid', readOnly: true },
  version: { type: 'integer', readOnly: true, description: 'Increases with every change; send it back in If-Match as the ETag.' },
};

function componentName(definition: ObjectDefinition): string {
  return definition.name.split(/[._]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

function objectPaths(definition: ObjectDefinition): Record<string, Schema> {
  const name = componentName(definition);
  const ref = { $ref: `#/components/schemas/${name}` };
  const tag = [definition.name];
  const listParameters = [
    { name: 'filter', in: 'query', schema: { type: 'string' }, description: 'A filter in the filter language, as JSON.' },
    { name: 'sort', in: 'query', schema: { type: 'string' }, description: 'Comma-separated fields; prefix with - for descending.' },
    { name: 'fields', in: 'query', schema: { type: 'string' } },
    { name: 'expand', in: 'query', schema: { type: 'string' }, description: 'Lookup paths to expand, comma-separated (e.g. account,account.owner).' },
    { name: 'cursor', in: 'query', schema: { type: 'string' } },
    { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
    { name: 'count', in: 'query', schema: { type: 'boolean' } },
  ];
  const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
  return {
    [`/api/v1/records/${definition.name}`]: {
      get: {
        tags: tag, summary: `List ${label(definition)} records`, parameters: listParameters,
        responses: { 200: { description: 'A page of records', content: { 'application/json': { schema: { type: 'object', properties: { records: { type: 'array', items: ref }, nextCursor: { type: 'string' }, total: { type: 'integer' } } } } } }, 400: errorResponse('Bad filter, sort or cursor') },
      },
      post: {
        tags: tag, summary: `Create a ${label(definition)} record`,
        parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string', maxLength: 255 } }],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}Create` } } } },
        responses: { 201: { description: 'Created', content: { 'application/json': { schema: ref } } }, 409: errorResponse('Duplicate value or idempotency key in use'), 422: errorResponse('Validation failed') },
      },
    },
    [`/api/v1/records/${definition.name}/{id}`]: {
      parameters: [idParameter],
      get: { tags: tag, summary: `Read a ${label(definition)} record`, responses: { 200: { description: 'The record', content: { 'application/json': { schema: ref } } }, 404: errorResponse('Not found') } },
      patch: {
        tags: tag, summary: `Update a ${label(definition)} record`,
        parameters: [{ name: 'If-Match', in: 'header', schema: { type: 'string' }, description: 'The ETag you read; required unless the body carries version.' }],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}Update` } } } },
        responses: { 200: { description: 'Updated', content: { 'application/json': { schema: ref } } }, 409: errorResponse('Stale version in the body'), 412: errorResponse('Stale If-Match'), 422: errorResponse('Validation failed'), 428: errorResponse('If-Match missing') },
      },
      delete: { tags: tag, summary: 'Move to the recycle bin', responses: { 204: { description: 'Deleted' }, 404: errorResponse('Not found'), 409: errorResponse('Referenced by restricted lookups') } },
    },
  };
}

/** OpenAPI 3.1 for a workspace: every object's record endpoints with schemas from its definition. */
export function buildOpenApi(metadata: WorkspaceMetadata): Schema {
  const schemas: Record<string, Schema> = {
    Error: {
      type: 'object',
      required: ['error'],
      properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { enum: Object.keys(errorCodes) }, message: { type: 'string' }, details: {}, requestId: { type: 'string' } } } },
    },
  };
  let paths: Record<string, Schema> = {};
  for (const stored of metadata.objects.values()) {
    const definition = stored.body;
    const name = componentName(definition);
    const properties: Schema = { ...systemProperties };
    for (const field of definition.fields) properties[field.name] = outputSchema(field);
    schemas[name] = { type: 'object', title: label(definition), properties, required: Object.keys(systemProperties) };
    schemas[`${name}Create`] = recordInputSchema(definition, 'create');
    schemas[`${name}Update`] = { ...recordInputSchema(definition, 'update'), properties: { ...(recordInputSchema(definition, 'update').properties as Schema), version: { type: 'integer', description: 'The version you read (409 when stale).' } } };
    paths = { ...paths, ...objectPaths(definition) };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Daichō API', version: platformVersion, description: 'Generated from this workspace\'s object definitions. Errors share one shape; see the Error schema for the codes.' },
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
