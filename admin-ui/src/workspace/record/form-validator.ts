import type { RJSFSchema, ValidationData, ValidatorType } from '@rjsf/utils';

/**
 * The validator the record form gives react-jsonschema-form. The server validates records (its
 * problems are shown on their fields), so the form only needs to tell which branch of a schema
 * fits a value (a picklist's `oneOf` of consts). Ajv cannot do that here: it compiles schemas with
 * `new Function`, which the server's Content-Security-Policy rightly forbids (no 'unsafe-eval').
 */
export const formValidator: ValidatorType = {
  validateFormData(): ValidationData<unknown> {
    return { errors: [], errorSchema: {} };
  },
  isValid(schema: RJSFSchema, formData: unknown): boolean {
    return fits(schema, formData);
  },
  rawValidation<Result = unknown>(schema: RJSFSchema, formData?: unknown): { errors?: Result[]; validationError?: Error } {
    return fits(schema, formData) ? {} : { errors: [] };
  },
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** A structural check: type, const, enum, required, properties, items, oneOf/anyOf/allOf. */
export function fits(schema: RJSFSchema | boolean | undefined, value: unknown): boolean {
  if (schema === undefined || schema === true) return true;
  if (schema === false) return false;
  if (schema.const !== undefined && JSON.stringify(schema.const) !== JSON.stringify(value)) return false;
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) return false;
  if (schema.type !== undefined && value !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = typeOf(value);
    if (!types.some((type) => type === actual || (type === 'number' && actual === 'integer'))) return false;
  }
  if (typeOf(value) === 'object') {
    const record = value as Record<string, unknown>;
    if (Array.isArray(schema.required) && schema.required.some((name) => record[name] === undefined)) return false;
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (record[name] !== undefined && !fits(property as RJSFSchema, record[name])) return false;
    }
  }
  if (Array.isArray(value) && schema.items !== undefined && !Array.isArray(schema.items) && typeof schema.items === 'object') {
    if (!value.every((item) => fits(schema.items as RJSFSchema, item))) return false;
  }
  if (Array.isArray(schema.allOf) && !schema.allOf.every((part) => fits(part as RJSFSchema, value))) return false;
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((part) => fits(part as RJSFSchema, value))) return false;
  if (Array.isArray(schema.oneOf) && schema.oneOf.filter((part) => fits(part as RJSFSchema, value)).length !== 1) return false;
  return true;
}
