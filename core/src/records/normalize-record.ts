import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';
import { normalizeEmail, normalizePhone, normalizeText, normalizeUrl, sanitizeRichText } from '../text/index.ts';
import type { RecordProblem } from './validate-record.ts';

/** A normalised body, with the values whose shape normalisation could not make sense of. */
export interface NormalizedInput {
  body: Record<string, unknown>;
  problems: RecordProblem[];
}

const problemMessages: Record<string, string> = {
  email: 'must be an e-mail address such as name@example.com',
  phone: 'must be a phone number',
  url: 'must be an http or https address',
};

const textLike = new Set<FieldDefinition['type']>(['text', 'longText', 'richText', 'email', 'phone', 'url']);

function normalizeValue(field: FieldDefinition, value: unknown, problems: RecordProblem[]): unknown {
  // Text that is empty once trimmed is no value at all: stored as NULL, like a cleared field.
  if (typeof value === 'string' && textLike.has(field.type) && value.trim() === '') return null;
  if (typeof value !== 'string') {
    if ((field.type === 'address' || field.type === 'name') && value && typeof value === 'object' && !Array.isArray(value)) {
      // Components are single-line text, normalised like a text field with default options.
      return Object.fromEntries(Object.entries(value).map(([key, part]) => [key, typeof part === 'string' ? normalizeText(part) : part]));
    }
    return value;
  }
  const structured = (kind: 'email' | 'phone' | 'url', result: { ok: boolean; value: string; problem?: string }) => {
    if (!result.ok) problems.push({ path: `/${field.name}`, field: field.name, code: result.problem ?? kind, message: problemMessages[kind]! });
    return result.value;
  };
  switch (field.type) {
    case 'text':
      return normalizeText(value, field.normalize ?? {});
    case 'longText':
      return normalizeText(value, { ...field.normalize, multiline: true });
    case 'richText':
      return sanitizeRichText(value);
    case 'email':
      return structured('email', normalizeEmail(value));
    case 'phone':
      return structured('phone', normalizePhone(value, field.defaultCountry ?? 'JP'));
    case 'url':
      return structured('url', normalizeUrl(value));
    default:
      return value;
  }
}

/**
 * Normalises a record body before validation and storage, field by field as the definition says:
 * NFKC, trimming and spaces for text, lower-cased e-mail, one canonical phone form, sanitised
 * rich text; blank text becomes null. Unknown properties pass through untouched (validation refuses them).
 */
export function normalizeRecordInput(definition: ObjectDefinition, body: Record<string, unknown>): NormalizedInput {
  const fields = new Map(definition.fields.map((field) => [field.name, field]));
  const normalized: Record<string, unknown> = {};
  const problems: RecordProblem[] = [];
  for (const [name, value] of Object.entries(body)) {
    const field = fields.get(name);
    normalized[name] = field && value !== null ? normalizeValue(field, value, problems) : value;
  }
  return { body: normalized, problems };
}
