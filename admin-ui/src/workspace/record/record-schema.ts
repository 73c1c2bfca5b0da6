import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';
import type { ErrorSchema, RJSFSchema, UiSchema } from '@rjsf/utils';
import type { TFunction } from 'i18next';
import type { ObjectAccess, RecordData } from '../../api/index.ts';
import type { Language } from '../../i18n/index.ts';
import { labelOf } from '../labels.ts';
import { fieldAccessOf } from '../use-workspace-meta.ts';

/** The form of one object for one user: JSON Schema, UI schema, and the fields it edits. */
export interface RecordForm {
  schema: RJSFSchema;
  uiSchema: UiSchema;
  /** Fields the user may change, in form order. */
  editable: string[];
  /** Currency fields: an amount-less value (only the preselected code) counts as blank. */
  currencyFields: string[];
}

/** Types the form can show; the rest (attachments, JSON) wait for widgets of their own. */
const formTypes = new Set<FieldDefinition['type']>([
  'text', 'longText', 'richText', 'email', 'phone', 'url', 'integer', 'decimal', 'currency', 'percent', 'boolean', 'date',
  'datetime', 'picklist', 'multiPicklist', 'lookup', 'masterDetail', 'autoNumber', 'formula', 'rollup', 'address', 'name',
]);

/**
 * Derives the form from the object definition and the user's access: hidden fields are absent,
 * fields the user may only read (and computed ones) are read-only; titles are labels in the UI
 * language. On a new record, computed fields are left out, since the platform fills them in.
 */
export function buildRecordForm(definition: ObjectDefinition, access: ObjectAccess | undefined, language: Language, t: TFunction, isNew: boolean): RecordForm {
  const properties: Record<string, RJSFSchema> = {};
  const uiSchema: UiSchema = { 'ui:submitButtonOptions': { norender: true } };
  const required: string[] = [];
  const editable: string[] = [];
  const currencyFields: string[] = [];
  for (const field of definition.fields) {
    if (!formTypes.has(field.type)) continue;
    const fieldAccess = fieldAccessOf(field, access);
    if (fieldAccess === 'none') continue;
    if (isNew && fieldAccess === 'read') continue;
    const label = labelOf(field.labels, language, field.name);
    const schema: RJSFSchema = { ...schemaOf(field, label, language, t), title: label };
    const help = field.help === undefined ? undefined : labelOf(field.help, language, '');
    if (fieldAccess === 'read') schema.readOnly = true;
    else editable.push(field.name);
    if (field.type === 'currency') currencyFields.push(field.name);
    // A new record starts from the definition's defaults, except the platform's own (today, now).
    if (isNew && 'default' in field && field.default !== undefined && field.default !== 'today' && field.default !== 'now') schema.default = field.default as RJSFSchema['default'];
    if (field.required === true && fieldAccess === 'edit') required.push(field.name);
    properties[field.name] = schema;
    const ui: UiSchema = {};
    if (field.type === 'longText' || field.type === 'richText') ui['ui:widget'] = 'textarea';
    // Money is one value: its amount carries the field's label, the code sits beside it.
    if (field.type === 'currency') ui['ui:label'] = false;
    if (help) ui['ui:help'] = help;
    if (Object.keys(ui).length > 0) uiSchema[field.name] = ui;
  }
  return { schema: { type: 'object', properties, required }, uiSchema, editable, currencyFields };
}

function schemaOf(field: FieldDefinition, label: string, language: Language, t: TFunction): RJSFSchema {
  switch (field.type) {
    case 'text':
    case 'longText':
    case 'richText':
      return { type: 'string', ...(field.maxLength === undefined ? {} : { maxLength: field.maxLength }) };
    case 'email':
      return { type: 'string', format: 'email' };
    case 'url':
      return { type: 'string', format: 'uri' };
    case 'phone':
    case 'lookup':
    case 'masterDetail':
    case 'autoNumber':
      return { type: 'string' };
    case 'integer':
      return { type: 'integer', ...bounds(field.min, field.max) };
    case 'decimal':
    case 'percent':
    case 'rollup':
      return { type: 'number', ...('min' in field ? bounds(field.min, field.max) : {}) };
    case 'currency': {
      const codes = field.currencies ?? [field.defaultCurrency ?? 'JPY'];
      return {
        type: 'object',
        properties: {
          amount: { type: 'number', title: label },
          currency: { type: 'string', title: t('record.currency'), enum: codes, default: field.defaultCurrency ?? codes[0] },
        },
      };
    }
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'picklist':
      return { type: 'string', oneOf: field.values.filter((value) => value.inactive !== true).map((value) => ({ const: value.value, title: labelOf(value.labels, language, value.value) })) };
    case 'multiPicklist':
      return {
        type: 'array',
        uniqueItems: true,
        items: { type: 'string', oneOf: field.values.filter((value) => value.inactive !== true).map((value) => ({ const: value.value, title: labelOf(value.labels, language, value.value) })) },
      };
    case 'formula':
      return { type: field.returnType === 'number' ? 'number' : field.returnType === 'boolean' ? 'boolean' : 'string' };
    case 'address':
      return objectOf(addressParts.map((part) => [part, t(`record.address.${part}`)]));
    case 'name':
      return objectOf(nameParts.map((part) => [part, t(`record.name.${part}`)]));
    default:
      return {};
  }
}

function bounds(min: number | undefined, max: number | undefined): RJSFSchema {
  return { ...(min === undefined ? {} : { minimum: min }), ...(max === undefined ? {} : { maximum: max }) };
}

const addressParts = ['postalCode', 'region', 'city', 'street', 'building', 'country'] as const;
const nameParts = ['family', 'given', 'familyReading', 'givenReading'] as const;

/** An object of text parts, each with its title. */
function objectOf(parts: Array<[string, string]>): RJSFSchema {
  return { type: 'object', properties: Object.fromEntries(parts.map(([part, title]) => [part, { type: 'string', title }])) };
}

/** The form's data from a record: blank values (null) are left out, as the form expects. */
export function toFormData(record: Partial<RecordData> | undefined, form: RecordForm): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const properties = form.schema.properties ?? {};
  for (const name of Object.keys(properties)) {
    const value = record?.[name];
    if (value !== null && value !== undefined) data[name] = value;
  }
  return data;
}

/** Blank, for comparing and sending: undefined, null, '' and empty objects and lists. */
function isBlank(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.values(value as object).every(isBlank);
  return false;
}

/**
 * The changes to send: each editable field whose value differs from `original`; a field the user
 * emptied is sent as null. For a new record, every filled-in field.
 */
export function changedValues(form: RecordForm, data: Record<string, unknown>, original: Partial<RecordData> | undefined): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const name of form.editable) {
    const value = data[name];
    const amountless = form.currencyFields.includes(name) && typeof value === 'object' && value !== null && (value as { amount?: unknown }).amount === undefined;
    const next = amountless || isBlank(value) ? null : value;
    if (original === undefined) {
      if (next !== null) changes[name] = next;
      continue;
    }
    const before = isBlank(original[name]) ? null : original[name];
    if (JSON.stringify(next) !== JSON.stringify(before)) changes[name] = next;
  }
  return changes;
}

/** One problem of a `422 VALIDATION_FAILED` answer. */
export interface ServerProblem {
  path: string;
  field?: string;
  code: string;
  message?: string;
}

/** The problems in an error's details, if any. */
export function problemsOf(details: unknown): ServerProblem[] {
  const problems = (details as { problems?: unknown } | undefined)?.problems;
  return Array.isArray(problems) ? problems.filter((problem): problem is ServerProblem => typeof problem?.path === 'string' && typeof problem?.code === 'string') : [];
}

/**
 * Server problems as the form's errors, each on the field its JSON pointer names, translated
 * from its code (never the server's English message). Problems on unknown paths go to the root.
 */
export function toErrorSchema(problems: ServerProblem[], definition: ObjectDefinition, t: TFunction): ErrorSchema {
  const root: Record<string, unknown> = {};
  for (const problem of problems) {
    const segments = problem.path.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    const field = definition.fields.find((candidate) => candidate.name === segments[0]);
    const text = problemText(problem, field, t);
    let node = root;
    for (const segment of segments) {
      node[segment] ??= {};
      node = node[segment] as Record<string, unknown>;
    }
    const errors = (node['__errors'] ??= []) as string[];
    errors.push(text);
  }
  return root as ErrorSchema;
}

const knownCodes = new Set(['required', 'maxLength', 'minLength', 'minimum', 'maximum', 'enum', 'format', 'pattern', 'type', 'maxItems', 'unknownField', 'readOnly', 'unknownReference', 'unique']);

function problemText(problem: ServerProblem, field: FieldDefinition | undefined, t: TFunction): string {
  const limits = field === undefined ? {} : (field as unknown as Record<string, unknown>);
  const values = { min: limits['min'] ?? limits['minLength'] ?? '', max: limits['max'] ?? limits['maxLength'] ?? '' };
  return knownCodes.has(problem.code) ? t(`validation.${problem.code}` as 'validation.required', values) : t('validation.invalid');
}
