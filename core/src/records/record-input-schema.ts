import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';

/** Fields whose values the platform computes; a request that sets them is refused. */
export const computedTypes = new Set<FieldDefinition['type']>(['autoNumber', 'formula', 'rollup']);

const shortText = (maxLength = 200) => ({ type: 'string', maxLength });
const uuid = { type: 'string', format: 'uuid' };

/** The JSON Schema of one field's value, as accepted from API input (after normalisation). */
export function fieldValueSchema(field: FieldDefinition, mode: 'create' | 'update', current?: unknown): Record<string, unknown> {
  switch (field.type) {
    case 'text':
    case 'longText':
    case 'richText': {
      const schema: Record<string, unknown> = { type: 'string', maxLength: field.maxLength ?? (field.type === 'text' ? 255 : 32_000) };
      if (field.minLength !== undefined) schema.minLength = field.minLength;
      if (field.type === 'text' && field.pattern !== undefined) schema.pattern = field.pattern;
      return schema;
    }
    case 'email':
      return { type: 'string', maxLength: 320 };
    case 'phone':
      return { type: 'string', maxLength: 40, minLength: 1 };
    case 'url':
      return { type: 'string', maxLength: 2048 };
    case 'integer':
      return { type: 'integer', minimum: field.min ?? Number.MIN_SAFE_INTEGER, maximum: field.max ?? Number.MAX_SAFE_INTEGER };
    case 'decimal':
    case 'percent': {
      const bound = 10 ** ((field.precision ?? 18) - (field.scale ?? 2));
      return { type: 'number', exclusiveMinimum: -bound, exclusiveMaximum: bound, ...(field.min === undefined ? {} : { minimum: field.min }), ...(field.max === undefined ? {} : { maximum: field.max }) };
    }
    case 'currency': {
      const bound = 10 ** ((field.precision ?? 18) - (field.scale ?? 2));
      return {
        type: 'object',
        properties: {
          amount: { type: 'number', exclusiveMinimum: -bound, exclusiveMaximum: bound, ...(field.min === undefined ? {} : { minimum: field.min }), ...(field.max === undefined ? {} : { maximum: field.max }) },
          currency: field.currencies ? { enum: field.currencies } : { type: 'string', pattern: '^[A-Z]{3}$' },
        },
        required: ['amount', 'currency'],
        additionalProperties: false,
      };
    }
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'picklist': {
      // An inactive value stays acceptable on a record that already has it.
      const allowed = field.values.filter((value) => !value.inactive || (mode === 'update' && value.value === current)).map((value) => value.value);
      return { enum: allowed };
    }
    case 'multiPicklist': {
      const held = new Set(Array.isArray(current) ? (current as string[]) : []);
      const allowed = field.values.filter((value) => !value.inactive || held.has(value.value)).map((value) => value.value);
      return { type: 'array', items: { enum: allowed }, uniqueItems: true, ...(field.maxSelected ? { maxItems: field.maxSelected } : {}) };
    }
    case 'lookup':
    case 'masterDetail':
      return uuid;
    case 'address':
      return {
        type: 'object',
        properties: { postalCode: shortText(20), region: shortText(), city: shortText(), street: shortText(), building: shortText(), country: { type: 'string', pattern: '^[A-Z]{2}$' } },
        additionalProperties: false,
      };
    case 'name':
      return {
        type: 'object',
        properties: { family: shortText(), given: shortText(), familyReading: shortText(), givenReading: shortText() },
        additionalProperties: false,
      };
    case 'attachment':
      return {
        type: 'array',
        maxItems: field.maxFiles ?? 10,
        items: {
          type: 'object',
          properties: { fileId: shortText(100), fileName: shortText(255), size: { type: 'integer', minimum: 0, maximum: field.maxSizeBytes ?? 26_214_400 }, contentType: shortText(255) },
          required: ['fileId', 'fileName', 'size', 'contentType'],
          additionalProperties: false,
        },
      };
    case 'json':
      return {};
    case 'autoNumber':
    case 'formula':
    case 'rollup':
      return { not: {} };
  }
}

/**
 * The JSON Schema of a record body for create or update. Required fields are required on create
 * and may not be cleared on update; computed and read-only fields, system fields and unknown
 * properties are refused (no mass assignment).
 */
export function recordInputSchema(definition: ObjectDefinition, mode: 'create' | 'update', current?: Record<string, unknown>): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const field of definition.fields) {
    if (computedTypes.has(field.type) || field.readOnly) continue;
    const value = fieldValueSchema(field, mode, current?.[field.name]);
    // Nulls (clearing a value) are handled before validation: see validateRecordInput.
    properties[field.name] = value;
    if (isRequired(field) && mode === 'create' && !hasDefault(field)) required.push(field.name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

export function isRequired(field: FieldDefinition): boolean {
  return Boolean(field.required) || field.type === 'masterDetail';
}

export function hasDefault(field: FieldDefinition): boolean {
  return 'default' in field && field.default !== undefined;
}
