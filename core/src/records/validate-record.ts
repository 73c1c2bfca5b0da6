import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { systemFieldNames } from '@daicho/sdk';
import { errors, type InputProblem } from '../errors/index.ts';
import { checkValidationPattern } from '../text/index.ts';
import { createPlatformAjv } from '../validation/index.ts';
import { computedTypes, isRequired, recordInputSchema } from './record-input-schema.ts';


/** A record problem names the field it concerns, so forms can show it in place. */
export interface RecordProblem extends InputProblem {
  field?: string;
}

/**
 * One Ajv for record validation. Patterns reach it only after the ReDoS check at save time;
 * `$data` is off and only safe formats are registered.
 */
const ajv = createPlatformAjv({ strict: false, allErrors: true, formats: ['date', 'date-time', 'uuid'], compilePattern: checkValidationPattern });

// Compiled validators, per definition object (a new definition version is a new object).
const validators = new WeakMap<ObjectDefinition, { create?: ValidateFunction; update?: ValidateFunction }>();

function validatorFor(definition: ObjectDefinition, mode: 'create' | 'update', current?: Record<string, unknown>): ValidateFunction {
  // Inactive picklist values held by the current record are allowed on update: such validators
  // depend on the record and are not cached.
  const dependsOnRecord = mode === 'update' && current && definition.fields.some((field) => (field.type === 'picklist' || field.type === 'multiPicklist') && field.values.some((value) => value.inactive));
  if (dependsOnRecord) return ajv.compile(recordInputSchema(definition, mode, current));
  let entry = validators.get(definition);
  if (!entry) {
    entry = {};
    validators.set(definition, entry);
  }
  entry[mode] ??= ajv.compile(recordInputSchema(definition, mode));
  return entry[mode];
}

const messages: Record<string, (error: ErrorObject) => string> = {
  required: () => 'is required',
  maxLength: (e) => `must be at most ${String(e.params.limit)} characters`,
  minLength: (e) => `must be at least ${String(e.params.limit)} characters`,
  maximum: (e) => `must be at most ${String(e.params.limit)}`,
  minimum: (e) => `must be at least ${String(e.params.limit)}`,
  exclusiveMaximum: () => 'has too many digits for this field',
  exclusiveMinimum: () => 'has too many digits for this field',
  enum: (e) => `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
  format: (e) => `must be a valid ${String(e.params.format)}`,
  pattern: () => 'does not match the required pattern',
  type: (e) => `must be ${String(e.params.type)}`,
  maxItems: (e) => `must have at most ${String(e.params.limit)} items`,
  uniqueItems: () => 'must not repeat an item',
  additionalProperties: () => 'is not a known property',
};

function toRecordProblems(ajvErrors: readonly ErrorObject[]): RecordProblem[] {
  return ajvErrors.map((error) => {
    const path = error.keyword === 'required' ? `/${String(error.params.missingProperty)}` : error.keyword === 'additionalProperties' ? `${error.instancePath}/${String(error.params.additionalProperty)}` : error.instancePath;
    const field = path.split('/')[1];
    const code = error.keyword === 'additionalProperties' && error.instancePath === '' ? 'unknownField' : error.keyword;
    return { path, field, code, message: (messages[error.keyword] ?? ((e: ErrorObject) => e.message ?? 'is not valid'))(error) };
  });
}

/**
 * Validates a (normalised) record body, adding the problems normalisation found. `null` clears a value and is refused for required
 * fields; system, computed and read-only fields are refused by name (mass assignment), before
 * the schema's own checks. Throws VALIDATION_FAILED with one problem per field.
 */
export function validateRecordInput(definition: ObjectDefinition, body: Record<string, unknown>, mode: 'create' | 'update', current?: Record<string, unknown>, normalizationProblems: readonly RecordProblem[] = []): void {
  const problems: RecordProblem[] = [...normalizationProblems];
  const fields = new Map<string, FieldDefinition>(definition.fields.map((field) => [field.name, field]));
  const withoutNulls: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    const field = fields.get(name);
    if ((systemFieldNames as readonly string[]).includes(name) || name === 'deletedAt') {
      problems.push({ path: `/${name}`, field: name, code: 'systemField', message: `${name} is managed by the platform and cannot be set` });
    } else if (field && (computedTypes.has(field.type) || field.readOnly)) {
      problems.push({ path: `/${name}`, field: name, code: 'readOnly', message: `${name} is read-only` });
    } else if (value === null && field) {
      if (isRequired(field)) problems.push({ path: `/${name}`, field: name, code: 'required', message: 'is required' });
    } else {
      withoutNulls[name] = value;
    }
  }
  const validate = validatorFor(definition, mode, current);
  if (!validate(withoutNulls)) problems.push(...toRecordProblems(validate.errors ?? []));
  for (const field of definition.fields) {
    const value = withoutNulls[field.name];
    if (field.type === 'date' && typeof value === 'string') {
      if (field.min && value < field.min) problems.push({ path: `/${field.name}`, field: field.name, code: 'minimum', message: `must be on or after ${field.min}` });
      if (field.max && value > field.max) problems.push({ path: `/${field.name}`, field: field.name, code: 'maximum', message: `must be on or before ${field.max}` });
    }
  }
  if (problems.length > 0) throw errors.validationFailed(dedupe(problems), 'The record is not valid');
}

function dedupe(problems: RecordProblem[]): RecordProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path}|${problem.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
