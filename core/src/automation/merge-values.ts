import type { WorkflowValues } from '@daicho/sdk';

// Values and texts that take data from the triggering record: `{ "$field": "name" }` in action
// values, `{{name}}` in e-mail templates.

const isFieldReference = (value: unknown): value is { $field: string } =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { $field?: unknown }).$field === 'string';

/** Action values with field references replaced by the record's values (null without a record). */
export function resolveValues(values: WorkflowValues, record: Record<string, unknown> | null): Record<string, unknown> {
  const resolved: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) resolved[field] = isFieldReference(value) ? (record?.[value.$field] ?? null) : value;
  return resolved;
}

/** The fields that action values refer to. */
export function referencedFields(values: WorkflowValues): string[] {
  return Object.values(values).filter(isFieldReference).map((value) => value.$field);
}

const MERGE_FIELD = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g;

/** The field names a template's `{{field}}` merge fields name. */
export function mergeFieldsOf(template: string): string[] {
  return [...template.matchAll(MERGE_FIELD)].map((match) => match[1]!);
}

function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if ('amount' in object && 'currency' in object) return `${String(object.amount)} ${String(object.currency)}`;
    return Array.isArray(value) ? value.map(display).join(', ') : JSON.stringify(value);
  }
  return String(value);
}

/** Fills `{{field}}` merge fields from the record (empty text for a missing value). */
export function renderTemplate(template: string, record: Record<string, unknown> | null): string {
  return template.replace(MERGE_FIELD, (_match, field: string) => display(record?.[field]));
}
