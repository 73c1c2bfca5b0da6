import { errorCodes, platformVersion, type ErrorCode, type FieldDefinition, type ObjectDefinition } from '@daicho/sdk';
import type { WorkspaceMetadata } from '../metadata/index.ts';
import { fieldValueSchema, recordInputSchema } from '../records/index.ts';

type Schema = Record<string, unknown>;
type Labels = { en?: string; ja?: string };

const label = (definition: { labels: Labels }) => definition.labels.en ?? definition.labels.ja ?? '';

/**
 * What a field's schema says about it besides its value: `title` (the English label, or the
 * Japanese one), `description` (its help text), and both translations under `x-labels`, which
 * the reference page shows in the reader's language.
 */
function fieldAnnotations(field: FieldDefinition): Schema {
  const help = field.help?.en ?? field.help?.ja;
  return { title: label(field), ...(help ? { description: help } : {}), 'x-labels': field.labels };
}

/** Adds `null` to a schema's accepted values: a field without a value reads (and clears) as null. */
function nullable(schema: Schema): Schema {
  if (Array.isArray(schema.enum)) return { ...schema, enum: [...(schema.enum as unknown[]), null] };
  if (schema.type === undefined) return schema;
  return { ...schema, type: [schema.type, 'null'].flat() };
}

const computedTypes = new Set<FieldDefinition['type']>(['formula', 'rollup', 'autoNumber']);

/** A field's value as the API returns it (computed types included, nulls allowed). */
function outputSchema(field: FieldDefinition): Schema {
  let schema: Schema;
  if (field.type === 'formula') schema = field.returnType === 'number' ? { type: 'number' } : field.returnType === 'boolean' ? { type: 'boolean' } : field.returnType === 'date' ? { type: 'string', format: 'date' } : field.returnType === 'datetime' ? { type: 'string', format: 'date-time' } : { type: 'string' };
  else if (field.type === 'rollup') schema = { type: 'number' };
  else if (field.type === 'autoNumber') schema = { type: 'string' };
  else schema = fieldValueSchema(field, 'update');
  return { ...nullable(schema), ...fieldAnnotations(field), ...(computedTypes.has(field.type) || field.readOnly ? { readOnly: true } : {}) };
}

/** A record body for create or update: the validation schema, annotated; optional fields accept null (clears). */
function inputSchema(definition: ObjectDefinition, mode: 'create' | 'update'): Schema {
  const schema = recordInputSchema(definition, mode);
  const required = new Set(schema.required as string[]);
  const fields = new Map(definition.fields.map((field) => [field.name, field]));
  const properties: Schema = {};
  for (const [name, value] of Object.entries(schema.properties as Record<string, Schema>)) {
    const field = fields.get(name)!;
    const clearable = !field.required && field.type !== 'masterDetail';
    properties[name] = { ...(clearable ? nullable(value) : value), ...fieldAnnotations(field) };
  }
  return { ...schema, required: [...required], properties };
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

/** An error response; `x-error-codes` lists the stable codes this operation answers with that status. */
const errorResponse = (description: string, codes: readonly ErrorCode[]) => ({
  description,
  'x-error-codes': codes,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** Failures every operation can produce. */
const commonErrors = { 401: errorResponse('No valid session', ['UNAUTHENTICATED']) };
/** Failures of any operation that reads a JSON body. */
const bodyErrors = {
  413: errorResponse('Body too large', ['PAYLOAD_TOO_LARGE']),
  415: errorResponse('Body is not JSON', ['UNSUPPORTED_MEDIA_TYPE']),
};

const filterParameter = { name: 'filter', in: 'query', schema: { type: 'string' }, description: 'A filter in the filter language, as JSON.' };
const sortParameter = { name: 'sort', in: 'query', schema: { type: 'string' }, description: 'Comma-separated fields; prefix with - for descending.' };
const fieldsParameter = { name: 'fields', in: 'query', schema: { type: 'string' }, description: 'Comma-separated fields to return (system fields always come).' };
const deletedParameter = { name: 'deleted', in: 'query', schema: { type: 'boolean' }, description: 'true: the recycle bin instead of live records.' };
const listErrors = errorResponse('Bad filter, sort, cursor or parameter', ['INVALID_FILTER', 'INVALID_SORT', 'INVALID_CURSOR', 'INVALID_QUERY']);

function objectPaths(definition: ObjectDefinition): Record<string, Schema> {
  const name = componentName(definition);
  const ref = { $ref: `#/components/schemas/${name}` };
  const tags = [definition.name];
  const title = label(definition);
  const a = /^[aeiou]/i.test(title) ? 'an' : 'a';
  const json = (schema: Schema) => ({ 'application/json': { schema } });
  const page = { type: 'object', properties: { records: { type: 'array', items: ref }, nextCursor: { type: 'string', description: 'Pass as cursor for the next page; absent on the last page.' }, total: { type: 'integer', description: 'With count=true.' } } };
  const listParameters = [
    filterParameter, sortParameter, fieldsParameter,
    { name: 'expand', in: 'query', schema: { type: 'string' }, description: 'Lookup paths to expand, comma-separated (e.g. account,account.owner).' },
    { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'nextCursor of the previous page.' },
    { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
    { name: 'count', in: 'query', schema: { type: 'boolean' }, description: 'true: add total.' },
    deletedParameter,
  ];
  const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
  const ifMatch = (description: string) => ({ name: 'If-Match', in: 'header', schema: { type: 'string' }, description });
  const notFound = errorResponse('No such record', ['NOT_FOUND']);
  const importReport = { type: 'object', properties: { created: { type: 'integer' }, updated: { type: 'integer' }, skipped: { type: 'integer' }, failed: { type: 'integer' }, errors: { type: 'array', items: { type: 'object', properties: { row: { type: 'integer' }, problems: { type: 'array', items: { type: 'object' } } } } } } };
  const base = `/api/v1/records/${definition.name}`;
  return {
    [base]: {
      get: {
        tags, summary: `List ${title} records`, parameters: listParameters,
        responses: { 200: { description: 'A page of records', content: json(page) }, 400: listErrors, ...commonErrors },
      },
      post: {
        tags, summary: `Create ${a} ${title} record`,
        parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string', maxLength: 255 }, description: 'Makes retries safe: a retry with the same key and body gets the first response.' }],
        requestBody: { required: true, content: json({ $ref: `#/components/schemas/${name}Create` }) },
        responses: {
          201: { description: 'Created', content: json(ref) },
          400: errorResponse('Malformed JSON or Idempotency-Key', ['INVALID_JSON', 'BAD_REQUEST']),
          ...commonErrors,
          409: errorResponse('Duplicate value, or the same idempotency key still in progress', ['DUPLICATE_VALUE', 'IDEMPOTENCY_KEY_IN_USE']),
          ...bodyErrors,
          422: errorResponse('Validation failed (details.problems lists each field), or the idempotency key was used for another request', ['VALIDATION_FAILED', 'IDEMPOTENCY_KEY_REUSED']),
        },
      },
    },
    [`${base}/query`]: {
      post: {
        tags, summary: `List ${title} records (parameters in the body)`,
        requestBody: { required: false, content: json({ $ref: '#/components/schemas/ListQuery' }) },
        responses: { 200: { description: 'A page of records', content: json(page) }, 400: listErrors, ...commonErrors, ...bodyErrors, 422: errorResponse('The body is not a list query', ['VALIDATION_FAILED']) },
      },
    },
    [`${base}/export.csv`]: {
      get: {
        tags, summary: `Export ${title} records as CSV`, parameters: [filterParameter, sortParameter, fieldsParameter, deletedParameter],
        responses: { 200: { description: 'CSV, UTF-8, one row per record', content: { 'text/csv': { schema: { type: 'string' } } } }, 400: listErrors, ...commonErrors },
      },
    },
    [`${base}/import`]: {
      post: {
        tags, summary: `Import ${title} records (JSON or CSV)`,
        requestBody: {
          required: true,
          content: {
            ...json({ type: 'object', required: ['records'], properties: { records: { type: 'array', items: { $ref: `#/components/schemas/${name}Create` }, maxItems: 100_000 }, mode: { enum: ['atomic', 'partial'], default: 'atomic' }, duplicates: { type: 'object', properties: { fields: { type: 'array', items: { type: 'string' } }, action: { enum: ['skip', 'update', 'error'] } } } } }),
            'text/csv': { schema: { type: 'string' } },
          },
        },
        responses: { 200: { description: 'What was imported', content: json(importReport) }, 400: errorResponse('Malformed JSON or query parameter', ['INVALID_JSON', 'INVALID_QUERY']), ...commonErrors, ...bodyErrors, 422: errorResponse('Rows not valid (atomic mode writes nothing)', ['VALIDATION_FAILED']) },
      },
    },
    [`${base}/{id}`]: {
      parameters: [idParameter],
      get: {
        tags, summary: `Read ${a} ${title} record`, parameters: [deletedParameter],
        responses: { 200: { description: 'The record', content: json(ref) }, ...commonErrors, 404: notFound },
      },
      patch: {
        tags, summary: `Update ${a} ${title} record`,
        parameters: [ifMatch('The ETag you read; required unless the body carries version. * overwrites any version.')],
        requestBody: { required: true, content: json({ $ref: `#/components/schemas/${name}Update` }) },
        responses: {
          200: { description: 'Updated', content: json(ref) },
          400: errorResponse('Malformed JSON or If-Match', ['INVALID_JSON', 'BAD_REQUEST']),
          ...commonErrors,
          404: notFound,
          409: errorResponse('Stale version in the body (details.current holds the record), or a duplicate value', ['VERSION_CONFLICT', 'DUPLICATE_VALUE']),
          412: errorResponse('Stale If-Match (details.current holds the record)', ['PRECONDITION_FAILED']),
          ...bodyErrors,
          422: errorResponse('Validation failed', ['VALIDATION_FAILED']),
          428: errorResponse('Neither If-Match nor version', ['PRECONDITION_REQUIRED']),
        },
      },
      delete: {
        tags, summary: `Move ${a} ${title} record to the recycle bin`,
        parameters: [ifMatch('Optional: delete only if the record is still at this version.')],
        responses: { 204: { description: 'Deleted' }, 400: errorResponse('Malformed If-Match', ['BAD_REQUEST']), ...commonErrors, 404: notFound, 409: errorResponse('Referenced by restricted lookups', ['REFERENCE_CONFLICT']), 412: errorResponse('Stale If-Match', ['PRECONDITION_FAILED']) },
      },
    },
    [`${base}/{id}/restore`]: {
      parameters: [idParameter],
      post: { tags, summary: `Restore ${a} ${title} record from the recycle bin`, responses: { 200: { description: 'The restored record', content: json(ref) }, ...commonErrors, 404: errorResponse('Not in the recycle bin', ['NOT_FOUND']) } },
    },
    [`${base}/{id}/purge`]: {
      parameters: [idParameter],
      post: { tags, summary: `Delete ${a} ${title} record from the recycle bin for good`, responses: { 204: { description: 'Purged' }, ...commonErrors, 404: errorResponse('Not in the recycle bin', ['NOT_FOUND']) } },
    },
  };
}

const listQuerySchema: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    filter: { description: 'A filter in the filter language.' },
    sort: { type: 'array', items: { type: 'object', required: ['field'], properties: { field: { type: 'string' }, direction: { enum: ['asc', 'desc'] } } } },
    fields: { type: 'array', items: { type: 'string' } },
    expand: { type: 'array', items: { type: 'string' } },
    cursor: { type: 'string' },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    count: { type: 'boolean' },
    deleted: { type: 'boolean' },
  },
};

const searchPath = {
  '/api/v1/search': {
    get: {
      tags: ['search'], summary: 'Search records of every object',
      parameters: [
        { name: 'q', in: 'query', required: true, schema: { type: 'string', maxLength: 200 }, description: 'Up to 10 terms; normalised as stored values are.' },
        { name: 'objects', in: 'query', schema: { type: 'string' }, description: 'Comma-separated objects to search (all by default).' },
        { name: 'limit', in: 'query', schema: { type: 'integer' }, description: 'Hits per object.' },
      ],
      responses: { 200: { description: 'Hits', content: { 'application/json': { schema: { type: 'object', properties: { hits: { type: 'array', items: { type: 'object' } } } } } } }, 400: errorResponse('Empty or too long query, or unknown object', ['INVALID_QUERY']), ...commonErrors },
    },
  },
};

/** OpenAPI 3.1 for a workspace: every object's record endpoints with schemas from its definition. */
export function buildOpenApi(metadata: WorkspaceMetadata): Schema {
  const schemas: Record<string, Schema> = {
    Error: {
      type: 'object',
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { enum: Object.keys(errorCodes), description: 'Stable: branch on it.' },
            message: { type: 'string', description: 'For people; may change.' },
            details: { description: 'Depends on the code: problems (per field or path), current (the record), limits.' },
            requestId: { type: 'string', description: 'Also in the X-Request-Id header; quote it when reporting a problem.' },
          },
        },
      },
      'x-error-codes': errorCodes,
    },
    ListQuery: listQuerySchema,
  };
  const tags: Schema[] = [];
  let paths: Record<string, Schema> = {};
  for (const stored of metadata.objects.values()) {
    const definition = stored.body;
    const name = componentName(definition);
    const properties: Schema = { ...systemProperties };
    for (const field of definition.fields) properties[field.name] = outputSchema(field);
    tags.push({ name: definition.name, description: label(definition), 'x-labels': definition.labels });
    schemas[name] = { type: 'object', title: label(definition), properties, required: Object.keys(systemProperties) };
    schemas[`${name}Create`] = inputSchema(definition, 'create');
    const update = inputSchema(definition, 'update');
    schemas[`${name}Update`] = { ...update, properties: { ...(update.properties as Schema), version: { type: 'integer', description: 'The version you read (409 when stale).' } } };
    paths = { ...paths, ...objectPaths(definition) };
  }
  tags.push({ name: 'search', description: 'Search', 'x-labels': { en: 'Search', ja: '検索' } });
  return {
    openapi: '3.1.0',
    info: { title: 'Daichō API', version: platformVersion, description: 'Generated from this workspace\'s object definitions. Errors share one shape; see the Error schema for the codes.' },
    tags,
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: { ...paths, ...searchPath },
  };
}
