import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { businessCalendarMetaSchema, escalationRuleMetaSchema, filterMetaSchema, objectMetaSchema, permissionSetMetaSchema, roleMetaSchema, sharingRuleMetaSchema, workflowMetaSchema } from '@daicho/sdk';
import type { InputProblem } from '../errors/index.ts';
import { createPlatformAjv } from '../validation/index.ts';

/** Definitions larger or deeper than this are refused before any validator runs. */
export const DEFINITION_MAX_BYTES = 1024 * 1024;
export const DEFINITION_MAX_DEPTH = 32;

/** The meta-schema of each kind of definition. */
const metaSchemas = {
  object: objectMetaSchema,
  permissionSet: permissionSetMetaSchema,
  role: roleMetaSchema,
  sharingRule: sharingRuleMetaSchema,
  businessCalendar: businessCalendarMetaSchema,
  workflow: workflowMetaSchema,
  escalationRule: escalationRuleMetaSchema,
} as const;
export type MetaSchemaKind = keyof typeof metaSchemas;

let metaAjv: Ajv2020 | undefined;

/** The platform's own Ajv for meta-schemas: strict, no `$data`, only safe formats; every meta-schema loaded so they can refer to each other. */
function metaSchemaValidator(kind: MetaSchemaKind): ValidateFunction {
  if (!metaAjv) {
    metaAjv = createPlatformAjv({ strict: true, allErrors: true, discriminator: true, formats: ['date-time', 'date'] });
    metaAjv.addSchema(filterMetaSchema as object);
    for (const schema of Object.values(metaSchemas)) metaAjv.addSchema(schema as object);
  }
  return metaAjv.getSchema((metaSchemas[kind] as { $id: string }).$id)!;
}

/** Checks size and nesting iteratively, so a hostile document cannot overflow the stack. */
export function checkDocumentBounds(document: unknown, maxBytes = DEFINITION_MAX_BYTES, maxDepth = DEFINITION_MAX_DEPTH): InputProblem[] {
  const size = Buffer.byteLength(JSON.stringify(document) ?? '', 'utf8');
  if (size > maxBytes) return [{ path: '', code: 'maxBytes', message: `The definition is ${size} bytes; at most ${maxBytes} are allowed` }];
  const stack: Array<{ value: unknown; depth: number }> = [{ value: document, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= maxDepth) return [{ path: '', code: 'maxDepth', message: `The definition is nested deeper than ${maxDepth} levels` }];
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push({ value: child, depth: depth + 1 });
  }
  return [];
}

/**
 * Turns Ajv errors into problems with JSON pointers. The noisy branch errors of a oneOf are
 * dropped, and so is a discriminator's complaint when the tag itself (a field's `type`) already
 * has a problem of its own.
 */
export function toProblems(errors: readonly ErrorObject[] | null | undefined): InputProblem[] {
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  const paths = new Set((errors ?? []).map((error) => error.instancePath));
  for (const error of errors ?? []) {
    if (error.keyword === 'oneOf' || error.keyword === 'if') continue;
    if (error.keyword === 'discriminator' && paths.has(`${error.instancePath}/${String(error.params.tag)}`)) continue;
    const path = error.keyword === 'additionalProperties' ? `${error.instancePath}/${String(error.params.additionalProperty)}` : error.keyword === 'required' ? `${error.instancePath}/${String(error.params.missingProperty)}` : error.instancePath;
    const message =
      error.keyword === 'additionalProperties' ? 'is not a known property'
      : error.keyword === 'required' ? 'is required'
      : error.keyword === 'enum' ? `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
      : error.keyword === 'minProperties' && /\/(labels|pluralLabels)$/.test(path) ? 'needs a label in ja or en'
      : error.keyword === 'pattern' && error.schemaPath.endsWith('/$defs/time/pattern') ? 'must be a time of day, HH:MM from 00:00 to 24:00'
      : error.keyword === 'pattern' && error.schemaPath.endsWith('/$defs/monthDay/pattern') ? 'must be a day of the year, MM-DD'
      : error.keyword === 'discriminator' ? `${JSON.stringify(String(error.params.tag))} must be one of the known kinds`
      : (error.message ?? 'is not valid');
    const key = `${path}|${error.keyword}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ path, code: error.keyword, message });
  }
  return problems;
}

/** Validates a document against the object meta-schema; returns problems (empty when valid). */
export function validateObjectDocument(document: unknown): InputProblem[] {
  const bounds = checkDocumentBounds(document);
  if (bounds.length > 0) return bounds;
  const validate = metaSchemaValidator('object');
  return validate(document) ? [] : toProblems(validate.errors);
}

/** Validates a document against the meta-schema of its kind; returns problems (empty when valid). */
export function validateDefinitionDocument(kind: MetaSchemaKind, document: unknown): InputProblem[] {
  const bounds = checkDocumentBounds(document);
  if (bounds.length > 0) return bounds;
  const validate = metaSchemaValidator(kind);
  return validate(document) ? [] : toProblems(validate.errors);
}
